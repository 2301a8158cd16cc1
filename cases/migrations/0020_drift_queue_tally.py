import django.db.models.deletion
from django.db import migrations, models


# The queue's figures per scope are kept by PostgreSQL itself, like the queue rows' other
# derived tables (0018): every write of a DriftQueueEntry (the refresh's upsert and delete, a
# cascade or SET NULL when a child, team or practitioner goes) adds its difference to the
# tallies in the same statement's trigger, so no writer can forget it. Differences are added,
# not recomputed: two transactions changing one agency's queue each add their own, serialised
# by the tally row's lock (taken in key order, so they cannot deadlock on each other).
#
# A queue row (flag_count > 0) counts once under its agency's "all", under "agency" when the
# agency holds the case, under its team and under its lead professional.
def tally_rows(rows: str) -> str:
    """Add the queue rows of `rows` (each with a sign, +1 or -1) to the tallies."""
    return f"""
    INSERT INTO cases_driftqueuetally AS tally (agency_id, scope, scope_key, children, gcp2_overdue)
    SELECT row.agency_id, scope.scope, scope.scope_key,
        sum(row.sign), coalesce(sum(row.sign) FILTER (WHERE row.gcp2_overdue), 0)
    FROM ({rows}) row
    CROSS JOIN LATERAL (VALUES
        ('all', 0::bigint),
        ('agency', CASE WHEN row.holding_agency_id = row.agency_id THEN 0::bigint END),
        ('team', row.team_id::bigint),
        ('mine', row.worker_id::bigint)
    ) AS scope (scope, scope_key)
    WHERE row.flag_count > 0 AND scope.scope_key IS NOT NULL
    GROUP BY row.agency_id, scope.scope, scope.scope_key
    HAVING sum(row.sign) <> 0 OR sum(row.sign) FILTER (WHERE row.gcp2_overdue) <> 0
    ORDER BY row.agency_id, scope.scope, scope.scope_key
    ON CONFLICT (agency_id, scope, scope_key) DO UPDATE SET
        children = tally.children + EXCLUDED.children,
        gcp2_overdue = tally.gcp2_overdue + EXCLUDED.gcp2_overdue;
"""  # noqa: S608  # nosec B608


ADDED = "SELECT 1 AS sign, * FROM new_rows"
REMOVED = "SELECT -1 AS sign, * FROM old_rows"
TRIGGERS = {
    "INSERT": ("NEW TABLE AS new_rows", tally_rows(ADDED)),
    "UPDATE": (
        "NEW TABLE AS new_rows OLD TABLE AS old_rows",
        tally_rows(f"{ADDED} UNION ALL {REMOVED}"),
    ),
    "DELETE": ("OLD TABLE AS old_rows", tally_rows(REMOVED)),
}


def trigger(event: str, referencing: str, body: str) -> str:
    """A statement-level trigger on the queue rows running `body`."""
    name = f"cases_queue_tally_on_{event.lower()}"
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {body}
    RETURN NULL;
END $$;
CREATE TRIGGER cases_driftqueueentry_tally_on_{event.lower()} AFTER {event}
    ON cases_driftqueueentry {referencing}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


KEEP_TALLY = "".join(
    trigger(event, f"REFERENCING {referencing}", statement)
    for event, (referencing, statement) in TRIGGERS.items()
) + trigger("TRUNCATE", "", "DELETE FROM cases_driftqueuetally;")
# The tallies of the queue there is.
KEEP_TALLY += tally_rows("SELECT 1 AS sign, * FROM cases_driftqueueentry")
FORGET_TALLY = "".join(
    f"DROP TRIGGER cases_driftqueueentry_tally_on_{event} ON cases_driftqueueentry;\n"
    f"DROP FUNCTION cases_queue_tally_on_{event}();\n"
    for event in ("insert", "update", "delete", "truncate")
)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0019_awaiting_refresh_by_link"),
    ]

    operations = [
        migrations.CreateModel(
            name="DriftQueueTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "scope",
                    models.CharField(
                        choices=[
                            ("all", "Every child the agency works with"),
                            ("agency", "Cases the agency holds"),
                            ("team", "One team's cases"),
                            ("mine", "One practitioner's cases"),
                        ],
                        max_length=6,
                    ),
                ),
                ("scope_key", models.BigIntegerField()),
                ("children", models.IntegerField()),
                ("gcp2_overdue", models.IntegerField()),
                (
                    "agency",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="cases.agency",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("agency", "scope", "scope_key"), name="drift_queue_tally_unique"
                    )
                ],
            },
        ),
        migrations.RunSQL(KEEP_TALLY, FORGET_TALLY),
    ]
