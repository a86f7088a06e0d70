"""Report languages as gettext catalogs managed with Babel: one folder per language in
`locale/` (`es`, `en`, `pt_BR`...), each with `LC_MESSAGES/socialmetrics.po`.

Adding a language is adding a catalog: `python -m socialmetrics.report.catalogs init fr`, fill
in the `.po` (a translator's tool such as Poedit reads it), then `make i18n`. The language code a
client writes in `client.toml` is the folder name with a hyphen (`pt-BR`).

The source strings are English (`_("Top posts")` in the templates, `N_("KPI", "Followers")`
for labels keyed by data, see `labels.py`). `make i18n` extracts them from the code
(`extract`), merges them into every catalog (`update`) and compiles the `.mo` files
(`compile`); a wheel build compiles them too (`hatch_build.py`). A checkout without `.mo`
files still works: the `.po` is compiled in memory the first time a language is used.
"""

from __future__ import annotations

import gettext
import io
import sys
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "socialmetrics"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
MAPPING = LOCALE_DIR / "babel.cfg"
SOURCES = Path(__file__).parent.parent
"""The package: every module and template under it is searched for strings."""
KEYWORDS = ("_", "t", "gettext", "ngettext:1,2", "pgettext:1c,2", "N_:1c,2", "marked")
"""Functions whose literal arguments are messages; `N_(context, message)` marks a label that
is translated later (the label tables of `labels.py`), `marked(message)` a portal message
(`web/i18n.py`); `t` is `Formatter.t`."""


def folder_of(language: str) -> str:
    """`pt-BR` -> `pt_BR` (the catalog's folder, as gettext names it)."""
    return language.replace("-", "_")


@cache
def languages() -> tuple[str, ...]:
    """The report languages: one per catalog, as clients write them (`es`, `en`, `pt-BR`)."""
    found = sorted(
        path.parent.parent.name.replace("_", "-")
        for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")
    )
    return tuple(found)


def po_file(language: str) -> Path:
    return LOCALE_DIR / folder_of(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.GNUTranslations:
    """The language's messages: the compiled `.mo` if it is current, else the `.po` compiled
    in memory (fuzzy entries are left out: an unconfirmed translation shows the English)."""
    po = po_file(language)
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=folder_of(language))
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "-q", *args])  # type: ignore[no-untyped-call]


def extract(output: Path = TEMPLATE) -> None:
    """Every message of the code and templates into a template (`.pot`)."""
    keywords = [arg for k in KEYWORDS for arg in ("-k", k)]
    _pybabel(
        "extract",
        "-F",
        str(MAPPING),
        *keywords,
        "--no-location",
        "--sort-output",
        "--project",
        "socialmetrics",
        "-o",
        str(output),
        str(SOURCES),
    )


def update() -> None:
    _pybabel(
        "update", "-i", str(TEMPLATE), "-d", str(LOCALE_DIR), "-D", DOMAIN, "--no-fuzzy-matching"
    )


def compile_all() -> None:
    _pybabel("compile", "-d", str(LOCALE_DIR), "-D", DOMAIN, "--statistics")


def init(language: str) -> None:
    _pybabel(
        "init", "-i", str(TEMPLATE), "-d", str(LOCALE_DIR), "-D", DOMAIN, "-l", folder_of(language)
    )


def main(argv: list[str]) -> None:
    """`python -m socialmetrics.report.catalogs all|extract|update|compile|init <lang>`."""
    steps = {"extract": extract, "update": update, "compile": compile_all}
    if argv[:1] == ["init"] and len(argv) == 2:
        extract()
        init(argv[1])
        return
    for name in argv or ["all"]:
        for step in steps.values() if name == "all" else [steps[name]]:
            step()


if __name__ == "__main__":
    main(sys.argv[1:])
