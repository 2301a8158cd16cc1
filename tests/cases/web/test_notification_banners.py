"""Messages use the GOV.UK notification banner as designed: the green success banner only for
something the user just did; anything else (an error, "someone has already dealt with this")
in the default banner, titled "Important"."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.test import RequestFactory


def banner(level: int, text: str) -> str:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return render_to_string("base.html", {"messages": [Message(level, text)]}, request=request)


def test_a_success_message_shows_in_the_success_banner() -> None:
    page = banner(constants.SUCCESS, "Action status updated")
    assert "govuk-notification-banner--success" in page
    assert ">Success</h2>" in page and "Action status updated" in page


def test_any_other_message_shows_in_the_default_banner_not_as_a_success() -> None:
    for level in (constants.INFO, constants.WARNING, constants.ERROR):
        page = banner(level, "Someone has already dealt with row 3")
        assert "govuk-notification-banner--success" not in page
        assert ">Important</h2>" in page and ">Success</h2>" not in page
        assert 'role="region"' in page
