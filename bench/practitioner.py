"""A practitioner's pages on the large partnership: child search, the child's page with a long
chronology (and its query count at 30 and 300 entries), and logging a concern end to end.

Each timing is a p95 through the whole Django stack (middleware, session, ORM, templates),
beside a trivial signed-in page (the empty search form) timed the same way in the same run.
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
from typing import TYPE_CHECKING

from .forms import concern_form
from .harness import (
    Result,
    ensure_scale_database,
    p95_ms,
    report,
    request_timings,
    signed_in,
    use_database,
)

if TYPE_CHECKING:
    from cases.models import Child, Practitioner

TIMED_REQUESTS = 60
LONG_CHRONOLOGY = 300
SHORT_CHRONOLOGY = 30


def bench_practitioner(children: int) -> None:
    use_database(ensure_scale_database(children))

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from cases.access import children_visible_to
    from cases.models import Address, Child, Practitioner

    rng = random.Random(3)
    user = Practitioner.objects.get(username="practitioner")
    client = Client(HTTP_HOST="localhost")
    signed_in(client, user)

    baseline = p95_ms(request_timings(client, "/children/search/", TIMED_REQUESTS))
    baseline_name = "trivial signed-in page (empty search form) p95"

    # Child search: a mix of misspelt names, dates of birth, NHS numbers and postcodes.
    sample = list(
        Child.objects.filter(
            is_unborn=False, pk__in=[rng.randrange(1, children) for _ in range(80)]
        )
    )
    postcodes = dict(
        Address.objects.filter(family_id__in=[c.family_id for c in sample]).values_list(
            "family_id", "postcode"
        )
    )
    searches = []
    for index, child in enumerate(sample[:TIMED_REQUESTS]):
        kind = index % 4
        if kind == 0:
            searches.append({"name": f"{child.first_name} {_misspell(rng, child.last_name)}"})
        elif kind == 1:
            born = child.date_of_birth
            assert born is not None
            searches.append(
                {
                    "date_of_birth-day": str(born.day),
                    "date_of_birth-month": str(born.month),
                    "date_of_birth-year": str(born.year),
                }
            )
        elif kind == 2:
            searches.append({"nhs_number": child.nhs_number})
        else:
            searches.append({"postcode": postcodes.get(child.family_id, "NT1 1AA")})
    # A search is a POST that redirects to its results (identifiers never in a URL): timed
    # together, as a person waits for both.
    for params in searches[:3]:
        client.post("/children/search/", params, follow=True)
    samples = []
    found = 0
    for params in searches:
        start = time.perf_counter()
        response = client.post("/children/search/", params, follow=True)
        samples.append(time.perf_counter() - start)
        # A misspelling may leave nothing spelt or sounding alike ("Cox" typed "Cyx"): still a
        # search, timed; how many found something is printed beside the figure.
        assert response.status_code == 200 and b'id="results"' in response.content, params
        found += b"search-results" in response.content
    report(
        Result(
            f"child search p95 ({len(searches)} searches: name, date of birth, NHS number, "
            f"postcode; {found} found the child or others)",
            p95_ms(samples),
            "ms",
            baseline_name,
            baseline,
            "under 150 ms",
        )
    )

    # The child's page: the same child with 30, then 300, chronology entries.
    subject = children_visible_to(user=user).filter(is_unborn=False).order_by("pk").first()
    assert subject is not None
    child = subject
    path = f"/children/{child.pk}/"
    _set_chronology_length(child, SHORT_CHRONOLOGY, user)
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    # Counted now: the next request resets Django's query log.
    short_queries = len(captured)
    _set_chronology_length(child, LONG_CHRONOLOGY, user)
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    long_queries = len(captured)
    report(
        Result(
            f"child's page p95 ({LONG_CHRONOLOGY} chronology entries)",
            p95_ms(request_timings(client, path, TIMED_REQUESTS)),
            "ms",
            baseline_name,
            baseline,
            "under 150 ms",
        )
    )
    report(
        Result(
            f"child's page SQL queries at {LONG_CHRONOLOGY} entries",
            long_queries,
            "queries",
            f"at {SHORT_CHRONOLOGY} entries",
            short_queries,
            "equal (ratio 1.00x)",
        )
    )

    # Logging a concern end to end: POST, saved, redirected to the concern.
    observed = timezone.localdate() - datetime.timedelta(days=1)
    form = concern_form([child.pk], observed)
    concern_path = f"/children/{child.pk}/concerns/new/"
    samples = []
    for n in range(TIMED_REQUESTS + 3):
        data = {**form, "submission_key": uuid.uuid4().hex}
        start = time.perf_counter()
        response = client.post(concern_path, data)
        elapsed = time.perf_counter() - start
        assert response.status_code == 302, response.content[:2000]
        if n >= 3:
            samples.append(elapsed)
    report(
        Result(
            "log a concern end to end p95 (POST, saved, redirected)",
            p95_ms(samples),
            "ms",
            baseline_name,
            baseline,
            "under 100 ms",
        )
    )


def _misspell(rng: random.Random, name: str) -> str:
    """Swap one vowel for another, as a hurried search might."""
    vowels = [i for i, ch in enumerate(name) if ch in "aeiou"]
    if not vowels:
        return name
    i = rng.choice(vowels)
    return name[:i] + rng.choice([v for v in "aeiouy" if v != name[i]]) + name[i + 1 :]


def _set_chronology_length(child: Child, length: int, user: Practitioner) -> None:
    """Make the child's chronology exactly `length` entries long (the bench database is reused)."""
    from django.utils import timezone

    from cases.models import ChronologyEntry

    entries = ChronologyEntry.objects.filter(child=child)
    count = entries.count()
    if count > length:
        keep = entries.order_by("-occurred_on", "-pk").values_list("pk", flat=True)[:length]
        entries.exclude(pk__in=list(keep)).delete()
    elif count < length:
        today = timezone.localdate()
        ChronologyEntry.objects.bulk_create(
            ChronologyEntry(
                child=child,
                family_id=child.family_id,
                occurred_on=today - datetime.timedelta(days=3 * n),
                event_type="visit",
                significance="low",
                summary="Home visit: child seen, home conditions noted.",
                source_agency=user.agency,
                recorded_by=user,
            )
            for n in range(length - count)
        )
