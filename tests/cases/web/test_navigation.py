"""The service navigation: one bar on every kind of page, with the current page (or the
section a page is in) marked the way govuk-frontend 6 draws it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.support.world import World

ACTIVE = re.compile(
    r'<li class="govuk-service-navigation__item govuk-service-navigation__item--active">'
    r'<a class="govuk-service-navigation__link" href="([^"]+)" aria-current="(page|true)">'
    r'<strong class="govuk-service-navigation__active-fallback">([^<]+)</strong>'
)


@pytest.mark.parametrize(
    ("role", "path", "marked"),
    [
        ("executive", "/", ("/", "page", "Home")),
        ("executive", "/dashboards/", ("/dashboards/", "page", "Dashboards")),
        (
            "executive",
            "/dashboards/metrics/cp_neglect_share/",
            ("/dashboards/", "true", "Dashboards"),
        ),
        ("executive", "/dashboards/builds/", ("/dashboards/builds/", "page", "Builds")),
        (
            "executive",
            "/delivery-plan/priorities/",
            ("/delivery-plan/priorities/", "page", "Priorities and evidence"),
        ),
        ("business_manager", "/audits/", ("/audits/", "page", "Case audits")),
        ("business_manager", "/audits/new/", ("/audits/", "true", "Case audits")),
        ("business_manager", "/delivery-plan/", ("/delivery-plan/", "page", "Delivery plan")),
        ("admin", "/accounts/", ("/accounts/", "page", "Accounts")),
        ("lead", "/agency-accounts/", ("/agency-accounts/", "page", "Your agency&#x27;s accounts")),
        ("practitioner", "/children/search/", ("/children/search/", "page", "Find a child")),
    ],
)
def test_each_page_has_one_navigation_bar_marking_where_you_are(
    world: World, role: str, path: str, marked: tuple[str, str, str]
) -> None:
    client = Client()
    client.force_login(world.users[role])
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="govuk-service-navigation"') == 1
    assert page.count('<nav aria-label="Menu"') == 1
    assert ACTIVE.findall(page) == [marked]


def test_a_page_outside_every_item_marks_none(world: World) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    page = client.get(f"/children/{world.child.pk}/").content.decode()
    assert "govuk-service-navigation__item--active" not in page
    assert 'href="/children/search/">Find a child</a>' in page
