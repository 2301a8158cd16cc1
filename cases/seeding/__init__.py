"""The synthetic partnership generator's framework: the seed-step registry and the COPY helpers.

`partnership.py` generates agencies, people, families, children and involvements in batches;
every other app (and `concerns.py`, `plans.py` here) adds its own records for each batch by
registering a step, so the generator never imports them. Rows go to PostgreSQL with COPY, so
memory stays flat at any size.
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import csv
import datetime
import io
import itertools
import queue
import random
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection

T = TypeVar("T")

# Columns that several seed steps write with COPY, named once.
CHRONOLOGY_COLUMNS = (
    "child_id",
    "family_id",
    "occurred_on",
    "event_type",
    "significance",
    "summary",
    "source_agency_id",
    "recorded_by_id",
    "recorded_at",
    "source_kind",
    "source_id",
)


INVOLVEMENT_COLUMNS = (
    "child_id",
    "level",
    "protection_category",
    "primary_need",
    "referral_source",
    "lead_agency_id",
    "team_id",
    "lead_professional_id",
    "started_on",
    "ended_on",
    "closure_reason",
    "change_reason",
)


@dataclass
class SeedChild:
    id: int
    family_id: int
    date_of_birth: datetime.date | None
    is_unborn: bool
    level: str
    involvement_started: datetime.date | None
    agency_ids: list[int]
    practitioner_ids: list[int]
    holding_agency_id: int | None = None  # the open involvement's lead agency (one of agency_ids)


@dataclass
class SeedBatch:
    """What one batch created, for other apps' seed steps to build on.

    Rows given to `copy_rows` here are held until every step has run, so a later step can
    add columns to them (`add_columns`) instead of updating rows already written; the
    generator then writes them (`write`). Rows a step writes with the module's `copy_rows`
    go straight to the database.
    """

    children: list[SeedChild]
    rng: random.Random
    today: datetime.date
    pending: dict[str, list[tuple[tuple[str, ...], list[tuple[object, ...]]]]] = field(
        default_factory=dict
    )
    number: int = 0  # 0 for the seed's first batch
    shared: dict[str, Any] = field(default_factory=dict)  # the same dict for every batch

    def once(self, key: str, make: Callable[[], T]) -> T:
        """A value made on the seed's first batch and shared by the rest: reference data a
        step reads once per seed, not once per batch (each query waits for the writer's COPY
        in progress)."""
        if key not in self.shared:
            self.shared[key] = make()
        return self.shared[key]  # type: ignore[no-any-return]

    def copy_rows(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]
    ) -> None:
        self.pending.setdefault(table, []).append((tuple(columns), list(rows)))  # type: ignore[arg-type]

    def rows(self, table: str) -> Iterator[dict[str, object]]:
        """The held rows of a table, in the order given, as column -> value."""
        for columns, rows in self.pending.get(table, []):
            for row in rows:
                yield dict(zip(columns, row, strict=True))

    def add_columns(
        self, table: str, columns: Sequence[str], values: Iterable[Sequence[object]]
    ) -> None:
        """Give each held row of a table more columns: one tuple of values per row, in order."""
        values = iter(values)
        self.pending[table] = [
            ((*held, *columns), [(*row, *next(values)) for row in rows])
            for held, rows in self.pending.get(table, [])
        ]

    def write(self, *, keep: Collection[str] = ()) -> None:
        """Write the held rows, except those of the tables in `keep` (a later step still reads
        or extends them)."""
        for table in [table for table in self.pending if table not in keep]:
            for columns, rows in self.pending.pop(table):
                copy_rows(table, columns, rows)


SeedStep = Callable[[SeedBatch], None]


class Weighted:
    """A weighted choice made once and drawn from often: `pick(rng)` is the very draw
    `rng.choices(options, weights)[0]` makes (the same random number, the same answer),
    without rebuilding the cumulative weights each time."""

    def __init__(self, options: Sequence[tuple[Any, int]]) -> None:
        self.population = [option for option, _ in options]
        self.cumulative = list(itertools.accumulate(weight for _, weight in options))
        self.total = self.cumulative[-1] + 0.0
        self.hi = len(self.cumulative) - 1

    def pick(self, rng: random.Random) -> Any:
        return self.population[
            bisect.bisect(self.cumulative, rng.random() * self.total, 0, self.hi)
        ]


_seed_steps: dict[SeedStep, frozenset[str]] = {}


def register_seed_step(step: SeedStep, *, reads: Collection[str] = ()) -> None:
    """Let another app add its own synthetic records for each batch of children. `reads`
    names the tables whose held rows the step reads or extends (`SeedBatch.rows`,
    `add_columns`): every other table's rows are written as soon as no later step needs
    them, so the writer starts on a batch while its last steps still run."""
    _seed_steps.setdefault(step, frozenset(reads))


def seed_batch_complete(batch: SeedBatch) -> None:
    """Run every registered step on a batch, writing each table's rows once no later step
    reads them, and the rest at the end."""
    steps = list(_seed_steps.items())
    for index, (step, _reads) in enumerate([(None, frozenset[str]()), *steps]):
        if step is not None:
            step(batch)
        batch.write(keep=frozenset().union(*(reads for _step, reads in steps[index:])))
    batch.write()


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Stream rows into a table with COPY; None becomes NULL, a list a PostgreSQL array.

    The rows are formatted by the csv module in C (every text value quoted, numbers and
    booleans bare); a quoted empty string stays an empty string and the nullable columns that
    are not text read an empty value as NULL (FORCE_NULL). In a seeding session the COPY runs
    on the session's writer thread while the caller goes on making rows (`seeding_session`).
    """
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    arrays = [index for index, value in enumerate(first) if isinstance(value, list)]
    chained: Iterable[Sequence[object]] = itertools.chain((first,), rows)
    if arrays:
        chained = (_with_arrays(row, arrays) for row in chained)
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC).writerows(chained)
    buffer.seek(0)
    if _session is not None:
        _session.put(table, tuple(columns), buffer)
        return
    with connection.cursor() as cursor:
        _copy(cursor, table, columns, buffer)


def _copy(cursor: Any, table: str, columns: Sequence[str], buffer: io.StringIO) -> None:
    force_null = _nullable_columns(cursor, table, columns)
    options = f", FORCE_NULL ({', '.join(force_null)})" if force_null else ""
    cursor.copy_expert(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv{options})", buffer
    )


def _with_arrays(row: Sequence[object], arrays: list[int]) -> list[object]:
    values = list(row)
    for index in arrays:
        values[index] = "{" + ",".join(str(item) for item in values[index]) + "}"  # type: ignore[attr-defined]
    return values


_nullable: dict[tuple[str, str], dict[str, bool]] = {}


def _nullable_columns(cursor: Any, table: str, columns: Sequence[str]) -> list[str]:
    """The written columns that may be NULL. A nullable text column is refused: in CSV its
    NULL and its empty string would look the same."""
    key = (cursor.connection.dsn, table)
    if key not in _nullable:
        cursor.execute(
            "SELECT column_name, data_type IN ('text', 'character varying') "
            "FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = %s AND is_nullable = 'YES'",
            [table],
        )
        _nullable[key] = dict(cursor.fetchall())
    nullable = _nullable[key]
    text = [column for column in columns if nullable.get(column)]
    if text:
        raise ValueError(f"copy_rows cannot tell NULL from '' in {table}.{', '.join(text)}")
    return [column for column in columns if column in nullable]


class _Session:
    """A writer thread that COPYs the queued chunks on the caller's own database connection
    (so in its transaction) while the caller makes the next rows: PostgreSQL writes one
    batch as Python generates the next, on the machine's other core.

    psycopg2 does not serialise two threads' commands on one connection, so `lock` does:
    the writer holds it for each COPY and every query the caller makes through Django waits
    for it; a query that names a table with chunks still queued first waits for them, so
    the caller always reads what it has written.
    """

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.queue: queue.Queue[tuple[str, tuple[str, ...], io.StringIO] | None] = queue.Queue(
            maxsize=QUEUED_CHUNKS
        )
        self.lock = threading.Lock()  # the connection
        self.counting = threading.Lock()  # `pending`
        self.pending: collections.Counter[str] = collections.Counter()
        self.tables: set[str] = set()
        self.deferred: list[tuple[str, str, str]] = []
        self.error: BaseException | None = None
        self.last_query = 0.0  # time.monotonic() of the caller's latest query
        # Sequences only (`reserve_ids`): never waits for the writer.
        self.sequences = connection.copy()
        self.thread = threading.Thread(target=self._run, name="seed-writer", daemon=True)
        self.thread.start()

    def put(self, table: str, columns: tuple[str, ...], buffer: io.StringIO) -> None:
        self._raise()
        with self.counting:
            self.pending[table] += 1
        self.queue.put((table, columns, buffer))

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            table, columns, buffer = item
            try:
                if self.error is None:
                    self._let_queries_finish()
                    with self.lock, self.raw.cursor() as cursor:
                        if table not in self.tables:
                            self.tables.add(table)
                            self.deferred += foreign_keys_defer(cursor, table)
                        _copy(cursor, table, columns, buffer)
            except BaseException as error:  # handed to the caller's thread
                self.error = error
            finally:
                with self.counting:
                    self.pending[table] -= 1
                self.queue.task_done()
        self.queue.task_done()

    def _let_queries_finish(self) -> None:
        """Wait while the caller is making queries: they come in runs (a step's ORM writes),
        and a COPY started between two of them would make the next wait for all of it."""
        while (idle := time.monotonic() - self.last_query) < QUERY_RUN_GAP:
            time.sleep(QUERY_RUN_GAP - idle)

    def before_query(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        with self.counting:
            waiting = any(count and table in sql for table, count in self.pending.items())
        if waiting:
            self.queue.join()
        self._raise()
        self.last_query = time.monotonic()
        try:
            with self.lock:
                return execute(sql, params, many, context)
        finally:
            self.last_query = time.monotonic()

    def finish(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self.sequences.close()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error


QUERY_RUN_GAP = 0.005  # seconds without a query from the caller before the writer goes on
QUEUED_CHUNKS = 64  # chunks made but not yet written (about two batches): bounds memory

_session: _Session | None = None


@contextlib.contextmanager
def seeding_session() -> Iterator[None]:
    """Write every `copy_rows` chunk on a writer thread, and check the foreign keys of every
    table the seed writes once, in bulk, at the end.

    Row-by-row checks (deferred to each commit) cost more than writing the rows. Each written
    table's foreign keys are dropped before its first COPY and added back at the end, which
    validates every row in one join per key; the caller's transaction makes it all or nothing,
    so no committed row is ever unchecked. The rows derived by statement triggers are written
    once at the end too (`derived_rows_defer`). Use inside `transaction.atomic()`.
    """
    global _session
    if not connection.in_atomic_block:
        raise RuntimeError("seeding_session needs a transaction")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        derived_rows_defer(cursor)
    session = _Session(connection.connection)
    _session = session
    try:
        with connection.execute_wrapper(session.before_query):
            yield
    finally:
        _session = None
        session.finish()
    session._raise()
    with connection.cursor() as cursor:
        foreign_keys_restore(cursor, session.deferred)
        derived_rows_write(cursor)


def derived_rows_defer(cursor: Any) -> None:
    """Hold back, until `derived_rows_write` in the same transaction, the rows PostgreSQL's
    statement triggers derive (concerns awaiting an outcome, cases migration 0018): a bulk load
    writes them once at its end, not once per COPY of each table they come from."""
    cursor.execute("SET LOCAL cases.awaiting_deferred = 'on'")


def derived_rows_write(cursor: Any) -> None:
    cursor.execute("SET LOCAL cases.awaiting_deferred = 'off'")
    cursor.execute(
        "SELECT cases_awaiting_refresh(ARRAY(SELECT DISTINCT child_id FROM cases_concernchild))"
    )


def foreign_keys_defer(cursor: Any, table: str) -> list[tuple[str, str, str]]:
    """Drop a table's foreign keys; returns them for `foreign_keys_restore`. Pending checks
    are run first (a table with pending trigger events cannot be altered)."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid = %s::regclass ORDER BY conname",
        [table],
    )
    found = [(table, name, definition) for name, definition in cursor.fetchall()]
    for _table, name, _definition in found:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return found


def foreign_keys_restore(cursor: Any, deferred: list[tuple[str, str, str]]) -> None:
    """Add the dropped foreign keys back: PostgreSQL checks every row, one join per key."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table, name, definition in deferred:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def reserve_ids(table: str, count: int) -> int:
    """Take `count` consecutive ids from the table's sequence; returns the first.

    In a seeding session this runs on the session's own second connection: sequences are
    outside transactions anyway, and on the seed's connection it would wait for the writer's
    COPY in progress (most of the time the main thread spent waiting)."""
    with (_session.sequences if _session is not None else connection).cursor() as cursor:
        cursor.execute(
            "SELECT setval(sequence, nextval(sequence) + %s - 1) - %s + 1 "
            "FROM pg_get_serial_sequence(%s, 'id') AS sequence",
            [count, count, table],
        )
        first = cursor.fetchone()[0]  # type: ignore[index]
    return int(first)
