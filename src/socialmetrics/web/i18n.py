"""The portal's language: the browser's `Accept-Language` matched against the report catalogs
(`es`, `en`, `pt-BR`...), English when none fits. The portal's texts live in the same catalogs
as the report's, so adding a language to one adds it to the other.

Page templates call `_("...")` and `pgettext(context, "...")`, bound per request; messages
decided in Python (an error's title) are marked with `marked` where they are written and
translated when the page is rendered.
"""

from __future__ import annotations

from socialmetrics.report import catalogs
from socialmetrics.report.labels import N_

DEFAULT = "en"
ROLES = {
    "admin": N_("role", "agency admin"),
    "analyst": N_("role", "analyst"),
    "viewer": N_("role", "client viewer"),
}
"""A user's role as the header shows it (`pgettext(*ROLES[role])`)."""


def marked(message: str) -> str:
    """Marks a message for the catalogs; the page translates it (`_(title)`) in its language."""
    return message


def negotiate(accept_language: str | None) -> str:
    """The best catalog for an `Accept-Language` header (`pt-BR,pt;q=0.9,en;q=0.8` -> `pt-BR`):
    an exact match first, else the first catalog of the same language (`pt` -> `pt-BR`)."""
    available = catalogs.languages()
    wanted: list[tuple[float, int, str]] = []
    for order, part in enumerate((accept_language or "").split(",")):
        tag, _semicolon, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            wanted.append((-quality, order, tag.strip().lower()))
    by_lower = {lang.lower(): lang for lang in available}
    for _quality, _order, tag in sorted(wanted):
        if tag in by_lower:
            return by_lower[tag]
        base = tag.split("-")[0]
        for lang in available:
            if lang.lower().split("-")[0] == base:
                return lang
    return DEFAULT if DEFAULT in available else available[0]
