import django.db.models.deletion
from django.db import migrations, models

# The lead's figures are kept by PostgreSQL itself, like the rows they count (0018): every
# write of a drift queue row or a concern-awaiting-an-outcome row (a refresh's upsert and
# delete, a cascade or SET NULL when a child, team or practitioner goes) adds its difference to
# the tallies in its statement's trigger, so no writer can forget them. Differences are added,
# not recomputed: two transactions changing one agency's rows each add their own, serialised
# by the tally row's lock (taken in key order, so they cannot deadlock on each other).


def tally_sql(table: str, keys: str, counted: str, rows: str) -> str:
    """Add to `table` the differences of `rows` (each with a sign, +1 or -1) under `keys`."""
    return f"""
    INSERT INTO {table} AS tally ({keys}, {", ".join(counted.split(", "))})
    {rows}
    ON CONFLICT ({keys}) DO UPDATE SET
        {", ".join(f"{name} = tally.{name} + EXCLUDED.{name}" for name in counted.split(", "))};
"""  # noqa: S608  # nosec B608


# A queue row (flag_count > 0) counts once under its agency's "all", under "agency" when the
# agency holds the case, under its team and under its lead professional.
def queue_tallied(rows: str) -> str:
    return tally_sql(
        "cases_driftqueuetally",
        "agency_id, scope, scope_key",
        "children, gcp2_overdue",
        f"""
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
    ORDER BY row.agency_id, scope.scope, scope.scope_key""",  # noqa: S608  # nosec B608
    )


# An awaiting row counts under its holding agency, its concern's (UTC) day and its team.
def awaiting_tallied(rows: str) -> str:
    return tally_sql(
        "cases_concernawaitingtally",
        "holding_agency_id, submitted_on, team_key",
        "children",
        f"""
    SELECT row.holding_agency_id, (row.submitted_at AT TIME ZONE 'UTC')::date AS submitted_on,
        coalesce(row.team_id, 0) AS team_key, sum(row.sign)
    FROM ({rows}) row
    GROUP BY 1, 2, 3
    HAVING sum(row.sign) <> 0
    ORDER BY 1, 2, 3""",  # noqa: S608  # nosec B608
    )


ADDED = "SELECT 1 AS sign, * FROM new_rows"
REMOVED = "SELECT -1 AS sign, * FROM old_rows"
EVENTS = {
    "INSERT": ("REFERENCING NEW TABLE AS new_rows", ADDED),
    "UPDATE": (
        "REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows",
        f"{ADDED} UNION ALL {REMOVED}",
    ),
    "DELETE": ("REFERENCING OLD TABLE AS old_rows", REMOVED),
}
TALLIES = {  # the table counted: (its tally, how its rows are tallied)
    "cases_driftqueueentry": ("cases_driftqueuetally", queue_tallied),
    "cases_concernawaitingoutcome": ("cases_concernawaitingtally", awaiting_tallied),
}


def trigger(table: str, event: str, referencing: str, body: str) -> str:
    """A statement-level trigger on `table` running `body`."""
    name = f"{table}_tally_on_{event.lower()}"
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {body}
    RETURN NULL;
END $$;
CREATE TRIGGER {name} AFTER {event} ON {table} {referencing}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


KEEP_TALLIES = "".join(
    "".join(
        trigger(table, event, referencing, tallied(rows))
        for event, (referencing, rows) in EVENTS.items()
    )
    + trigger(table, "TRUNCATE", "", f"DELETE FROM {tally};")  # noqa: S608  # nosec B608
    # The tallies of the rows there are.
    + tallied(f"SELECT 1 AS sign, * FROM {table}")  # noqa: S608  # nosec B608
    for table, (tally, tallied) in TALLIES.items()
)
FORGET_TALLIES = "".join(
    f"DROP TRIGGER {table}_tally_on_{event} ON {table};\n"
    f"DROP FUNCTION {table}_tally_on_{event}();\n"
    for table in TALLIES
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
        migrations.CreateModel(
            name="ConcernAwaitingTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("submitted_on", models.DateField()),
                ("team_key", models.BigIntegerField()),
                ("children", models.IntegerField()),
                (
                    "holding_agency",
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
                        fields=("holding_agency", "submitted_on", "team_key"),
                        name="concern_awaiting_tally_unique",
                    )
                ],
            },
        ),
        migrations.RunSQL(KEEP_TALLIES, FORGET_TALLIES),
    ]
