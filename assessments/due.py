"""When a child's next GCP2 is due, computed in SQL so a whole caseload is one query.

* A repeat is due `repeat_months` calendar months after the last signed-off assessment.
  PostgreSQL's month arithmetic clamps to the month's end (31 August + 6 months is
  28 February, or 29 in a leap year), which is what practitioners expect of "six months".
* An initial assessment is due `initial_days` days after the child first had a neglect concern
  while at early help or above: the later of the first concern and the start of the open
  involvement at that level.
* Only children with an open involvement at early help or above are due anything; an
  assessment counts once it is signed off.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import (
    Case,
    DateField,
    F,
    Func,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Greatest

from cases.codes import NeedLevel
from cases.models import Child, ConcernChild, Involvement

from .models import Assessment, AssessmentStatus

EARLY_HELP_OR_ABOVE = (
    NeedLevel.EARLY_HELP,
    NeedLevel.CHILD_IN_NEED,
    NeedLevel.CHILD_PROTECTION,
    NeedLevel.LOOKED_AFTER,
)
INITIAL, REPEAT = "initial", "repeat"


def repeat_months_setting() -> int:
    return int(settings.NT_GCP2_REPEAT_MONTHS)


def initial_days_setting() -> int:
    return int(settings.NT_GCP2_INITIAL_DAYS)


class AddMonths(Func):
    """date + n calendar months, clamped to the end of shorter months, as a date."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def,override]
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        return (
            f"(({date_sql}) + make_interval(months => {months_sql}))::date",
            (*date_params, *months_params),
        )


class AddDays(Func):
    """date + n days, as a date."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def,override]
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        days_sql, days_params = compiler.compile(self.source_expressions[1])
        return f"(({date_sql}) + ({days_sql}))::date", (*date_params, *days_params)


def last_signed_off_on() -> Subquery:
    return Subquery(
        Assessment.objects.filter(child=OuterRef("pk"), status=AssessmentStatus.SIGNED_OFF)
        .order_by("-assessed_on")
        .values("assessed_on")[:1],
        output_field=DateField(),
    )


def with_gcp2_due(
    children: QuerySet[Child], *, initial_days: int, repeat_months: int
) -> QuerySet[Child]:
    """Children at early help or above, annotated with gcp2_due_on and gcp2_due_kind."""
    involvement_started = Subquery(
        Involvement.objects.filter(
            child=OuterRef("pk"), ended_on__isnull=True, level__in=EARLY_HELP_OR_ABOVE
        ).values("started_on")[:1],
        output_field=DateField(),
    )
    first_concern = Subquery(
        ConcernChild.objects.filter(child=OuterRef("pk"))
        .values("child")
        .annotate(first=Min("concern__observed_on"))
        .values("first"),
        output_field=DateField(),
    )
    return (
        children.annotate(
            gcp2_involvement_started=involvement_started,
            gcp2_last_signed_off=last_signed_off_on(),
            gcp2_first_concern=first_concern,
        )
        .filter(gcp2_involvement_started__isnull=False)
        .annotate(
            # PostgreSQL's GREATEST ignores NULL: the trigger needs a concern as well.
            gcp2_trigger=Case(
                When(
                    gcp2_first_concern__isnull=False,
                    then=Greatest(F("gcp2_first_concern"), F("gcp2_involvement_started")),
                ),
                default=None,
                output_field=DateField(),
            )
        )
        .annotate(
            gcp2_due_on=Case(
                When(
                    gcp2_last_signed_off__isnull=False,
                    then=AddMonths(F("gcp2_last_signed_off"), Value(int(repeat_months))),
                ),
                When(
                    gcp2_trigger__isnull=False,
                    then=AddDays(F("gcp2_trigger"), Value(int(initial_days))),
                ),
                default=None,
                output_field=DateField(),
            ),
            gcp2_due_kind=Case(
                When(gcp2_last_signed_off__isnull=False, then=Value(REPEAT)),
                When(gcp2_trigger__isnull=False, then=Value(INITIAL)),
                default=None,
            ),
        )
        .filter(gcp2_due_on__isnull=False)
    )


def with_gcp2_due_from_settings(children: QuerySet[Child]) -> QuerySet[Child]:
    return with_gcp2_due(
        children, initial_days=initial_days_setting(), repeat_months=repeat_months_setting()
    )
