"""The GOV.UK form kit: the one date field, the identifier cleaning and the service-error
adapters behave the same for every app."""

from __future__ import annotations

import datetime
import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from cases.web import identifiers
from cases.web.forms import (
    DateBoundField,
    DateField,
    GovUKForm,
    LongSelect,
    add_service_errors,
    api_service_errors,
)


class VisitForm(GovUKForm):
    seen_on = DateField(label="Date seen", past_only=True)
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    topics = forms.MultipleChoiceField(
        label="Topics", choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple
    )


def visit(**data: str) -> VisitForm:
    form = VisitForm({"kind": "a", "topics": ["x"], **data})
    form.is_valid()
    return form


def typed(day: str, month: str, year: str) -> dict[str, str]:
    return {"seen_on-day": day, "seen_on-month": month, "seen_on-year": year}


@pytest.mark.parametrize(
    ("parts", "message", "anchor", "marked"),
    [
        (typed("3", "", "2024"), "Date seen must include a month", "month", {"month"}),
        (typed("x", "2", "2024"), "must be a real date", "day", {"day"}),
        (typed("31", "2", "2024"), "must be a real date", "day", {"day"}),
        (typed("1", "13", "2024"), "must be a real date", "month", {"month"}),
        (typed("1", "2", "24"), "Year must include 4 numbers", "year", {"year"}),
        (typed("1", "2", "2999"), "today or in the past", "day", {"day", "month", "year"}),
    ],
)
def test_a_bad_date_names_and_marks_the_part_that_is_wrong(parts, message, anchor, marked) -> None:
    form = visit(**parts)
    assert message in form.errors["seen_on"][0]
    field = form["seen_on"]
    assert isinstance(field, DateBoundField)
    assert field.anchor == f"id_seen_on-{anchor}"
    assert {str(p["id"]).rpartition("-")[2] for p in field.parts if p["error"]} == marked
    html = render_to_string("includes/govuk_field.html", {"field": field})
    for part in ("day", "month", "year"):
        assert f'name="seen_on-{part}"' in html and f'id="id_seen_on-{part}"' in html
    assert 'role="group"' in html and 'inputmode="numeric"' in html


def test_a_good_date_is_cleaned_and_an_empty_required_one_asks_for_it() -> None:
    assert visit(**typed("1", "2", "2024")).cleaned_data["seen_on"] == datetime.date(2024, 2, 1)
    assert visit().errors["seen_on"] == ["Enter Date seen"]


def test_the_summary_links_every_error_to_an_input_that_exists() -> None:
    form = VisitForm({"seen_on-day": "1"})
    form.is_valid()
    fields = "".join(
        render_to_string("includes/govuk_field.html", {"field": field}) for field in form
    )
    summary = render_to_string("includes/govuk_error_summary.html", {"form": form})
    assert 'data-module="govuk-error-summary"' in summary
    for anchor in ("id_seen_on-month", "id_kind", "id_topics"):
        assert f'href="#{anchor}"' in summary and f'id="{anchor}"' in fields
    assert 'id="id_kind-2"' in fields and 'id="id_topics-2"' in fields
    assert 'aria-describedby="id_kind-error"' in fields


def test_service_errors_land_on_their_field_or_the_whole_form() -> None:
    form = visit(**typed("1", "2", "2024"))
    add_service_errors(form, ValidationError({"kind": "Not that one", "other": "Broken"}))
    add_service_errors(form, {"__all__": "Someone else changed it"})
    assert form.errors["kind"] == ["Not that one"]
    assert form.non_field_errors() == ["Broken", "Someone else changed it"]
    assert api_service_errors(ValidationError("Refused")) == {"non_field_errors": ["Refused"]}
    assert api_service_errors({"kind": "Not that one"}) == {"kind": ["Not that one"]}


def test_identifiers_are_normalised_or_refused_the_same_everywhere() -> None:
    assert identifiers.clean_postcode(" nt14ab ") == "NT1 4AB"
    assert identifiers.clean_nhs_number("943 476 5919") == "9434765919"
    assert identifiers.clean_upn("") == ""
    with pytest.raises(ValidationError, match="real postcode"):
        identifiers.clean_postcode("nonsense")
    with pytest.raises(ValidationError, match="check digit"):
        identifiers.clean_nhs_number("9434765918")


def test_a_long_select_draws_what_djangos_select_draws_with_every_label_escaped() -> None:
    choices = [
        ("", "Anyone"),
        (1, "O'Brien <script>&\""),
        ("Group <b>", [(2, "Zed"), (1, "Twice")]),
    ]

    class Templated(GovUKForm):
        worker = forms.ChoiceField(choices=choices, required=False)

    class Drawn(GovUKForm):
        worker = forms.ChoiceField(choices=choices, required=False, widget=LongSelect)

    def attributes_and_markup(html: str) -> tuple[list[str], str]:
        opening, rest = html.split(">", 1)
        return sorted(opening.split()), re.sub(r"\s+", " ", rest).strip()

    for initial in ({"worker": "1"}, {"worker": "2"}, {}):
        drawn = str(Drawn(initial=initial)["worker"])
        assert attributes_and_markup(drawn) == attributes_and_markup(
            str(Templated(initial=initial)["worker"])
        )
        assert "<script>" not in drawn and "<b>" not in drawn


def test_a_record_form_without_added_parts_still_shows_its_error_summary(rf, db) -> None:
    """cases/record_form.html serves forms with parts from other apps (record_page) and forms
    rendered directly (a level change, a challenge, a step-up request): both get the summary."""
    from types import SimpleNamespace

    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from cases.oversight.forms import LevelChangeForm

    form = LevelChangeForm({}, decides_need_level=True)
    assert not form.is_valid()
    request = rf.get("/")
    request.user = AnonymousUser()
    page = render_to_string(
        "cases/record_form.html",
        {"child": SimpleNamespace(pk=1, full_name="A Child"), "form": form, "title": "Change"},
        request=request,
    )
    assert "govuk-error-summary" in page and "There is a problem" in page
