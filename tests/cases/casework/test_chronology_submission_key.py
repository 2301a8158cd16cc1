"""'Add to the chronology' carries a submission key: a replayed or concurrent submit adds one entry,
and a key is only good for the person and child it was issued for."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.codes import AgencyType, Role
from cases.models import Child, ChronologyEntry, Practitioner
from tests.support import factories

DAY = timezone.localdate() - datetime.timedelta(days=1)


def _form(key: str) -> dict[str, object]:
    return {
        "event_type": "school_absence",
        "occurred_on-day": DAY.day,
        "occurred_on-month": DAY.month,
        "occurred_on-year": DAY.year,
        "significance": "medium",
        "summary": "Absent all week; no call from home.",
        "submission_key": key,
    }


def _people() -> tuple[Practitioner, Child, Child]:
    school = factories.agency("Key School", AgencyType.EDUCATION)
    child = factories.child(known_to=[school])
    sibling = factories.child(known_to=[school], in_family=child.family)
    teacher = factories.practitioner(school, Role.PRACTITIONER)
    return teacher, child, sibling


@pytest.mark.django_db
def test_a_submit_replayed_three_times_adds_one_entry() -> None:
    teacher, child, _ = _people()
    client = Client()
    client.force_login(teacher)
    for _ in range(4):
        response = client.post(f"/children/{child.pk}/chronology/new/", _form("replay-key"))
        assert response.status_code == 302
    assert ChronologyEntry.objects.filter(child=child).count() == 1


@pytest.mark.django_db
def test_the_form_issues_a_key_and_a_post_without_one_is_refused() -> None:
    teacher, child, _ = _people()
    client = Client()
    client.force_login(teacher)
    assert (
        'name="submission_key"'
        in client.get(f"/children/{child.pk}/chronology/new/").content.decode()
    )
    data = _form("")
    response = client.post(f"/children/{child.pk}/chronology/new/", data)
    assert response.status_code == 200
    assert not ChronologyEntry.objects.exists()


@pytest.mark.django_db
def test_a_key_used_for_another_child_or_person_is_refused() -> None:
    teacher, child, sibling = _people()
    client = Client()
    client.force_login(teacher)
    client.post(f"/children/{child.pk}/chronology/new/", _form("one-key"))
    other_child = client.post(f"/children/{sibling.pk}/chronology/new/", _form("one-key"))
    assert "This form was already used" in other_child.content.decode()
    colleague = factories.practitioner(teacher.agency, Role.PRACTITIONER)
    client.force_login(colleague)
    someone_else = client.post(f"/children/{child.pk}/chronology/new/", _form("one-key"))
    assert "This form was already used" in someone_else.content.decode()
    assert ChronologyEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_with_one_key_add_one_entry() -> None:
    teacher, child, _ = _people()
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def submit() -> None:
        try:
            client = Client()
            client.force_login(teacher)
            barrier.wait()
            response = client.post(f"/children/{child.pk}/chronology/new/", _form("race-key"))
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302, 302, 302]
    assert ChronologyEntry.objects.filter(child=child).count() == 1
