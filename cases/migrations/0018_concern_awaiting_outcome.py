import django.db.models.deletion
from django.db import migrations, models

# Concerns awaiting an outcome are kept by PostgreSQL itself, not by each service: a concern
# reaches the tables through the web, the API, the notifications and census imports and the
# seed (COPY), and an involvement or relationship changes through as many; a trigger on each
# source table cannot be forgotten by a new path. The triggers are statement-level with
# transition tables, so a COPY of thousands of rows refreshes its children in one statement
# (a bulk load defers them all to one refresh at its end: cases.seeding.derived_rows_defer).
#
# cases_awaiting_refresh(children) brings those children's rows up to date: one per
# (concern, child) with no outcome whose child's open involvement is held by an agency with a
# relationship to the child. It upserts only what changed (unchanged pages stay all-visible,
# so the counts stay index-only) and deletes what is no longer computed.
COLUMNS = (
    "link_id, concern_id, child_id, holding_agency_id, team_id, submitted_at, author_agency_id"
)
VALUES = (
    "concern_id",
    "child_id",
    "holding_agency_id",
    "team_id",
    "submitted_at",
    "author_agency_id",
)
KEEP_AWAITING = f"""
CREATE FUNCTION cases_awaiting_refresh(changed bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- A bulk load (the seed and its floor, cases.seeding.derived_rows_defer) writes the rows
    -- once at its end instead of once per COPY.
    IF coalesce(cardinality(changed), 0) = 0
        OR current_setting('cases.awaiting_deferred', true) = 'on' THEN
        RETURN;
    END IF;
    WITH children AS (SELECT DISTINCT child_id FROM unnest(changed) AS child_id),
    computed AS (
        SELECT link.id AS link_id, link.concern_id, link.child_id,
            involvement.lead_agency_id AS holding_agency_id, involvement.team_id,
            concern.submitted_at, concern.author_agency_id
        FROM children
        JOIN cases_concernchild link ON link.child_id = children.child_id
        JOIN cases_concern concern ON concern.id = link.concern_id
        JOIN cases_involvement involvement
            ON involvement.child_id = link.child_id AND involvement.ended_on IS NULL
        JOIN cases_legitimaterelationship relationship
            ON relationship.child_id = link.child_id
            AND relationship.agency_id = involvement.lead_agency_id
        WHERE NOT EXISTS (
            SELECT 1 FROM cases_concernoutcome outcome
            WHERE outcome.concern_id = link.concern_id AND outcome.child_id = link.child_id
        )
    ),
    upserted AS (
        INSERT INTO cases_concernawaitingoutcome AS awaiting ({COLUMNS})
        -- In key order, so two refreshes touching the same rows lock them in one order.
        SELECT {COLUMNS} FROM computed ORDER BY link_id
        ON CONFLICT (link_id) DO UPDATE SET
            {", ".join(f"{column} = EXCLUDED.{column}" for column in VALUES)}
        WHERE ({", ".join(f"awaiting.{column}" for column in VALUES)})
            IS DISTINCT FROM ({", ".join(f"EXCLUDED.{column}" for column in VALUES)})
    )
    DELETE FROM cases_concernawaitingoutcome awaiting
    USING children
    WHERE awaiting.child_id = children.child_id
        AND NOT EXISTS (SELECT 1 FROM computed WHERE computed.link_id = awaiting.link_id);
END $$;

CREATE FUNCTION cases_awaiting_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cases_awaiting_refresh(ARRAY(SELECT child_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION cases_awaiting_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cases_awaiting_refresh(
        ARRAY(SELECT child_id FROM new_rows UNION SELECT child_id FROM old_rows)
    );
    RETURN NULL;
END $$;
CREATE FUNCTION cases_awaiting_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cases_awaiting_refresh(ARRAY(SELECT child_id FROM old_rows));
    RETURN NULL;
END $$;
-- A concern has no child of its own: its children are its links (a concern is never edited,
-- but a seed may write a concern after its links).
CREATE FUNCTION cases_awaiting_on_concern_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cases_awaiting_refresh(ARRAY(
        SELECT link.child_id FROM cases_concernchild link JOIN new_rows ON new_rows.id = link.concern_id
    ));
    RETURN NULL;
END $$;
CREATE FUNCTION cases_awaiting_on_concern_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cases_awaiting_refresh(ARRAY(
        SELECT link.child_id FROM cases_concernchild link JOIN old_rows ON old_rows.id = link.concern_id
    ));
    RETURN NULL;
END $$;
"""  # noqa: S608  # nosec B608
TABLES = (
    "cases_concernchild",
    "cases_concernoutcome",
    "cases_involvement",
    "cases_legitimaterelationship",
)
TRIGGERS = [
    (table, event, function, referencing)
    for table in TABLES
    for event, function, referencing in (
        ("INSERT", "cases_awaiting_on_insert", "NEW TABLE AS new_rows"),
        ("UPDATE", "cases_awaiting_on_update", "NEW TABLE AS new_rows OLD TABLE AS old_rows"),
        ("DELETE", "cases_awaiting_on_delete", "OLD TABLE AS old_rows"),
    )
] + [
    ("cases_concern", "INSERT", "cases_awaiting_on_concern_insert", "NEW TABLE AS new_rows"),
    ("cases_concern", "UPDATE", "cases_awaiting_on_concern_change", "OLD TABLE AS old_rows"),
    ("cases_concern", "DELETE", "cases_awaiting_on_concern_change", "OLD TABLE AS old_rows"),
]
KEEP_AWAITING += "".join(
    f"CREATE TRIGGER {table}_awaiting_on_{event.lower()} AFTER {event} ON {table}\n"
    f"    REFERENCING {referencing}\n"
    f"    FOR EACH STATEMENT EXECUTE FUNCTION {function}();\n"
    for table, event, function, referencing in TRIGGERS
)
# The rows for the concerns there are.
KEEP_AWAITING += (
    "SELECT cases_awaiting_refresh(ARRAY(SELECT DISTINCT child_id FROM cases_concernchild));\n"
)
FORGET_AWAITING = (
    "".join(
        f"DROP TRIGGER {table}_awaiting_on_{event.lower()} ON {table};\n"
        for table, event, _function, _referencing in TRIGGERS
    )
    + "".join(
        f"DROP FUNCTION {function}();\n"
        for function in (
            "cases_awaiting_on_insert",
            "cases_awaiting_on_update",
            "cases_awaiting_on_delete",
            "cases_awaiting_on_concern_insert",
            "cases_awaiting_on_concern_change",
        )
    )
    + "DROP FUNCTION cases_awaiting_refresh(bigint[]);\n"
)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_chronology_was_not_brought"),
    ]

    operations = [
        migrations.CreateModel(
            name="ConcernAwaitingOutcome",
            fields=[
                (
                    "link",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="cases.concernchild",
                    ),
                ),
                ("submitted_at", models.DateTimeField()),
                (
                    "author_agency",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="cases.agency",
                    ),
                ),
                (
                    "child",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="cases.child",
                    ),
                ),
                (
                    "concern",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="cases.concern",
                    ),
                ),
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
                (
                    "team",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="cases.team",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["holding_agency", "submitted_at", "link"],
                        include=("team", "child", "author_agency"),
                        name="awaiting_agency_submitted",
                    )
                ],
            },
        ),
        migrations.RunSQL(KEEP_AWAITING, FORGET_AWAITING),
    ]
