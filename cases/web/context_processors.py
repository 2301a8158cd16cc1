from django.http import HttpRequest

from cases import access
from cases.access import does_audit_work, does_casework, is_lead, sees_aggregates
from cases.codes import Role


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the header and service navigation need to know about the signed-in user."""
    if not request.user.is_authenticated:
        return {}
    user = access.acting_user(request)
    return {
        "nav_casework": does_casework(user),
        "nav_lead": is_lead(user),
        "nav_audits": does_audit_work(user),
        "nav_aggregates": sees_aggregates(user),
        # The authority's statutory census is the social-care manager's (cases/census/).
        "nav_census": does_casework(user) and user.role == Role.SOCIAL_CARE_MANAGER,
        "nav_admin": user.role == Role.ADMINISTRATOR and user.is_active,
        "nav_information_governance": user.role == Role.INFORMATION_GOVERNANCE and user.is_active,
    }
