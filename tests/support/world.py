"""The small shared world most tests start from."""

from __future__ import annotations

from cases.codes import AgencyType, Role
from cases.models import TeamAroundFamilyMember
from tests.support import factories


class World:
    """Two agencies, a child known only to the first, and one user for every role."""

    def __init__(self) -> None:
        self.health = factories.agency("Test Community Health", AgencyType.HEALTH)
        self.school = factories.agency("Test Primary School", AgencyType.EDUCATION)
        self.social_care = factories.agency(
            "Test Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE
        )
        self.child = factories.child(known_to=[self.health], first_name="Zebedee")
        self.users = {
            "practitioner": factories.practitioner(self.health, Role.PRACTITIONER, "hv"),
            "unrelated_practitioner": factories.practitioner(self.school, Role.PRACTITIONER, "dsl"),
            "lead": factories.practitioner(self.health, Role.SAFEGUARDING_LEAD, "lead"),
            "manager": factories.practitioner(
                self.social_care, Role.SOCIAL_CARE_MANAGER, "manager"
            ),
            "analyst": factories.practitioner(self.social_care, Role.ANALYST, "analyst"),
            "executive": factories.practitioner(self.social_care, Role.EXECUTIVE, "executive"),
            "admin": factories.practitioner(
                None, Role.ADMINISTRATOR, "admin", is_staff=True, is_superuser=True
            ),
            "information_governance": factories.practitioner(
                self.social_care, Role.INFORMATION_GOVERNANCE, "governance"
            ),
            "business_manager": factories.practitioner(
                self.social_care, Role.PARTNERSHIP_BUSINESS_MANAGER, "business"
            ),
        }
        # The health visitor is named in the child's team around the family: the child is on
        # their home page's caseload.
        TeamAroundFamilyMember.objects.create(
            child=self.child, agency=self.health, practitioner=self.users["practitioner"]
        )
