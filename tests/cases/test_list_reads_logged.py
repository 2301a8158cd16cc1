"""Issue 11, failure 4: every response that shows case content writes its access-log rows,
lists and filtered lists included (one row per child shown), and fails closed."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.codes import AgencyType, NeedLevel, RelationshipBasis, Role
from cases.drift.evaluation import drift_evaluate
from cases.models import AccessLogEntry, TeamAroundFamilyMember
from cases.oversight.services import challenge_raise
from cases.services import legitimate_relationship_record
from tests.support import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def scene() -> dict:
    social_care = factories.agency("Social Care", AgencyType.CHILDRENS_SOCIAL_CARE)
    family = factories.family()
    elder = factories.child(known_to=[social_care], in_family=family, first_name="Ada")
    younger = factories.child(known_to=[social_care], in_family=family, first_name="Bea")
    other = factories.child(known_to=[social_care], first_name="Cy")
    for child in (elder, younger):
        factories.involvement(
            child, NeedLevel.CHILD_IN_NEED, social_care, TODAY - datetime.timedelta(days=60)
        )
    worker = factories.practitioner(social_care, Role.PRACTITIONER)
    manager = factories.practitioner(social_care, Role.SOCIAL_CARE_MANAGER)
    for child in (elder, younger, other):  # the worker's caseload, on their home page
        TeamAroundFamilyMember.objects.create(child=child, agency=social_care, practitioner=worker)
    factories.concern(worker, [elder, younger], what_was_seen="No heating in the bedroom.")
    factories.concern(worker, [other])
    drift_evaluate()
    return {
        "elder": elder,
        "younger": younger,
        "other": other,
        "worker": worker,
        "manager": manager,
    }


def client_for(user, **kwargs) -> Client:  # type: ignore[no-untyped-def]
    client = Client(**kwargs)
    client.force_login(user)
    return client


def logged(view_name: str) -> list[int]:
    return sorted(
        AccessLogEntry.objects.filter(view_name=view_name).values_list("child_id", flat=True)
    )


def access_log_refuses_rows() -> None:
    """From now on in this test, every access-log row fails to be written."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION refuse_log() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_log BEFORE INSERT ON cases_accesslogentry
            FOR EACH ROW EXECUTE FUNCTION refuse_log();
            """
        )


def test_a_filtered_concern_list_logs_each_child_it_shows(scene: dict) -> None:
    answer = client_for(scene["worker"]).get(f"/api/concerns/?child={scene['elder'].pk}")
    assert answer.status_code == 200 and answer.json()["count"] == 1
    assert logged("api_concerns") == sorted([scene["elder"].pk, scene["younger"].pk])


def test_the_whole_concern_list_logs_one_row_per_child(scene: dict) -> None:
    client_for(scene["worker"]).get("/api/concerns/")
    assert logged("api_concerns") == sorted(
        [scene["elder"].pk, scene["younger"].pk, scene["other"].pk]
    )


def test_a_list_whose_log_rows_cannot_be_written_shows_nothing(scene: dict) -> None:
    access_log_refuses_rows()
    client = client_for(scene["worker"], raise_request_exception=False)
    for path in ("/api/concerns/", f"/api/concerns/?child={scene['elder'].pk}", "/api/children/"):
        answer = client.get(path)
        assert answer.status_code == 500, path
        assert b"No heating" not in answer.content and b"Ada" not in answer.content


def test_the_drift_queue_and_flag_list_log_the_children_they_show(scene: dict) -> None:
    client = client_for(scene["manager"])
    assert client.get("/drift/").status_code == 200
    assert logged("drift_queue") == sorted([scene["elder"].pk, scene["younger"].pk])
    assert client.get("/api/drift/flags/").status_code == 200
    assert logged("api_drift_flags") == sorted([scene["elder"].pk, scene["younger"].pk])


def test_the_drift_queue_logs_the_children_of_its_side_lists_once_each(scene: dict) -> None:
    social_care = scene["manager"].agency
    # Opened today, so not drifting: shown only among the concerns awaiting an outcome.
    newcomer = factories.child(known_to=[social_care], first_name="Di")
    factories.involvement(newcomer, NeedLevel.CHILD_IN_NEED, social_care, TODAY)
    factories.concern(scene["worker"], [newcomer])
    drift_evaluate()
    page = client_for(scene["manager"]).get("/drift/").content.decode()
    assert page.count(f'href="/children/{newcomer.pk}/"') == 0 and "Concern about Di " in page
    # The elder two are on the queue and among the concerns too: one row each all the same.
    assert logged("drift_queue") == sorted([scene["elder"].pk, scene["younger"].pk, newcomer.pk])
    assert not AccessLogEntry.objects.filter(view_name="drift_queue", break_glass=True).exists()


def test_the_drift_queue_shows_nothing_when_its_log_rows_cannot_be_written(scene: dict) -> None:
    access_log_refuses_rows()
    answer = client_for(scene["manager"], raise_request_exception=False).get("/drift/")
    assert answer.status_code == 500
    assert b"Ada" not in answer.content and b"Bea" not in answer.content


def test_the_home_page_and_child_list_log_the_children_they_show(scene: dict) -> None:
    client = client_for(scene["worker"])
    assert client.get("/").status_code == 200
    assert logged("home") == sorted([scene["elder"].pk, scene["younger"].pk, scene["other"].pk])
    assert client.get("/api/children/").status_code == 200
    assert len(logged("api_child_list")) == 3


def test_search_results_shown_in_full_are_logged_and_masked_ones_are_not(scene: dict) -> None:
    stranger = factories.child(known_to=[factories.agency("Police", AgencyType.POLICE)])
    stranger.first_name, stranger.last_name = "Ada", scene["elder"].last_name
    stranger.save()
    answer = client_for(scene["worker"]).post(
        "/children/search/", {"name": f"Ada {stranger.last_name}"}, follow=True
    )
    assert answer.status_code == 200
    assert logged("child_search") == [scene["elder"].pk]


def test_the_concerns_awaiting_an_outcome_log_the_children_they_show(scene: dict) -> None:
    # The manager's agency holds the elder two's cases; the youngest is not open to it.
    assert client_for(scene["manager"]).get("/drift/concerns/").status_code == 200
    assert logged("concerns_awaiting") == sorted([scene["elder"].pk, scene["younger"].pk])


def test_concerns_i_raised_logs_the_children_it_names(scene: dict) -> None:
    assert client_for(scene["worker"]).get("/concerns/mine/").status_code == 200
    assert logged("concerns_mine") == sorted(
        [scene["elder"].pk, scene["younger"].pk, scene["other"].pk]
    )


def test_the_challenges_list_logs_the_children_it_shows(scene: dict) -> None:
    health = factories.agency("Health", AgencyType.HEALTH)
    legitimate_relationship_record(
        child=scene["elder"], agency_id=health.pk, basis=RelationshipBasis.CONCERN
    )
    challenge_raise(
        child=scene["elder"],
        raised_by=factories.practitioner(health, Role.SAFEGUARDING_LEAD),
        reason="Not seen for seven weeks.",
        asked_for="A visit this week.",
        answer_by=TODAY + datetime.timedelta(days=10),
        submission_key="list-log-1",
    )
    assert client_for(scene["manager"]).get("/drift/challenges/").status_code == 200
    assert logged("challenges") == [scene["elder"].pk]
