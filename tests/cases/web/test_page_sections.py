"""Pages made of registered sections: the child's page and the home page."""

import pytest
from django.test import Client

from cases.web.sections import SectionRegistry
from tests.support.world import World


def _context(**values: object) -> dict[str, object]:
    return dict(values)


def test_it_orders_sections_and_leaves_out_those_answering_none() -> None:
    page = SectionRegistry("a test page")
    page.register("late", 20, "late.html", lambda **kw: {"n": kw["n"]})
    page.register("early", 10, "early.html", lambda **kw: {})
    page.register("hidden", 15, "hidden.html", lambda **kw: None)
    sections = page.sections(n=3)
    assert [s.key for s in sections] == ["early", "late"]
    assert sections[1].template == "late.html" and sections[1].context == {"n": 3}


def test_it_refuses_a_key_registered_twice() -> None:
    page = SectionRegistry("a test page")
    page.register("drift", 10, "a.html", _context)
    page.register("drift", 10, "a.html", _context)  # the same registration again is harmless
    with pytest.raises(ValueError, match="drift"):
        page.register("drift", 20, "b.html", _context)


@pytest.mark.django_db
def test_the_child_page_shows_each_apps_section_in_order_for_a_lead(world: World) -> None:
    client = Client()
    client.force_login(world.users["lead"])
    html = client.get(f"/children/{world.child.pk}/").content.decode()
    headings = ["Identity", "Multi-agency chronology", "Graded Care Profile 2", "Drift", "Plans"]
    positions = [html.index(f">{heading}</h2>") for heading in headings]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_the_child_page_shows_drift_to_leads_only(world: World) -> None:
    client = Client()
    client.force_login(world.users["practitioner"])
    html = client.get(f"/children/{world.child.pk}/").content.decode()
    assert "Graded Care Profile 2" in html and 'id="drift"' not in html
