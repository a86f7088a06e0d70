"""The embedded default: a DuckDB file in the project folder."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from socialmetrics.errors import WarehouseError
from socialmetrics.warehouse.base import Warehouse
from socialmetrics.warehouse.dialect import Dialect

_names = itertools.count()


def open_error(path: str, exc: Exception) -> str:
    """What went wrong opening the warehouse file, and what to do: not always "wait"."""
    text = str(exc)
    where = f"cannot open the DuckDB warehouse {path}"
    if "lock" in text.lower():
        return f"{where}: another process is using it ({text}). Wait for it to finish."
    if "not a valid DuckDB database" in text:
        size = Path(path).stat().st_size if Path(path).exists() else 0
        if size == 0:
            return (
                f"{where}: the file is empty (0 bytes), left by a creation that did not finish "
                "(a full disk?). It holds nothing: delete it and run again."
            )
        return (
            f"{where}: the file ({size} bytes) is not a DuckDB database. Move it away (keep "
            "it if it is yours) or point warehouse.url at another file."
        )
    return f"{where}: {text}"


class DuckDBWarehouse(Warehouse):
    """DuckDB speaks `$1` parameters and reads Arrow tables in place (no copy, no row loop)."""

    dialect = Dialect("duckdb")

    def __init__(self, path: str, *, read_only: bool = False) -> None:
        self.url = f"duckdb:///{path}"
        if path != ":memory:" and not read_only:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(path, read_only=read_only)
        except duckdb.Error as exc:
            raise WarehouseError(open_error(path, exc)) from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.con.execute(sql, list(params))

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, list(params)).fetchall()

    def query_arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        return self.con.sql(sql, params=list(params) or None).to_arrow_table()

    def insert_arrow(self, table: str, data: pa.Table) -> None:
        if data.num_rows == 0:
            return
        name = f"_arrow_in_{next(_names)}"
        self.con.register(name, data)
        try:
            cols = ", ".join(data.column_names)
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
        finally:
            self.con.unregister(name)

    def begin(self) -> None:
        self.con.execute("BEGIN TRANSACTION")

    def commit(self) -> None:
        self.con.execute("COMMIT")

    def rollback(self) -> None:
        self.con.execute("ROLLBACK")

    def close(self) -> None:
        self.con.close()

    def columns_of(self, table: str) -> list[str]:
        rows = self.query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = $1", [table]
        )
        return [r[0] for r in rows]
