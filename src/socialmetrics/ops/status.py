"""Where each client stands: months loaded, the last run and its outcome, what to confirm."""

from __future__ import annotations

from typing import Any

from socialmetrics.config import Project
from socialmetrics.extract.discover import client_folders
from socialmetrics.warehouse import ledger
from socialmetrics.warehouse.base import connect


def project_status(project: Project) -> dict[str, Any]:
    """Per client: months with data, pending layout changes; and the project's last runs."""
    with connect(project.warehouse_url, project.root) as wh:
        wh.ensure_schema()
        months = ledger.months_loaded(wh)
        pending = ledger.pending_changes_by_client(wh)
        delivered = ledger.delivered(wh)
        runs = ledger.recent_runs(wh, 10)
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
    return {
        "clients": clients,
        "runs": [
            {k: (str(v) if k.endswith("_at") and v is not None else v) for k, v in run.items()}
            for run in runs
        ],
    }
