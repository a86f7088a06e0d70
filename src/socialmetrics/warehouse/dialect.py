"""A warehouse's dialect: how it spells the portable types, parameters and index DDL.

The shared SQL (schema, views, marts, ledger) is written once, in portable SQL with `$n`
parameters; a backend whose spelling differs declares it here rather than rewriting SQL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Dialect:
    """How a backend spells what the shared SQL needs: column types, parameters, indexes."""

    name: str
    types: Mapping[str, str] = field(default_factory=dict)
    """Portable type (`BIGINT`, `DOUBLE PRECISION`, `TEXT`, `DATE`, `TIMESTAMP`) -> the
    backend's, where it differs."""
    placeholder: str = "${n}"
    """How parameter n is written (`$1`, `?`, `%s`...); the shared SQL writes `$n`."""
    index_template: str = "CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})"
    """Index DDL; empty for a warehouse without indexes (most cloud warehouses)."""

    def type(self, portable: str) -> str:
        return self.types.get(portable, portable)

    def bind(self, sql: str) -> str:
        """The shared `$n` parameters in this backend's style."""
        if self.placeholder == "${n}":
            return sql
        return re.sub(r"\$(\d+)", lambda m: self.placeholder.format(n=m.group(1)), sql)

    def create_index(self, name: str, table: str, columns: tuple[str, ...]) -> str | None:
        if not self.index_template:
            return None
        return self.index_template.format(name=name, table=table, columns=", ".join(columns))


ANSI = Dialect("ansi")
"""DuckDB and PostgreSQL both speak the portable SQL as it is written."""
