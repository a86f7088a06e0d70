"""Warehouses: the backend interface, DuckDB and PostgreSQL, schema, views, marts, ledger."""
