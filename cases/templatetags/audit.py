"""The link to "who has seen this record", shown only to those who may open it."""

from __future__ import annotations

from typing import Any

from django import template

from cases import access
from cases.governance.selectors import may_see_who_has_read

register = template.Library()


@register.inclusion_tag("audit/includes/who_has_seen_link.html", takes_context=True)
def who_has_seen_link(context: dict[str, Any], child: Any) -> dict[str, object]:
    user = access.acting_user(context["request"])
    return {"child": child, "show": may_see_who_has_read(user=user, child=child)}
