"""The maintained rows of concerns awaiting an outcome (ConcernAwaitingOutcome, kept by the
database's triggers) always equal a recount from the source tables, whichever path changed them,
and so do the days' tallies kept from them; the lists and the lead's figure read from them keep
to the access policy and to the same four weeks."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.casework.break_glass import access_grant_request
from cases.codes import AgencyType, NeedLevel, RelationshipBasis, Role
from cases.models import (
    Concern,
    ConcernChild,
    ConcernOutcome,
    Involvement,
)
from cases.oversight.selectors import (
    awaiting_outcome_since,
    concerns_awaiting_outcome,
    lead_home_figures,
)
from cases.oversight.services import concern_outcome_record, involvement_step
from cases.services import legitimate_relationship_record
from tests.cases.notifications.test_notification_import import NHS, csv_file, run
from tests.support import factories
from tests.support.awaiting import maintained, recounted, tallied, tallied_again
from tests.support.world import World

pytestmark = pytest.mark.django_db


def assert_kept() -> None:
    assert maintained() == recounted()
    assert tallied() == tallied_again()


def test_the_rows_equal_a_recount_after_every_kind_of_change(world: World) -> None:
    csc = world.social_care
    school = world.school
    police = factories.agency("Test Constabulary", AgencyType.POLICE)
    manager = world.users["manager"]
    csc_team = factories.team(csc, "Assessment")
    other_team = factories.team(csc, "Children in need")
    teacher = factories.practitioner(school, Role.PRACTITIONER, "teacher")
    older = factories.child(known_to=[school, csc], first_name="Older", nhs_number=NHS)
    younger = factories.child(known_to=[school, csc], in_family=older.family, first_name="Young")
    unheld = factories.child(known_to=[school], first_name="Unheld")
    factories.involvement(older, NeedLevel.CHILD_IN_NEED, csc, team=csc_team)
    factories.involvement(younger, NeedLevel.EARLY_HELP, school)

    # A concern logged through the service, about two siblings and a child no one holds.
    factories.concern(teacher, [older, younger])
    factories.concern(teacher, [unheld])
    assert_kept()
    assert {row[2] for row in maintained()} == {older.pk, younger.pk}

    # An outcome for one sibling takes only that child's row away.
    concern = ConcernChild.objects.filter(child=older).get().concern
    concern_outcome_record(
        concern=concern, child=older, lead=manager, outcome="assessment_started", reason=""
    )
    assert_kept()
    assert {row[2] for row in maintained()} == {younger.pk}

    # Stepped up from the school's early help to social care: the row changes holder and team.
    involvement_step(
        child=younger,
        lead=manager,
        to_level=NeedLevel.CHILD_IN_NEED,
        protection_category="",
        reason="Needs an assessment",
        receiving_team=other_team,
        submission_key="step-up",
    )
    assert_kept()
    assert {(row[2], row[3], row[4]) for row in maintained()} == {
        (younger.pk, csc.pk, other_team.pk)
    }

    # A police notification imported for the older child, then the case moved between teams.
    content = csv_file(
        "domestic_abuse",
        [
            {
                "nhs_number": NHS,
                "incident_date": str(timezone.localdate() - datetime.timedelta(days=2)),
                "incident_reference": "DA/7",
                "summary": "Officers attended.",
            }
        ],
    )
    sender = factories.practitioner(police, Role.SAFEGUARDING_LEAD, "police-lead")
    run(world, "domestic_abuse", content, key="police", sender=sender)
    Involvement.objects.filter(child=older, ended_on__isnull=True).update(team=other_team)
    assert_kept()
    assert {row[2] for row in maintained()} == {older.pk, younger.pk}

    # The younger child's case closed (as a census import closes it): nothing awaits for them.
    Involvement.objects.filter(child=younger, ended_on__isnull=True).update(
        ended_on=timezone.localdate(), closure_reason="RC1"
    )
    assert_kept()
    assert {row[2] for row in maintained()} == {older.pk}

    # A case opened for the unheld child by an agency that has no relationship yet: no row
    # until the relationship is recorded.
    factories.involvement(unheld, NeedLevel.EARLY_HELP, police)
    assert_kept()
    assert unheld.pk not in {row[2] for row in maintained()}
    legitimate_relationship_record(
        child=unheld, agency_id=police.pk, basis=RelationshipBasis.ALLOCATION
    )
    assert_kept()
    assert unheld.pk in {row[2] for row in maintained()}

    # The outcome taken back and the concern re-dated (raw changes): still equal.
    ConcernOutcome.objects.all().delete()
    Concern.objects.filter(concernchild__child=unheld).update(
        submitted_at=timezone.now() - datetime.timedelta(days=40)
    )
    assert_kept()


def test_the_lists_keep_to_the_access_policy(world: World) -> None:
    csc = world.social_care
    school = world.school
    manager = world.users["manager"]
    teacher = factories.practitioner(school, Role.PRACTITIONER, "teacher")
    shown = factories.child(known_to=[school, csc], first_name="Shown")
    restricted = factories.child(known_to=[school, csc], first_name="Hidden", is_restricted=True)
    named = factories.child(known_to=[school, csc], first_name="Named", is_restricted=True)
    named.restricted_to.add(manager)
    by_grant_only = factories.child(known_to=[school], first_name="Granted")
    for child in (shown, restricted, named, by_grant_only):
        factories.involvement(child, NeedLevel.CHILD_IN_NEED, csc)
        factories.concern_observed([child], teacher)
    access_grant_request(practitioner=manager, child=by_grant_only, reason="Out of hours call")

    listed = {link.child_id for link in concerns_awaiting_outcome(user=manager)}
    assert listed == {shown.pk, named.pk}
    (figures,) = [f for f in lead_home_figures(user=manager) if f.scope == "agency"]
    assert figures.awaiting_outcome == 2
    # Another agency's lead sees none of the social care cases' concerns.
    assert not concerns_awaiting_outcome(user=world.users["lead"]).exists()


def test_the_leads_figure_counts_the_same_four_weeks_as_the_list(world: World) -> None:
    csc, school = world.social_care, world.school
    manager = world.users["manager"]
    teacher = factories.practitioner(school, Role.PRACTITIONER, "teacher")
    today = timezone.now().astimezone(datetime.UTC).date()
    first_day = datetime.datetime.combine(
        today - datetime.timedelta(days=27), datetime.time.min, tzinfo=datetime.UTC
    )
    assert awaiting_outcome_since() == first_day
    for name, submitted_at in (
        ("Today", timezone.now()),
        ("First", first_day),  # the first of the 28 days, at midnight
        ("Before", first_day - datetime.timedelta(seconds=1)),  # the day before: too old
    ):
        child = factories.child(known_to=[school, csc], first_name=name)
        factories.involvement(child, NeedLevel.CHILD_IN_NEED, csc)
        concern = factories.concern_observed([child], teacher)
        Concern.objects.filter(pk=concern.pk).update(submitted_at=submitted_at)
    assert_kept()
    listed = concerns_awaiting_outcome(user=manager, logged_since=awaiting_outcome_since())
    assert {link.child.first_name for link in listed} == {"Today", "First"}
    (figures,) = [f for f in lead_home_figures(user=manager) if f.scope == "agency"]
    assert figures.awaiting_outcome == 2
