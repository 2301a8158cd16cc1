"""The GOV.UK pagination component as govuk-frontend 6 designs it, and NHS numbers shown in
groups of three, three and four wherever a page shows one."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import Client

from cases.models import Child
from cases.web.identifiers import nhs_number_display
from tests.support.world import World


def _pagination(number: int, pages: int = 8) -> str:
    page = Paginator(list(range(pages * 10)), 10).get_page(number)
    return render_to_string("includes/pagination.html", {"page": page, "query_string": "q=a"})


def test_pagination_has_previous_numbered_pages_with_ellipses_and_next() -> None:
    html = _pagination(5, pages=10)
    assert 'class="govuk-pagination__prev"' in html and 'class="govuk-pagination__next"' in html
    assert 'aria-current="page"' in html and 'href="?q=a&amp;page=5"' in html
    assert html.count("govuk-pagination__item--ellipses") == 2  # 1 … 4 5 6 … 10
    assert 'aria-label="Page 10"' in html and 'aria-label="Page 2"' not in html
    assert "Page 5 of 10" not in html  # no stray text between the parts


def test_the_first_page_has_no_previous_link() -> None:
    html = _pagination(1)
    assert "govuk-pagination__prev" not in html and 'rel="next"' in html


def test_a_single_page_has_no_pagination() -> None:
    assert _pagination(1, pages=1).strip() == ""


def test_nhs_numbers_are_shown_in_groups() -> None:
    assert nhs_number_display("9997310004") == "999 731 0004"
    assert nhs_number_display("999 731 0004") == "999 731 0004"


def test_the_childs_page_shows_the_nhs_number_spaced(world: World) -> None:
    Child.objects.filter(pk=world.child.pk).update(nhs_number="9997310004")
    client = Client()
    client.force_login(world.users["practitioner"])
    assert "999 731 0004" in client.get(f"/children/{world.child.pk}/").content.decode()
