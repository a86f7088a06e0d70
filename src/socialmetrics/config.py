"""Settings declared once (name, default, help), read from socialmetrics.toml, then the
environment (`SOCIALMETRICS_<SECTION>_<KEY>`), then command-line flags.

Per-client settings live in an optional `client.toml` in the client's folder. Secrets (a
PostgreSQL password) belong in the environment, never in a committed file: the warehouse URL
may be given as `SOCIALMETRICS_WAREHOUSE_URL`.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socialmetrics.compute import check_engine_url
from socialmetrics.errors import ConfigError, UsageError
from socialmetrics.goals import Goal, parse_goals
from socialmetrics.settings import (
    CLIENT_KEYS,
    CLIENT_SETTINGS,
    REPORT_LANGUAGES,
    SETTING_BY_NAME,
    SETTINGS,
    Setting,
    client_template,
    project_template,
)

__all__ = [
    "SETTINGS",
    "SETTING_BY_NAME",
    "ClientSettings",
    "Project",
    "Setting",
    "client_template",
    "init_project",
    "load_client",
    "load_project",
    "project_template",
]

PROJECT_FILE = "socialmetrics.toml"
CLIENT_FILE = "client.toml"
LANGUAGES = REPORT_LANGUAGES


@dataclass
class Project:
    """A socialmetrics project folder and its resolved settings."""

    root: Path
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        return self.values[name]

    @property
    def clients_dir(self) -> Path:
        return self.root / str(self.get("paths.clients"))

    @property
    def files_within(self) -> Path | None:
        """Where every export must really be (links followed): the project, unless
        `paths.allow_external_links` says links out of it may be read."""
        return None if self.get("paths.allow_external_links") else self.root

    @property
    def reports_dir(self) -> Path:
        return self.root / str(self.get("paths.reports"))

    @property
    def warehouse_url(self) -> str:
        return str(self.get("warehouse.url"))


def _coerce(setting: Setting, value: Any, origin: str) -> Any:
    if isinstance(setting.default, bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{origin}: {setting.name} must be true or false, got {value!r}")
    if isinstance(setting.default, int):
        try:
            if isinstance(value, bool | float):  # int(True) is 1, int(2.7) is 2: not numbers
                raise ValueError
            number = int(value)
        except (TypeError, ValueError):
            raise ConfigError(
                f"{origin}: {setting.name} must be a whole number, got {value!r}"
            ) from None
        if setting.minimum is not None and number < setting.minimum:
            raise ConfigError(
                f"{origin}: {setting.name} must be at least {setting.minimum}, got {value!r}"
            )
        return number
    if not isinstance(value, str):
        raise ConfigError(f"{origin}: {setting.name} must be text, got {value!r}")
    if setting.choices and value not in setting.choices:
        raise ConfigError(
            f"{origin}: {setting.name} {value!r} must be one of {', '.join(setting.choices)}"
        )
    return value


def read_toml(path: Path, hint: str = "") -> dict[str, Any]:
    """A settings file's TOML, or a ConfigError naming the file and what is wrong."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}){hint}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 (byte {exc.object[exc.start]:#04x} at position {exc.start}); "
            f"save it as UTF-8{hint}"
        ) from exc
    except IsADirectoryError as exc:
        raise ConfigError(f"{path}: is a folder, not a settings file{hint}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror}){hint}") from exc


def load_project(
    root: Path | None = None, overrides: dict[str, Any] | None = None, *, require: bool = True
) -> Project:
    """Resolve settings: defaults < socialmetrics.toml < environment < overrides (flags)."""
    root = (root or Path(os.environ.get("SOCIALMETRICS_PROJECT", "."))).resolve()
    path = root / PROJECT_FILE
    data: dict[str, Any] = {}
    if path.exists():
        data = read_toml(path, ". Fix the file or run init.")
    elif require:
        raise ConfigError(
            f"no {PROJECT_FILE} in {root}. Run `socialmetrics init {root}` to create a project, "
            "or pass --project DIR."
        )
    project = Project(root=root)
    problems: list[str] = []
    for section, body in data.items():
        if not isinstance(body, dict):
            problems.append(f"{path}: [{section}] must be a table")
            continue
        for key in body:
            if f"{section}.{key}" not in SETTING_BY_NAME:
                problems.append(f"{path}: unknown setting {section}.{key!s}")
    known = "known settings: " + ", ".join(s.name for s in SETTINGS)
    unknown = any("unknown setting" in p for p in problems)
    for setting in SETTINGS:
        section, key = setting.name.split(".")
        value, origin = setting.default, "default"
        body = data.get(section)
        if isinstance(body, dict) and key in body:
            value, origin = body[key], str(path)
        if setting.env in os.environ:
            value, origin = os.environ[setting.env], f"environment {setting.env}"
        if overrides and overrides.get(setting.name) is not None:
            value, origin = overrides[setting.name], "command line"
        try:
            project.values[setting.name] = _coerce(setting, value, origin)
        except ConfigError as exc:
            problems.append(str(exc))
            project.values[setting.name] = setting.default
        project.sources[setting.name] = origin
    try:
        _validate_timezone(project.get("project.timezone"), str(path))
    except ConfigError as exc:
        problems.append(str(exc))
    try:
        check_engine_url(str(project.get("compute.engine")))
    except UsageError as exc:
        problems.append(f"{project.sources['compute.engine']}: {exc}")
    if len(problems) == 1:
        raise ConfigError(problems[0] + (f"; {known}" if unknown else ""))
    if problems:
        raise ConfigError(
            f"{len(problems)} problems in the settings:\n"
            + "\n".join(f"  - {p}" for p in problems)
            + (f"\n{known}" if unknown else "")
        )
    return project


def _validate_language(value: str, where: str) -> None:
    if value not in LANGUAGES:
        choices = " or ".join(repr(lang) for lang in LANGUAGES)
        raise ConfigError(f"{where}: language {value!r} is not supported; use {choices}")


def _validate_timezone(value: str, where: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"{where}: time zone {value!r} is unknown; use an IANA name such as 'Europe/Madrid'"
        ) from exc


@dataclass(frozen=True)
class ClientSettings:
    """A client's settings; the id is its folder's name."""

    client_id: str
    folder: Path
    display_name: str
    language: str
    timezone: str
    brand_color: str = "#1f6feb"
    logo: str | None = None
    meta_platform: str | None = None
    recipients: tuple[str, ...] = ()
    goals: tuple[Goal, ...] = ()


def load_client(folder: Path, project: Project) -> ClientSettings:
    """Read `client.toml` if present; anything missing falls back to the project's defaults."""
    path = folder / CLIENT_FILE
    data: dict[str, Any] = {}
    problems: list[str] = []
    if path.exists():
        data = read_toml(path)
        problems = _client_type_problems(data)
        wrong = {
            s.key for s in CLIENT_SETTINGS if s.key in data and not isinstance(data[s.key], s.types)
        }
        data = {k: v for k, v in data.items() if k not in wrong}  # said once, as a type
    language = str(data.get("language", project.get("project.language")))
    timezone = str(data.get("timezone", project.get("project.timezone")))
    for check, value in ((_validate_language, language), (_validate_timezone, timezone)):
        try:
            check(value, str(path))
        except ConfigError as exc:
            problems.append(str(exc).removeprefix(f"{path}: "))
    color = str(data.get("brand_color", "#1f6feb"))
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", color):
        problems.append(f"brand_color {color!r} must look like '#1f6feb'")
    recipients = data.get("recipients", [])
    if isinstance(recipients, str):
        recipients = [recipients]
    bad = [
        r
        for r in recipients
        if not isinstance(r, str) or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", r)
    ]
    if bad:
        problems.append(f"recipients {bad!r} are not e-mail addresses")
    meta = data.get("meta_platform")
    members = _meta_members()
    if meta is not None and meta not in members:
        choices = " or ".join(repr(m) for m in members)
        problems.append(f"meta_platform {meta!r} must be {choices}")
    goals, goal_problems = _goals(data.get("goals"))
    problems.extend(goal_problems)
    if len(problems) == 1:
        raise ConfigError(f"{path}: {problems[0]}")
    if problems:  # every problem of the file at once
        raise ConfigError(
            f"{path}: {len(problems)} problems:\n" + "\n".join(f"  - {p}" for p in problems)
        )
    return ClientSettings(
        client_id=folder.name,
        folder=folder,
        display_name=str(
            data.get("display_name", folder.name.replace("-", " ").replace("_", " ").title())
        ),
        language=language,
        timezone=timezone,
        brand_color=color,
        logo=data.get("logo"),
        meta_platform=meta,
        recipients=tuple(recipients),
        goals=goals,
    )


def _goals(raw: Any) -> tuple[tuple[Goal, ...], list[str]]:
    from socialmetrics.marts.kpis import ADDITIVE_KPIS, ALL_CHANNEL_RATES, report_kpis
    from socialmetrics.platforms import registry

    additive = frozenset((*ADDITIVE_KPIS, *ALL_CHANNEL_RATES))
    return parse_goals(raw, report_kpis(), registry.platform_ids, additive)


KIND_NAMES: dict[type, str] = {list: "a list", dict: "a table"}


def _client_type_problems(data: dict[str, Any]) -> list[str]:
    """Every unknown key and value of the wrong type in a client.toml, said at once."""
    problems = []
    unknown = set(data) - CLIENT_KEYS
    if unknown:
        problems.append(f"unknown setting(s) {sorted(unknown)}; known: {sorted(CLIENT_KEYS)}")
    for setting in CLIENT_SETTINGS:
        value = data.get(setting.key)
        if value is not None and not isinstance(value, setting.types):
            kinds = " or ".join(KIND_NAMES.get(t, "text") for t in setting.types)
            problems.append(f"{setting.key} = {value!r} must be {kinds}")
    return problems


def _meta_members() -> tuple[str, ...]:
    """The platforms an unlabelled Meta table may belong to (the `meta` family's members)."""
    from socialmetrics.platforms import registry

    family = registry.family("meta")
    return family.members if family else ()


def init_project(
    root: Path, *, name: str = "Big Data Marketing", example: bool = True
) -> list[Path]:
    """Create socialmetrics.toml, clients/ and an example client; never overwrite a file."""
    root.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    config = root / PROJECT_FILE
    if not config.exists():
        config.write_text(
            project_template(name=name),
            encoding="utf-8",
        )
        created.append(config)
    clients = root / "clients"
    clients.mkdir(exist_ok=True)
    if example:
        folder = clients / "example-client"
        folder.mkdir(exist_ok=True)
        client_file = folder / CLIENT_FILE
        if not client_file.exists():
            client_file.write_text(
                client_template(
                    display_name="Example Client",
                    language="es",
                    timezone="Europe/Madrid",
                    brand_color="#1f6feb",
                ),
                encoding="utf-8",
            )
            created.append(client_file)
        readme = folder / "README.txt"
        if not readme.exists():
            readme.write_text(
                "Drop this client's monthly exports here (any sub-folders, any file names):\n"
                "Instagram/Facebook (Meta Business Suite CSV), LinkedIn (.xls/.xlsx), X (CSV).\n"
                "Then run: socialmetrics ingest\n",
                encoding="utf-8",
            )
            created.append(readme)
    return created
