"""concern_log and concern_amend: the services behind the concern form and the API."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.utils import timezone

from cases.casework.concerns import concern_amend, concern_log
from cases.codes import AgencyType, Role
from cases.models import (
    ChangeLogEntry,
    ChronologyEntry,
    Concern,
    ConcernAmendment,
    ConcernChild,
    LegitimateRelationship,
)
from cases.services import SubmissionKeyReused
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def siblings() -> tuple:
    health = factories.agency("Health", AgencyType.HEALTH)
    family = factories.family()
    elder = factories.child(known_to=[health], in_family=family, first_name="Ada")
    younger = factories.child(known_to=[health], in_family=family, first_name="Bea")
    author = factories.practitioner(health, Role.PRACTITIONER)
    return author, elder, younger


def test_it_saves_one_concern_for_two_siblings_with_a_chronology_entry_each(siblings) -> None:
    author, elder, younger = siblings
    concern = factories.concern(author, [elder, younger])
    assert set(concern.children.all()) == {elder, younger}
    for child in (elder, younger):
        entry = ChronologyEntry.objects.get(child=child, source_kind="concern")
        assert entry.source_id == concern.pk
        assert entry.event_type == "concern"
        assert entry.source_agency_id == author.agency_id
        assert entry.significance == "medium"
        assert entry.summary == (
            "Concern (nutritional neglect, physical neglect): "
            "Children hungry at school; no coats in November."
        )
    assert ChangeLogEntry.objects.filter(record_kind="Concern", record_id=concern.pk).count() == 2


def test_it_saves_all_siblings_or_none(siblings) -> None:
    author, elder, younger = siblings
    # The database refuses the second child's chronology entry part-way through the save.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            CREATE FUNCTION refuse_entry() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_entry BEFORE INSERT ON cases_chronologyentry
            FOR EACH ROW WHEN (NEW.child_id = {int(younger.pk)}) EXECUTE FUNCTION refuse_entry();
            """
        )
    with pytest.raises(DatabaseError):
        factories.concern(author, [elder, younger])
    assert Concern.objects.count() == 0
    assert ConcernChild.objects.count() == 0
    assert not ChronologyEntry.objects.filter(child=elder).exists()


def test_a_double_submit_creates_one_concern(siblings) -> None:
    author, elder, younger = siblings
    first = factories.concern(author, [elder, younger], submission_key="same-key")
    second = factories.concern(author, [elder, younger], submission_key="same-key")
    assert first.pk == second.pk
    assert Concern.objects.count() == 1
    assert ChronologyEntry.objects.filter(source_kind="concern").count() == 2


def test_someone_elses_submission_key_is_refused(siblings) -> None:
    author, elder, _younger = siblings
    factories.concern(author, [elder], submission_key="taken")
    colleague = factories.practitioner(author.agency)
    with pytest.raises(SubmissionKeyReused):
        factories.concern(colleague, [elder], submission_key="taken")


def test_my_own_key_reused_for_other_children_is_refused(siblings) -> None:
    author, elder, younger = siblings
    factories.concern(author, [elder], submission_key="mine")
    with pytest.raises(SubmissionKeyReused):
        factories.concern(author, [elder, younger], submission_key="mine")
    assert Concern.objects.count() == 1


def test_it_refuses_a_concern_with_no_neglect_type(siblings) -> None:
    author, elder, _younger = siblings
    with pytest.raises(ValidationError) as refused:
        factories.concern(author, [elder], neglect_types=[])
    assert refused.value.message_dict["neglect_types"] == ["Select at least one type of neglect"]
    assert Concern.objects.count() == 0


def test_it_refuses_a_date_in_the_future(siblings) -> None:
    author, elder, _younger = siblings
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        factories.concern(author, [elder], observed_on=tomorrow)
    assert "observed_on" in refused.value.message_dict
    assert Concern.objects.count() == 0


def test_it_refuses_oversize_text(siblings) -> None:
    author, elder, _younger = siblings
    with pytest.raises(ValidationError) as refused:
        factories.concern(author, [elder], what_was_seen="x" * 2001)
    assert "what_was_seen" in refused.value.message_dict
    assert Concern.objects.count() == 0


def test_sharing_without_consent_needs_a_reason(siblings) -> None:
    author, elder, _younger = siblings
    with pytest.raises(ValidationError) as refused:
        factories.concern(author, [elder], consent_to_share="not_sought", sharing_reason="")
    assert "sharing_reason" in refused.value.message_dict


def test_it_refuses_children_of_different_families(siblings) -> None:
    author, elder, _younger = siblings
    stranger = factories.child(known_to=[author.agency])
    with pytest.raises(ValidationError) as refused:
        factories.concern(author, [elder, stranger])
    assert "children" in refused.value.message_dict
    assert Concern.objects.count() == 0


def test_it_refuses_a_child_the_author_cannot_see(siblings) -> None:
    _author, elder, _younger = siblings
    outsider = factories.practitioner(factories.agency("School", AgencyType.EDUCATION))
    with pytest.raises(ValidationError):
        factories.concern(outsider, [elder])
    assert Concern.objects.count() == 0


def test_a_concern_under_break_glass_creates_no_relationship(siblings) -> None:
    _author, elder, younger = siblings
    school = factories.agency("School", AgencyType.EDUCATION)
    teacher = factories.practitioner(school)
    for child in (elder, younger):
        # The school sees the children through a break-glass grant, then logs a concern.
        child.access_grants.create(
            practitioner=teacher,
            reason="Child disclosed at school",
            expires_at=timezone.now() + datetime.timedelta(hours=1),
        )
    concern = factories.concern(teacher, [elder, younger])
    assert concern.author == teacher and concern.author_agency == school
    assert not LegitimateRelationship.objects.filter(agency=school).exists()


def test_an_amendment_is_added_and_the_concern_is_unchanged(siblings) -> None:
    author, elder, _younger = siblings
    concern = factories.concern(author, [elder])
    amendment = concern_amend(concern=concern, author=author, text="The date was a day earlier.")
    concern.refresh_from_db()
    assert concern.what_was_seen == factories.concern_fields()["what_was_seen"]
    assert list(concern.amendments.all()) == [amendment]
    assert ChangeLogEntry.objects.filter(record_kind="ConcernAmendment").count() == 1


def test_an_empty_amendment_is_refused(siblings) -> None:
    author, elder, _younger = siblings
    concern = factories.concern(author, [elder])
    with pytest.raises(ValidationError):
        concern_amend(concern=concern, author=author, text="")
    assert ConcernAmendment.objects.count() == 0


def test_a_practitioner_who_cannot_see_the_children_cannot_amend(siblings) -> None:
    author, elder, _younger = siblings
    concern = factories.concern(author, [elder])
    outsider = factories.practitioner(factories.agency("School", AgencyType.EDUCATION))
    with pytest.raises(ValidationError):
        concern_amend(concern=concern, author=outsider, text="Not mine to add")
    assert ConcernAmendment.objects.count() == 0


def test_an_executive_cannot_log_a_concern(siblings) -> None:
    author, elder, _younger = siblings
    executive = factories.practitioner(author.agency, Role.EXECUTIVE)
    with pytest.raises(ValidationError):
        concern_log(author=executive, children=[elder], **factories.concern_fields())
    assert Concern.objects.count() == 0
