"""Validate: layout drift between exports, and the analyst's review of it."""
