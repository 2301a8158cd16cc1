"""Finding a child: spelling-tolerant names, identifiers, postcode, and what others see."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import F, Func, Q, Value
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.casework.search import ChildSearchCriteria, child_search
from cases.codes import AgencyType, RestrictionReason, Role
from cases.models import Child
from tests.support import factories

pytestmark = pytest.mark.django_db

NHS = "9434765919"
UPN = "A123456789012"


@pytest.fixture
def partnership() -> dict:
    health = factories.agency("Northshire Health", AgencyType.HEALTH)
    school = factories.agency("Northshire Primary", AgencyType.EDUCATION)
    known = factories.child(
        known_to=[health],
        first_name="Jonathan",
        last_name="Smith",
        date_of_birth=datetime.date(2018, 3, 27),
        nhs_number=NHS,
    )
    factories.address(known.family, "NT1 4AB")
    unknown = factories.child(
        known_to=[school],
        first_name="Jonathon",
        last_name="Smyth",
        date_of_birth=datetime.date(2017, 6, 1),
        upn=UPN,
    )
    factories.address(unknown.family, "NT9 9ZZ")
    nurse = factories.practitioner(health, Role.PRACTITIONER, "nurse")
    return {"health": health, "school": school, "known": known, "unknown": unknown, "nurse": nurse}


def ids(results: list) -> list[int]:
    return [r.id for r in results]


def test_a_misspelt_name_finds_both_spellings(partnership) -> None:
    results = child_search(
        user=partnership["nurse"], criteria=ChildSearchCriteria(name="Jonathan Smith")
    )
    assert ids(results)[0] == partnership["known"].pk
    assert partnership["unknown"].pk in ids(results)
    results = child_search(user=partnership["nurse"], criteria=ChildSearchCriteria(name="smyth"))
    assert partnership["unknown"].pk in ids(results)


def test_a_short_name_spelt_as_it_sounds_is_found(partnership) -> None:
    osei = factories.child(known_to=[partnership["health"]], first_name="Ava", last_name="Osei")
    results = child_search(user=partnership["nurse"], criteria=ChildSearchCriteria(name="Eva Osai"))
    assert ids(results) == [osei.pk]


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        (ChildSearchCriteria(date_of_birth=datetime.date(2018, 3, 27)), "known"),
        (ChildSearchCriteria(nhs_number=NHS), "known"),
        (ChildSearchCriteria(upn=UPN), "unknown"),
        (ChildSearchCriteria(postcode="NT9 9ZZ"), "unknown"),
    ],
)
def test_it_finds_a_child_by_each_identifier(partnership, criteria, expected: str) -> None:
    assert ids(child_search(user=partnership["nurse"], criteria=criteria)) == [
        partnership[expected].pk
    ]


def test_a_child_the_policy_allows_comes_back_in_full(partnership) -> None:
    [result] = child_search(user=partnership["nurse"], criteria=ChildSearchCriteria(nhs_number=NHS))
    assert result.visible and result.child == partnership["known"]
    assert result.postcode == "NT1 4AB"


def test_other_children_come_back_as_initials_year_and_agencies_only(partnership) -> None:
    [result] = child_search(user=partnership["nurse"], criteria=ChildSearchCriteria(upn=UPN))
    assert not result.visible
    assert result.child is None
    assert (result.initials, result.year_of_birth, result.agencies) == (
        "JS",
        2017,
        ["Northshire Primary"],
    )
    assert result.postcode == ""


def test_the_results_page_never_shows_a_non_visible_childs_details(partnership) -> None:
    client = Client()
    client.force_login(partnership["nurse"])
    response = client.post("/children/search/", {"name": "Jonathon Smyth"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode().split('data-testid="search-results"')[1]
    assert "Jonathan Smith" in html  # the child the nurse's agency knows
    for detail in ("Jonathon", "Smyth", "NT9 9ZZ", UPN, "1 June 2017"):
        assert detail not in html
    assert "JS" in html and "2017" in html and "Northshire Primary" in html
    assert f"/children/{partnership['unknown'].pk}/request-access/" in html


def test_a_restricted_record_is_not_found_by_others(partnership) -> None:
    hidden = factories.child(
        known_to=[partnership["health"]],
        first_name="Jonathan",
        last_name="Smithe",
        is_restricted=True,
        restriction_reason=RestrictionReason.ADOPTION,
    )
    results = child_search(
        user=partnership["nurse"], criteria=ChildSearchCriteria(name="Jonathan Smithe")
    )
    assert hidden.pk not in ids(results)
    hidden.restricted_to.add(partnership["nurse"])
    results = child_search(
        user=partnership["nurse"], criteria=ChildSearchCriteria(name="Jonathan Smithe")
    )
    assert hidden.pk in ids(results)


def test_the_query_count_does_not_grow_with_the_number_of_results(partnership) -> None:
    def queries_for_name_search() -> int:
        with CaptureQueriesContext(connection) as captured:
            child_search(user=partnership["nurse"], criteria=ChildSearchCriteria(name="Smith"))
        return len(captured)

    few = queries_for_name_search()
    for n in range(15):
        factories.child(known_to=[partnership["school"]], first_name=f"Kid{n}", last_name="Smith")
    # The names alike, the masked matches, the visible records.
    assert queries_for_name_search() == few == 3


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"nhs_number": "9434765918"}, "nhs_number", "fails the check digit"),
        ({"upn": "B123456789012"}, "upn", "check letter"),
        ({"postcode": "nonsense"}, "postcode", "Enter a real postcode"),
        (
            {"date_of_birth-day": "1", "date_of_birth-month": "1", "date_of_birth-year": "2999"},
            "date_of_birth-day",
            "must be today or in the past",
        ),
    ],
)
def test_bad_search_input_gets_a_field_message(partnership, params, field, message) -> None:
    client = Client()
    client.force_login(partnership["nurse"])
    html = client.post("/children/search/", params).content.decode()
    assert f'href="#id_{field}"' in html
    assert message in html


def test_an_empty_search_asks_for_something_to_search_by(partnership) -> None:
    client = Client()
    client.force_login(partnership["nurse"])
    html = client.post("/children/search/", {"name": ""}).content.decode()
    assert "Enter a name, date of birth, NHS number, UPN or postcode" in html


def test_fields_carry_the_design_systems_classes_and_error_state(partnership) -> None:
    client = Client()
    client.force_login(partnership["nurse"])
    html = client.post("/children/search/", {"nhs_number": "9434765918"}).content.decode()
    assert 'class="govuk-input" ' in html  # the name field
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error"' in html
    assert 'aria-describedby="id_nhs_number-hint id_nhs_number-error"' in html


# --- Identifiers never in a URL (issue 11) ----------------------------------------------------


def test_a_search_is_posted_and_its_results_page_address_carries_no_identifier(
    partnership,
) -> None:
    client = Client()
    client.force_login(partnership["nurse"])
    posted = client.post(
        "/children/search/",
        {
            "name": "Jonathan Smith",
            "nhs_number": NHS,
            "date_of_birth-day": "27",
            "date_of_birth-month": "3",
            "date_of_birth-year": "2018",
        },
    )
    assert posted.status_code == 302
    location = posted["Location"]
    for identifier in ("Jonathan", "Smith", NHS, "2018", "27"):
        assert identifier not in location
    assert location.startswith("/children/search/?search=")
    # The results page can be reloaded (or linked to) by the same person...
    for _ in range(2):
        html = client.get(location).content.decode()
        assert "1 match" in html and "Jonathan Smith" in html
    # ...and shows nothing to anybody else.
    other = Client()
    other.force_login(factories.practitioner(partnership["health"], Role.PRACTITIONER, "other"))
    html = other.get(location).content.decode()
    assert "search-results" not in html and "Jonathan Smith" not in html


def test_a_search_by_get_parameters_is_ignored(partnership) -> None:
    client = Client()
    client.force_login(partnership["nurse"])
    html = client.get("/children/search/", {"name": "Jonathan Smith"}).content.decode()
    assert "search-results" not in html


def test_the_api_searches_by_post_only(partnership) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(partnership["nurse"])
    assert client.get("/api/children/search/", {"nhs_number": NHS}).status_code == 405
    response = client.post("/api/children/search/", {"nhs_number": NHS}, format="json")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [partnership["known"].pk]


def test_names_match_as_the_same_test_on_each_child_would(partnership) -> None:
    """Matching words against the distinct names (ChildName) finds exactly the children that
    trigram similarity or Double Metaphone on the child's own names would."""
    for first, last in [("Ellie", "Allan"), ("Alfie", "Allen"), ("Katie", "Kaye"), ("", "Unborn")]:
        factories.child(known_to=[partnership["school"]], first_name=first, last_name=last)
    for words in ["Alan", "Alfie Alen", "Jonathan Smyth", "Catie", "Smith Kaye", "123", "Zzz"]:
        direct = Child.objects.alias(
            first_sound=Func(F("first_name"), function="dmetaphone"),
            last_sound=Func(F("last_name"), function="dmetaphone"),
        )
        for word in words.split():
            sound = Func(Value(word), function="dmetaphone")
            direct = direct.filter(
                Q(first_name__trigram_similar=word)
                | Q(last_name__trigram_similar=word)
                | Q(first_sound=sound)
                | Q(last_sound=sound)
            )
        found = child_search(user=partnership["nurse"], criteria=ChildSearchCriteria(name=words))
        assert sorted(ids(found)) == sorted(direct.values_list("pk", flat=True)), words


def test_a_renamed_child_is_found_by_the_new_name(partnership) -> None:
    Child.objects.filter(pk=partnership["known"].pk).update(last_name="Featherstonehaugh")
    results = child_search(
        user=partnership["nurse"], criteria=ChildSearchCriteria(name="Featherstonhaugh")
    )
    assert ids(results) == [partnership["known"].pk]


def test_a_word_like_no_name_answers_nothing_in_one_query(partnership) -> None:
    with CaptureQueriesContext(connection) as captured:
        results = child_search(
            user=partnership["nurse"], criteria=ChildSearchCriteria(name="Jonathan Qxzqxz")
        )
    assert results == [] and len(captured) == 1


def test_a_name_of_spaces_only_does_not_fail(partnership) -> None:
    results = child_search(user=partnership["nurse"], criteria=ChildSearchCriteria(name="   "))
    assert {r.id for r in results} == {partnership["known"].pk, partnership["unknown"].pk}
