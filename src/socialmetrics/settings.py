"""Every setting, declared once: name, default, allowed values and help.

From these declarations come the validation in `config`, the `socialmetrics.toml` and
`client.toml` templates that `init` and the demo write, and the settings tables of
docs/configuration.md (`make docs` rewrites them; a test fails when they drift).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from socialmetrics.extract.limits import DEFAULT_LIMITS as _LIMITS
from socialmetrics.report import catalogs

REPORT_LANGUAGES = catalogs.languages()
"""Languages reports are written in: one per gettext catalog in report/locale/ (adding a
language is adding a catalog)."""
RATE_BASES = ("native", "impressions", "reach", "followers", "video_views")


@dataclass(frozen=True)
class Setting:
    """One project setting: dotted name (`section.key`), default, allowed values and help."""

    name: str
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    comment: str = ""
    """The short comment beside the key in the generated socialmetrics.toml."""

    @property
    def env(self) -> str:
        return "SOCIALMETRICS_" + self.name.replace(".", "_").upper()

    @property
    def section(self) -> str:
        return self.name.split(".")[0]

    @property
    def key(self) -> str:
        return self.name.split(".")[1]


SETTINGS: tuple[Setting, ...] = (
    Setting("project.name", "Big Data Marketing", "Agency name, shown in reports and e-mails."),
    Setting(
        "project.language",
        "es",
        "Default report language for clients without one.",
        choices=REPORT_LANGUAGES,
        comment="default report language",
    ),
    Setting("project.timezone", "Europe/Madrid", "Default IANA time zone of clients."),
    Setting(
        "paths.clients",
        "clients",
        "Folder holding one sub-folder per client.",
        comment="one folder per client, exports anywhere inside it",
    ),
    Setting("paths.reports", "reports", "Folder where reports are written."),
    Setting(
        "paths.allow_external_links",
        False,
        "Read files (or whole client folders) that are links to places outside the project. "
        "Off: such a file is refused with a message, never opened.",
    ),
    Setting(
        "warehouse.url",
        "duckdb:///warehouse.duckdb",
        "Where to load: duckdb:///<file> (relative to the project) or "
        "postgresql://user@host:port/db. Put passwords in the environment variable only.",
    ),
    Setting(
        "warehouse.loaders",
        2,
        "Clients loaded at once, each in its own transaction on its own connection, on a "
        "warehouse that takes several writers (PostgreSQL); the embedded DuckDB file always "
        "loads one client at a time. Results are the same whatever the number.",
        minimum=1,
    ),
    Setting(
        "ingest.strict",
        False,
        "Treat recoverable oddities (quarantined values, unrecognised sheets) as errors.",
    ),
    Setting(
        "ingest.keep_missing",
        False,
        "Keep the rows of files that are no longer in their client's folder (for agencies that "
        "archive old exports elsewhere). Off: such files are retired (their rows removed, the "
        "ledger keeps a record), so a file moved to another client or deleted never counts "
        "twice or forever.",
    ),
    Setting(
        "compute.jobs",
        0,
        "Worker processes that inspect files (and render reports) at once; 0: one per core. "
        "Results are the same whatever the number.",
        minimum=0,
        comment="0: one per core",
    ),
    Setting(
        "compute.engine",
        "local",
        "Where files are inspected and reports rendered: local (worker processes on this "
        "machine) or dask://host:port, the scheduler of a Dask distributed cluster whose "
        "workers can read the client folders (docs/scaling.md).",
        comment="local, or dask://scheduler:8786",
    ),
    *(
        Setting(f"limits.{name}", getattr(_LIMITS, name), text, minimum=1)
        for name, text in (
            ("max_file_mb", "Largest export file read, in MB (real ones are a few MB)."),
            (
                "max_unpacked_mb",
                "Largest unpacked size, in MB, of a zip member or a workbook part (and of all "
                "members together).",
            ),
            (
                "max_zip_ratio",
                "Largest unpacked/packed ratio of a zip member or workbook part over 1 MB "
                "(zip bombs reach 1000:1; real workbooks stay under 60:1).",
            ),
            ("max_line_kb", "Longest line of a CSV export, in KB."),
            ("max_columns", "Most columns in one table (real exports reach about 2,700)."),
            ("max_rows", "Most rows in one file."),
            ("max_cells", "Most cells (rows x columns) in one file."),
            (
                "worker_memory_mb",
                "Memory cap, in MB, of the worker process that reads each file; a reader that "
                "needs more costs that file only.",
            ),
            (
                "seconds_per_file",
                "Time cap for reading one file; a slower reader is stopped and the file refused.",
            ),
        )
    ),
    Setting(
        "report.engagement_rate",
        "native",
        "Engagement-rate denominator in reports: native (each platform's own: impressions for "
        "LinkedIn and X, reach for Instagram and Facebook, video views for TikTok and YouTube), "
        "impressions, reach, followers or video_views. Always printed beside the rate.",
        choices=RATE_BASES,
    ),
    Setting(
        "schedule.cron",
        "0 6 1 * *",
        "When `schedule` runs the monthly job (cron: minute hour day month weekday), in the "
        "project's time zone. Default: the 1st of each month at 06:00.",
        comment="the 1st of each month at 06:00, project time zone",
    ),
    Setting(
        "schedule.catch_up_months",
        3,
        "How many past months `schedule` checks for a missing or failed run, and runs.",
        minimum=1,
    ),
    Setting(
        "web.host",
        "127.0.0.1",
        "Address `serve` listens on: 127.0.0.1 (this machine only) by default; 0.0.0.0 or the "
        "machine's address to reach the portal from the network (put it behind HTTPS).",
        comment="this machine only",
    ),
    Setting("web.port", 8000, "Port `serve` listens on.", minimum=1),
    Setting(
        "web.session_hours",
        12,
        "Hours a portal login lasts; after that the user logs in again.",
        minimum=1,
    ),
    Setting(
        "delivery.sender",
        "",
        "From address of report e-mails (e.g. informes@agencia.es); empty: no delivery.",
        comment="empty: reports are not e-mailed",
    ),
    Setting(
        "delivery.agency_recipients",
        "",
        "Comma-separated addresses that get the internal alert when a run fails or finds layout "
        "changes to confirm.",
    ),
    Setting(
        "delivery.dry_run_dir",
        "",
        "If set, e-mails are written as .eml files to this folder (relative to the project) "
        "instead of being sent.",
    ),
)
SETTING_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class ClientSetting:
    """One key of a client's optional `client.toml`."""

    key: str
    default: str
    """The default, in words (it often comes from a project setting)."""
    help: str
    example: str
    """The value the generated client.toml shows (commented out when `optional_example`)."""
    commented: bool = False
    types: tuple[type, ...] = (str,)
    """The TOML types the key accepts (checked before any other rule)."""


CLIENT_SETTINGS: tuple[ClientSetting, ...] = (
    ClientSetting(
        "display_name", "the folder name, title-cased", "Name shown in reports.", "{display_name}"
    ),
    ClientSetting(
        "language",
        "`project.language`",
        f"Report language: {', '.join(REPORT_LANGUAGES)}.",
        "{language}",
    ),
    ClientSetting("timezone", "`project.timezone`", "IANA time zone.", "{timezone}"),
    ClientSetting("brand_color", "`#1f6feb`", "Hex colour for reports.", "{brand_color}"),
    ClientSetting(
        "logo", "none", "Path of a logo, relative to the client folder.", "logo.png", True
    ),
    ClientSetting(
        "recipients",
        "none",
        "E-mail addresses that receive the monthly report files.",
        '["marketing@client.example"]',
        True,
        (str, list),
    ),
    ClientSetting(
        "meta_platform",
        "none",
        "What a Meta chart whose title names no platform (e.g. `Reach`) means for this client: "
        "a member of the `meta` family (`instagram` or `facebook`).",
        "{meta_example}",
        True,
    ),
    ClientSetting(
        "goals",
        "none",
        "Targets the report tracks: a list of `{ kpi, target, period, platform }` "
        "(docs/reports.md#goals).",
        '[{{ kpi = "followers_net", target = 500 }}, '
        '{{ kpi = "engagement_rate", target = "4%", period = "2026-Q4" }}]',
        True,
        (list, dict),
    ),
)
CLIENT_KEYS = {s.key for s in CLIENT_SETTINGS}


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def project_template(**values: Any) -> str:
    """A commented socialmetrics.toml with every setting at its default (or `values`, keyed by
    the setting's key: `name=`, `language=`, `timezone=`)."""
    lines = [
        "# socialmetrics project settings. Every setting can also be given in the environment as",
        "# SOCIALMETRICS_<SECTION>_<KEY> (e.g. SOCIALMETRICS_WAREHOUSE_URL); see "
        "docs/configuration.md.",
    ]
    section = ""
    for s in SETTINGS:
        if s.section != section:
            section = s.section
            lines += ["", f"[{section}]"]
            if section == "warehouse":
                lines += [
                    "# Embedded DuckDB file by default. For PostgreSQL use a URL such as",
                    "# postgresql://socialmetrics@db.example.com:5432/socialmetrics and keep the "
                    "password in",
                    "# SOCIALMETRICS_WAREHOUSE_URL or PGPASSWORD, never in this file.",
                ]
        value = values.get(s.key, s.default)
        note = s.comment or (", ".join(s.choices) if s.choices else "")
        entry = f"{s.key} = {_toml(value)}"
        lines.append(f"{entry:<30}# {note}" if note else entry)
    lines += [
        "# The SMTP server and its credentials come from the environment only:",
        "# SOCIALMETRICS_SMTP_URL=smtp://user:password@smtp.example.com:587   "
        "(smtps:// for TLS on 465)",
    ]
    return "\n".join(lines) + "\n"


def client_template(**values: str) -> str:
    """A client.toml: the given values, and the optional keys commented out as examples."""
    from socialmetrics.platforms import registry

    meta = registry.family("meta")
    values = {"meta_example": meta.members[-1] if meta else "", **values}
    lines = ["# Settings of this client (all optional). The folder name is the client's id."]
    for s in CLIENT_SETTINGS:
        example = s.example.format(**values)
        text = example if example.startswith("[") else _toml(example)
        entry = f"{'# ' if s.commented else ''}{s.key} = {text}"
        note = s.help.split(":")[0].split(" (")[0].rstrip(".")
        lines.append(f"{entry:<32} # {note}")
    return "\n".join(lines) + "\n"


def settings_markdown() -> str:
    """The project settings table of docs/configuration.md."""
    rows = [
        "| setting | environment | default | allowed | meaning |",
        "|---|---|---|---|---|",
    ]
    for s in SETTINGS:
        allowed = ", ".join(f"`{c}`" for c in s.choices)
        if s.minimum is not None:
            allowed = f"whole number ≥ {s.minimum}"
        elif isinstance(s.default, bool):
            allowed = "`true`, `false`"
        rows.append(f"| `{s.name}` | `{s.env}` | `{_toml(s.default)}` | {allowed} | {s.help} |")
    return "\n".join(rows)


def client_settings_markdown() -> str:
    """The client settings table of docs/configuration.md."""
    rows = ["| key | default | meaning |", "|---|---|---|"]
    rows += [f"| `{s.key}` | {s.default} | {s.help} |" for s in CLIENT_SETTINGS]
    return "\n".join(rows)
