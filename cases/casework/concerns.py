"""Neglect concerns: logging one (for one child or several siblings at once), amending it,
and reading concerns under the access policy.

A concern is saved for all of its children or for none; a resubmission carrying the same
submission key returns the concern already saved instead of creating another; a submitted
concern is never edited, only amended.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from cases.access import children_visible_to, does_casework
from cases.bulk import change_log_created, values_insert
from cases.codes import ChronologyEventType, NeglectType
from cases.models import (
    SUMMARY_MAX_LENGTH,
    Child,
    ChronologyEntry,
    Concern,
    ConcernAmendment,
    ConcernChild,
    ConcernOutcome,
    Involvement,
    Practitioner,
)
from cases.services import (
    SubmissionKeyReused,
    change_log_record,
    drift_evaluation_request,
    submission_repeat,
)

CHRONOLOGY_SUMMARY_LENGTH = 300
RECENT_CONCERNS = 5


@dataclass(frozen=True)
class ChildAnswers:
    """One child's own answers in a concern about several: seen, seen alone, spoken to, words."""

    seen: bool
    seen_alone: bool = False
    spoken_to: bool = False
    voice: str = ""


def _check_children(*, author: Practitioner, children: Sequence[Child]) -> None:
    if not children:
        raise ValidationError({"children": "Select at least one child"})
    if len({child.family_id for child in children}) > 1:
        raise ValidationError(
            {"children": "A concern can only be about children of the same family"}
        )
    visible = set(
        children_visible_to(user=author)
        .filter(pk__in=[child.pk for child in children])
        .values_list("pk", flat=True)
    )
    if len(visible) != len({child.pk for child in children}):
        raise ValidationError({"children": "You can only log a concern about children you can see"})


def _check_answers(
    *, neglect_types: Sequence[str], actions_taken: Sequence[str], texts: dict[str, str]
) -> None:
    """The answers Django's field checks would word unhelpfully, or not check at all."""
    errors: dict[str, str] = {}
    if not neglect_types:
        errors["neglect_types"] = "Select at least one type of neglect"
    if not actions_taken:
        errors["actions_taken"] = "Select what you did, or that no action was taken yet"
    for name, text in texts.items():
        if len(text) > SUMMARY_MAX_LENGTH:
            errors[name] = f"Enter {SUMMARY_MAX_LENGTH:,} characters or fewer"
    if errors:
        raise ValidationError(errors)


def _existing(
    submission_key: str, author: Practitioner, children: Sequence[Child]
) -> Concern | None:
    """A retry by the same author about the same children; any other use of the key is refused."""
    concern = submission_repeat(
        Concern.objects.all(), submission_key=submission_key, author_id=author.pk
    )
    if concern is not None and set(
        ConcernChild.objects.filter(concern=concern).values_list("child_id", flat=True)
    ) != {child.pk for child in children}:
        raise SubmissionKeyReused()
    return concern


def concern_log(
    *,
    author: Practitioner,
    children: Sequence[Child],
    neglect_types: Sequence[str],
    what_was_seen: str,
    severity: str,
    observed_on: datetime.date,
    place_observed: str = "",
    child_seen: bool,
    child_seen_alone: bool = False,
    child_spoken_to: bool = False,
    child_voice: str = "",
    actions_taken: Sequence[str],
    consent_to_share: str,
    sharing_reason: str = "",
    submission_key: str,
    answers_by_child: Mapping[int, ChildAnswers] | None = None,
) -> Concern:
    """Log a concern about one child or several siblings, all or none.

    Writes the concern, one ConcernChild row (with that child's own answers: from
    `answers_by_child`, else the concern's child_seen/.../child_voice) and one chronology entry
    per child, and logs the change. It creates no relationship: the author can already see
    every child (see `chronology_entry_record`). A second call with the same submission key by
    the same author about the same children returns the first concern unchanged.
    """
    existing = _existing(submission_key, author, children)
    if existing is not None:
        return existing
    if not does_casework(author) or author.agency is None:
        raise ValidationError("Only practitioners can log concerns")
    _check_children(author=author, children=children)
    own = answers_by_child or {}
    for child_id, given in own.items():
        prefix = f"sibling_{child_id}"
        if given.seen_alone and not given.seen:
            raise ValidationError({f"{prefix}_seen_alone": "A child seen alone must also be seen"})
        if len(given.voice) > SUMMARY_MAX_LENGTH:
            raise ValidationError(
                {f"{prefix}_voice": f"Enter {SUMMARY_MAX_LENGTH:,} characters or fewer"}
            )
    default = ChildAnswers(child_seen, child_seen_alone, child_spoken_to, child_voice)
    answers = {child.pk: own.get(child.pk, default) for child in children}
    _check_answers(
        neglect_types=neglect_types,
        actions_taken=actions_taken,
        texts={
            "what_was_seen": what_was_seen,
            "child_voice": child_voice,
            "sharing_reason": sharing_reason,
        },
    )
    concern = Concern(
        author=author,
        author_agency=author.agency,
        family_id=children[0].family_id,
        neglect_types=sorted(set(neglect_types)),
        what_was_seen=what_was_seen,
        severity=severity,
        observed_on=observed_on,
        place_observed=place_observed,
        child_seen=child_seen,
        child_seen_alone=child_seen_alone,
        child_spoken_to=child_spoken_to,
        child_voice=child_voice,
        actions_taken=sorted(set(actions_taken)),
        consent_to_share=consent_to_share,
        sharing_reason=sharing_reason,
        submission_key=submission_key,
    )
    # The author, their agency and the family are objects this service holds and has checked:
    # validating them again would cost a query each.
    concern.full_clean(exclude=["submission_key", "author", "author_agency", "family"])
    try:
        with transaction.atomic():
            concern.save()
            _record_for_children(concern=concern, children=children, author=author, answers=answers)
    except IntegrityError:
        # Two submissions raced: the other one won, so answer with its concern.
        winner = _existing(submission_key, author, children)
        if winner is None:
            raise
        return winner
    return concern


def concern_chronology_summary(*, neglect_types: Sequence[str], what_was_seen: str) -> str:
    """The chronology's one-line account of a concern: its types and the start of what was seen."""
    labels = ", ".join(NeglectType(code).label.lower() for code in neglect_types)
    seen = what_was_seen.strip()
    if len(seen) > CHRONOLOGY_SUMMARY_LENGTH:
        seen = seen[: CHRONOLOGY_SUMMARY_LENGTH - 1].rstrip() + "…"
    return f"Concern ({labels}): {seen}"


def _record_for_children(
    *,
    concern: Concern,
    children: Sequence[Child],
    author: Practitioner,
    answers: Mapping[int, ChildAnswers],
) -> None:
    """The concern's children, their chronology entries, the change log and the drift
    re-evaluation request: what `chronology_entry_record` writes for each child, one statement
    per table for all of them."""
    ConcernChild.objects.bulk_create(
        [
            ConcernChild(
                concern=concern,
                child=child,
                child_seen=answers[child.pk].seen,
                child_seen_alone=answers[child.pk].seen_alone,
                child_spoken_to=answers[child.pk].spoken_to,
                child_voice=answers[child.pk].voice.strip(),
            )
            for child in children
        ]
    )
    entries = [
        _concern_chronology_entry(concern=concern, child_id=child.pk, author=author)
        for child in children
    ]
    for entry in entries:
        entry.clean_fields(exclude=["child", "family", "source_agency", "recorded_by"])
        entry.clean()
    ChronologyEntry.objects.bulk_create(entries)
    change_log_created(
        (author.pk, child.pk, record)
        for child, entry in zip(children, entries, strict=True)
        for record in (entry, concern)
    )
    drift_evaluation_request(child_ids=[child.pk for child in children])


def _concern_chronology_entry(
    *, concern: Concern, child_id: int, author: Practitioner
) -> ChronologyEntry:
    assert author.agency_id is not None
    return ChronologyEntry(
        child_id=child_id,
        family_id=concern.family_id,
        occurred_on=concern.observed_on,
        event_type=ChronologyEventType.CONCERN,
        significance=concern.severity,
        summary=concern_chronology_summary(
            neglect_types=concern.neglect_types, what_was_seen=concern.what_was_seen
        ),
        source_agency_id=author.agency_id,
        recorded_by=author,
        source_kind="concern",
        source_id=concern.pk,
    )


def concerns_record_notified(
    *, author: Practitioner, concerns: Sequence[tuple[Concern, int]]
) -> list[ChronologyEntry]:
    """Save concerns an agency's system notified (a police notification), each about one
    child, set-based but writing what `concern_log` writes: the concern, the child's answers,
    one chronology entry and the change log. Returns each concern's chronology entry.

    Matching found the child, not the author's view of it, so visibility is not checked (as for
    every notification row). Each concern carries a unique submission key, so the same
    notification can never be saved twice. The caller asks for drift re-evaluation.
    """
    if author.agency_id is None:
        raise ValidationError("Only an agency's people and systems log concerns")
    for concern, _child_id in concerns:
        concern.author = author
        concern.author_agency_id = author.agency_id
        # The relations are the caller's matched ids: checking them would cost a query each.
        concern.clean_fields(exclude=["author", "author_agency", "family"])
        concern.clean()
    Concern.objects.bulk_create([concern for concern, _ in concerns], batch_size=5000)
    values_insert(
        ConcernChild,
        ("concern_id", "child_id", "child_seen"),  # the other answers take their db defaults
        ((concern.pk, child_id, concern.child_seen) for concern, child_id in concerns),
    )
    entries = [
        _concern_chronology_entry(concern=concern, child_id=child_id, author=author)
        for concern, child_id in concerns
    ]
    ChronologyEntry.objects.bulk_create(entries, batch_size=5000)
    change_log_created(
        (author.pk, child_id, record)
        for (concern, child_id), entry in zip(concerns, entries, strict=True)
        for record in (entry, concern)
    )
    return entries


@transaction.atomic
def concern_amend(*, concern: Concern, author: Practitioner, text: str) -> ConcernAmendment:
    """Add a correction or addition; the concern itself is never changed."""
    if not concern_children_visible(user=author, concern=concern):
        raise ValidationError("You can only amend a concern about children you can see")
    amendment = ConcernAmendment(concern=concern, author=author, text=text)
    amendment.full_clean()
    amendment.save()
    for child in concern_children_visible(user=author, concern=concern):
        change_log_record(practitioner=author, child=child, record=amendment, action="created")
    return amendment


def concerns_visible_to(*, user: Practitioner) -> QuerySet[Concern]:
    """Concerns about at least one child the user may see."""
    visible = children_visible_to(user=user)
    return Concern.objects.filter(
        Exists(ConcernChild.objects.filter(concern=OuterRef("pk"), child__in=visible.values("pk")))
    ).select_related("author", "author_agency")


def concerns_with_visible_children(
    *, user: Practitioner, concerns: QuerySet[Concern]
) -> QuerySet[Concern]:
    """Prefetch, for each concern, only the children the user may see (`visible_children`) and
    only their own answers (`visible_answers`): a sibling's words stay with the sibling."""
    visible = children_visible_to(user=user)
    return concerns.prefetch_related(
        Prefetch("children", visible.order_by("date_of_birth", "pk"), to_attr="visible_children"),
        Prefetch(
            "concernchild_set",
            ConcernChild.objects.filter(child__in=visible).order_by("child_id"),
            to_attr="visible_answers",
        ),
    )


def concern_children_visible(*, user: Practitioner, concern: Concern) -> list[Child]:
    return list(
        children_visible_to(user=user)
        .filter(pk__in=ConcernChild.objects.filter(concern=concern).values("child_id"))
        .select_related("family")
        .order_by("date_of_birth", "pk")
    )


@dataclass(frozen=True)
class ChildStatus:
    """Where a concern stands for one child: the latest outcome, or who should give one."""

    child: Child
    answers: ConcernChild
    outcome: ConcernOutcome | None
    holding_agency: str


def concern_statuses(*, concern: Concern, children: list[Child]) -> list[ChildStatus]:
    """For the children already shown (those the user may see): each one's own status."""
    ids = [child.pk for child in children]
    latest: dict[int, ConcernOutcome] = {}
    for outcome in (
        ConcernOutcome.objects.filter(concern=concern, child_id__in=ids)
        .select_related("recording_agency")
        .order_by("child_id", "-recorded_at")
    ):
        latest.setdefault(outcome.child_id, outcome)
    holding = dict(
        Involvement.objects.filter(child_id__in=ids, ended_on__isnull=True).values_list(
            "child_id", "lead_agency__name"
        )
    )
    answers = {
        link.child_id: link
        for link in ConcernChild.objects.filter(concern=concern, child_id__in=ids)
    }
    return [
        ChildStatus(c, answers[c.pk], latest.get(c.pk), holding.get(c.pk, "")) for c in children
    ]


def concerns_raised_by(*, user: Practitioner) -> QuerySet[ConcernChild]:
    """Each child of each concern the user logged, newest first, with its latest outcome.

    `child_visible` says whether the user may still see the child (only then is it named)."""
    latest = ConcernOutcome.objects.filter(
        concern_id=OuterRef("concern_id"), child_id=OuterRef("child_id")
    ).order_by("-recorded_at")
    return (
        ConcernChild.objects.filter(concern__author=user)
        .annotate(
            child_visible=Exists(children_visible_to(user=user).filter(pk=OuterRef("child_id"))),
            outcome=Subquery(latest.values("outcome")[:1]),
            outcome_at=Subquery(latest.values("recorded_at")[:1]),
            outcome_agency=Subquery(latest.values("recording_agency__name")[:1]),
        )
        .select_related("concern", "child")
        .order_by("-concern__submitted_at", "pk")
    )
