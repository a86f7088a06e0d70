"""A real PostgreSQL server, loaded through ADBC: Arrow batches go in with binary COPY."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pyarrow as pa

from socialmetrics.errors import RunInProgress, WarehouseError
from socialmetrics.warehouse.base import Warehouse
from socialmetrics.warehouse.dialect import Dialect

LOCK_NAMESPACE = 0x536D  # "Sm": the first key of socialmetrics' advisory locks
WRITER, SCHEMA = (
    "hashtext('writer:' || current_schema())",
    "hashtext('schema:' || current_schema())",
)
"""Second keys: per schema, so agencies sharing a server (one schema each) never wait on
each other."""


def _numeric_as_double(table: pa.Table) -> pa.Table:
    """PostgreSQL NUMERIC (e.g. SUM of BIGINT) arrives as text; give callers numbers, as DuckDB
    does."""
    for i, field in enumerate(table.schema):
        meta = field.metadata or {}
        if meta.get(b"ADBC:postgresql:typname") == b"numeric":
            column = table.column(i)
            storage = pa.chunked_array(
                [getattr(chunk, "storage", chunk) for chunk in column.chunks], type=pa.string()
            )
            table = table.set_column(i, field.name, storage.cast(pa.float64()))
    return table


class PostgresWarehouse(Warehouse):
    """PostgreSQL through `adbc_driver_postgresql` (libpq inside the wheel, no system libpq)."""

    dialect = Dialect("postgres")
    concurrent_writers = True

    def __init__(self, url: str) -> None:
        import adbc_driver_postgresql.dbapi as pg

        self.url = url
        try:
            self.con = pg.connect(url)
        except Exception as exc:  # the driver raises its own OperationalError types
            safe = url.split("@")[-1]
            raise WarehouseError(
                f"cannot connect to PostgreSQL at {safe}: {str(exc).splitlines()[0]}. Check "
                "SOCIALMETRICS_WAREHOUSE_URL and that the server is running."
            ) from exc
        self._in_tx = False
        # The per-client refresh's queries are planned as costly (the fact tables are large)
        # but run in milliseconds: PostgreSQL's JIT compiled them for 4.9 s each, at 1,000
        # clients, to save nothing. Off for this session (committed: a rolled-back SET is
        # undone).
        self.execute("SET jit = off")
        self.con.commit()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self.con.cursor() as cur:
            cur.execute(sql, list(params) if params else None)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        table = self.query_arrow(sql, params)
        columns = [col.to_pylist() for col in table.columns]
        return list(zip(*columns, strict=True)) if columns else []

    def query_arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        with self.con.cursor() as cur:
            cur.execute(sql, list(params) if params else None)
            return _numeric_as_double(cur.fetch_arrow_table())

    def insert_arrow(self, table: str, data: pa.Table) -> None:
        if data.num_rows == 0:
            return
        with self.con.cursor() as cur:
            cur.adbc_ingest(table, data, mode="append")

    def begin(self) -> None:
        # The DB-API connection is in a transaction already (autocommit off): nothing to do.
        self._in_tx = True

    def commit(self) -> None:
        self.con.commit()
        self._in_tx = False

    def rollback(self) -> None:
        self.con.rollback()
        self._in_tx = False

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def writer_lock(self, wait: bool = False) -> Iterator[None]:
        """A session-level advisory lock: the server releases it when this connection ends,
        however it ends, so a dead loader never blocks the next one."""
        if wait:
            self.query(f"SELECT pg_advisory_lock({LOCK_NAMESPACE}, {WRITER})")
        else:
            (got,) = self.query(f"SELECT pg_try_advisory_lock({LOCK_NAMESPACE}, {WRITER})")[0]
            if not got:
                self.con.rollback()
                raise RunInProgress(
                    f"another socialmetrics process (perhaps on another machine) is loading "
                    f"into this PostgreSQL warehouse ({self.url.split('@')[-1]}). Wait for it "
                    "to finish, or pass --wait to queue behind it."
                )
        self.con.commit()  # end the statement's transaction; the session keeps the lock
        try:
            yield
        finally:
            self.con.rollback()
            self.query(f"SELECT pg_advisory_unlock({LOCK_NAMESPACE}, {WRITER})")
            self.con.commit()

    def serialise_schema(self) -> None:
        self.query(f"SELECT pg_advisory_xact_lock({LOCK_NAMESPACE}, {SCHEMA})")

    def columns_of(self, table: str) -> list[str]:
        rows = self.query(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = $1",
            [table],
        )
        return [r[0] for r in rows]
