from django.db import migrations

# A concern logged or an outcome recorded changes only its own (concern, child) links, so their
# triggers refresh those links, not every concern the child has had: logging a concern about a
# child with 60 earlier concerns cost about 2 ms of refresh per statement before. Changes to an
# involvement or a relationship still refresh whole children (cases_awaiting_refresh, 0018).
BY_LINK = """
CREATE FUNCTION cases_awaiting_refresh_links(changed bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(changed), 0) = 0
        OR current_setting('cases.awaiting_deferred', true) = 'on' THEN
        RETURN;
    END IF;
    WITH computed AS (
        SELECT link.id AS link_id, link.concern_id, link.child_id,
            involvement.lead_agency_id AS holding_agency_id, involvement.team_id,
            concern.submitted_at, concern.author_agency_id
        FROM cases_concernchild link
        JOIN cases_concern concern ON concern.id = link.concern_id
        JOIN cases_involvement involvement
            ON involvement.child_id = link.child_id AND involvement.ended_on IS NULL
        JOIN cases_legitimaterelationship relationship
            ON relationship.child_id = link.child_id
            AND relationship.agency_id = involvement.lead_agency_id
        WHERE link.id = ANY(changed) AND NOT EXISTS (
            SELECT 1 FROM cases_concernoutcome outcome
            WHERE outcome.concern_id = link.concern_id AND outcome.child_id = link.child_id
        )
    ),
    upserted AS (
        INSERT INTO cases_concernawaitingoutcome AS awaiting
            (link_id, concern_id, child_id, holding_agency_id, team_id, submitted_at,
             author_agency_id)
        SELECT link_id, concern_id, child_id, holding_agency_id, team_id, submitted_at,
            author_agency_id
        FROM computed ORDER BY link_id
        ON CONFLICT (link_id) DO NOTHING
    )
    DELETE FROM cases_concernawaitingoutcome awaiting
    WHERE awaiting.link_id = ANY(changed)
        AND NOT EXISTS (SELECT 1 FROM computed WHERE computed.link_id = awaiting.link_id);
END $$;
CREATE FUNCTION cases_awaiting_on_link_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cases_awaiting_refresh_links(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END $$;
CREATE FUNCTION cases_awaiting_on_outcome_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cases_awaiting_refresh_links(ARRAY(
        SELECT link.id FROM cases_concernchild link
        JOIN new_rows ON new_rows.concern_id = link.concern_id
            AND new_rows.child_id = link.child_id
    ));
    RETURN NULL;
END $$;
DROP TRIGGER cases_concernchild_awaiting_on_insert ON cases_concernchild;
CREATE TRIGGER cases_concernchild_awaiting_on_insert AFTER INSERT ON cases_concernchild
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_awaiting_on_link_insert();
DROP TRIGGER cases_concernoutcome_awaiting_on_insert ON cases_concernoutcome;
CREATE TRIGGER cases_concernoutcome_awaiting_on_insert AFTER INSERT ON cases_concernoutcome
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_awaiting_on_outcome_insert();
"""
BY_CHILD = """
DROP TRIGGER cases_concernchild_awaiting_on_insert ON cases_concernchild;
CREATE TRIGGER cases_concernchild_awaiting_on_insert AFTER INSERT ON cases_concernchild
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_awaiting_on_insert();
DROP TRIGGER cases_concernoutcome_awaiting_on_insert ON cases_concernoutcome;
CREATE TRIGGER cases_concernoutcome_awaiting_on_insert AFTER INSERT ON cases_concernoutcome
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_awaiting_on_insert();
DROP FUNCTION cases_awaiting_on_link_insert();
DROP FUNCTION cases_awaiting_on_outcome_insert();
DROP FUNCTION cases_awaiting_refresh_links(bigint[]);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_concern_awaiting_outcome"),
    ]

    operations = [migrations.RunSQL(BY_LINK, BY_CHILD)]
