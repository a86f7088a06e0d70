"""The small interface every warehouse backend implements, and its dialect.

A backend knows how to run SQL with `$1` parameters, bulk-insert an Arrow table and hold a
transaction; its `Dialect` says how the portable types and index DDL are spelled. Everything
else (schema, views, marts, the ledger, the load protocol) is shared and portable, so a cloud
warehouse is one more small module, registered by URL scheme (`warehouse.registry`).
"""

from __future__ import annotations

import errno
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pyarrow as pa

from socialmetrics.model import TABLES
from socialmetrics.warehouse import schema
from socialmetrics.warehouse.dialect import ANSI, Dialect


class Warehouse(ABC):
    """A connection to one warehouse."""

    dialect: Dialect = ANSI
    url: str = ""
    concurrent_writers: bool = False
    """Whether several connections may each load a client at once (a server: PostgreSQL);
    an embedded file takes one writer (DuckDB), so its clients load one after the other."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run a statement; parameters are written `$1`, `$2`..."""

    @abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a query and return all rows."""

    @abstractmethod
    def query_arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        """Run a query and return an Arrow table."""

    @abstractmethod
    def insert_arrow(self, table: str, data: pa.Table) -> None:
        """Bulk-append an Arrow table whose column names match the table's."""

    @abstractmethod
    def begin(self) -> None: ...

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def columns_of(self, table: str) -> list[str]:
        """The table's existing column names (empty if it does not exist)."""

    @contextmanager
    def writer_lock(self, wait: bool = False) -> Iterator[None]:
        """Held by a command that loads, for all of it: one loader per warehouse, even from
        several machines. The embedded DuckDB file admits one writing process by itself; a
        server backend takes a server-side lock (`RunInProgress` when it is held and not
        `wait`)."""
        yield

    def serialise_schema(self) -> None:
        """First statement of the schema transaction: concurrent schema creations wait for
        each other instead of failing (a server backend locks; DuckDB needs nothing)."""
        return None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All of it or none of it."""
        self.begin()
        try:
            yield
        except BaseException:
            self.rollback()
            raise
        else:
            self.commit()

    def ensure_schema(self) -> None:
        """Create missing tables, add columns a newer model declares, re-create the views."""
        with self.transaction():
            self.serialise_schema()
            for stmt in schema.schema_statements(self.dialect):
                self.execute(stmt)
            for name, columns in TABLES.items():
                existing = set(self.columns_of(name))
                for col in columns:
                    if col.name not in existing:
                        column_type = self.dialect.type(col.sql_type)
                        self.execute(f"ALTER TABLE {name} ADD COLUMN {col.name} {column_type}")
            from socialmetrics.warehouse.materialise import create_views

            create_views(self)
            self.execute("DELETE FROM schema_info WHERE key = 'version'")
            self.execute(
                "INSERT INTO schema_info (key, value) VALUES ('version', $1)",
                [str(schema.SCHEMA_VERSION)],
            )

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def redacted(url: str) -> str:
    """A warehouse URL fit for messages and logs: its password, if any, replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def write_error(exc: BaseException) -> str:
    """What a failed warehouse write means for the user: a full disk said as such (drivers
    word it in their own messages), anything else by its first line."""
    text = " ".join(str(exc).split())
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "No space left" in text:
        return (
            "the disk holding the warehouse is full (No space left on device). Free some space "
            "and run again: what earlier loads committed is intact"
        )
    return f"{type(exc).__name__}: {text[:500]}"


def connect(url: str, project_root: Path | None = None) -> Warehouse:
    """Open the warehouse a URL names (see `warehouse.registry` for the schemes)."""
    from socialmetrics.warehouse.registry import connect as open_url

    return open_url(url, project_root)
