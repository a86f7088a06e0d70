"""Where each client stands: months loaded, the last run and its outcome, what to confirm."""

from __future__ import annotations

from typing import Any

from socialmetrics.config import Project
from socialmetrics.extract.discover import client_folders
from socialmetrics.warehouse.base import connect


def project_status(project: Project) -> dict[str, Any]:
    """Per client: months with data, pending layout changes; and the project's last runs."""
    with connect(project.warehouse_url, project.root) as wh:
        wh.ensure_schema()
        months: dict[str, list[str]] = {}
        for client_id, year, month in wh.query(
            "SELECT DISTINCT client_id, EXTRACT(YEAR FROM date), EXTRACT(MONTH FROM date) "
            "FROM account_daily_facts UNION SELECT DISTINCT client_id, "
            "EXTRACT(YEAR FROM published_date), EXTRACT(MONTH FROM published_date) "
            "FROM post_snapshots WHERE published_date IS NOT NULL ORDER BY 1, 2, 3"
        ):
            months.setdefault(client_id, []).append(f"{int(year):04d}-{int(month):02d}")
        pending = dict(
            wh.query(
                "SELECT client_id, COUNT(*) FROM layout_changes WHERE status = 'pending' "
                "GROUP BY client_id"
            )
        )
        delivered = {
            (c, m) for c, m in wh.query("SELECT DISTINCT client_id, month FROM deliveries")
        }
        runs = wh.query(
            "SELECT run_id, month, client_id, started_at, finished_at, status, files_loaded, "
            "files_failed, reports_written FROM job_runs ORDER BY started_at DESC LIMIT 10"
        )
    names = [f.name for f in client_folders(project.clients_dir)]
    clients = []
    for name in sorted(set(names) | set(months)):
        loaded = months.get(name, [])
        folder = project.reports_dir / name
        reported = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
        clients.append(
            {
                "client": name,
                "months_loaded": loaded,
                "first_month": loaded[0] if loaded else None,
                "last_month": loaded[-1] if loaded else None,
                "pending_layout_changes": int(pending.get(name, 0)),
                "reports_not_delivered": [m for m in reported if (name, m) not in delivered],
                "has_folder": name in names,
            }
        )
    keys = (
        "run_id",
        "month",
        "client",
        "started_at",
        "finished_at",
        "status",
        "files_loaded",
        "files_failed",
        "reports_written",
    )
    return {
        "clients": clients,
        "runs": [
            {
                k: (str(v) if k.endswith("_at") and v is not None else v)
                for k, v in zip(keys, r, strict=True)
            }
            for r in runs
        ],
    }
