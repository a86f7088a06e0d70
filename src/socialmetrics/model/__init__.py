"""The canonical cross-platform model: grains, metrics and warehouse tables, each declared once.

`grains` says what identifies a row and which export wins, `metrics` names every metric and
derived rate, `tables` every warehouse column. This package re-exports their public names.
"""

from socialmetrics.model.grains import GRAINS, KINDS, Grain, GrainDecl
from socialmetrics.model.metrics import (
    ENGAGEMENT_RATES,
    METRIC_BY_NAME,
    METRICS,
    RATE_BY_NAME,
    Metric,
    Rate,
    ValueType,
    metrics_for,
)
from socialmetrics.model.tables import (
    ACCOUNT_EXTRA_COLUMNS,
    ACCOUNT_FACT_COLUMNS,
    AUDIENCE_COLUMNS,
    CLIENT_COLUMNS,
    COMPETITOR_COLUMNS,
    LAYOUT_CHANGE_COLUMNS,
    POST_SNAPSHOT_COLUMNS,
    QUARANTINE_COLUMNS,
    SOURCE_FILE_COLUMNS,
    SOURCE_TABLE_COLUMNS,
    TABLES,
    Column,
)

__all__ = [
    "ACCOUNT_EXTRA_COLUMNS",
    "ACCOUNT_FACT_COLUMNS",
    "AUDIENCE_COLUMNS",
    "CLIENT_COLUMNS",
    "COMPETITOR_COLUMNS",
    "ENGAGEMENT_RATES",
    "GRAINS",
    "KINDS",
    "LAYOUT_CHANGE_COLUMNS",
    "METRICS",
    "METRIC_BY_NAME",
    "POST_SNAPSHOT_COLUMNS",
    "QUARANTINE_COLUMNS",
    "RATE_BY_NAME",
    "SOURCE_FILE_COLUMNS",
    "SOURCE_TABLE_COLUMNS",
    "TABLES",
    "Column",
    "Grain",
    "GrainDecl",
    "Metric",
    "Rate",
    "ValueType",
    "metrics_for",
]
