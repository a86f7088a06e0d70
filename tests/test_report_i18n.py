"""The report's languages: complete catalogs, translated labels from data, no English left."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from socialmetrics.report import catalogs
from socialmetrics.report.i18n import Formatter

LANGUAGES = ("es", "en", "pt-BR")


def _extracted(tmp_path: Path) -> dict[tuple[str | None, str], object]:
    """What the code and templates ask to translate, extracted now (not the committed .pot)."""
    pot = tmp_path / "now.pot"
    catalogs.extract(pot)
    with pot.open("rb") as handle:
        return {(m.context, str(m.id)): m for m in read_po(handle) if m.id}


def test_the_languages_are_the_catalogs() -> None:
    assert catalogs.languages() == ("en", "es", "pt-BR")
    from socialmetrics.settings import REPORT_LANGUAGES

    assert catalogs.languages() == REPORT_LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language: str, tmp_path: Path) -> None:
    """Fails when a user-visible string of the code or templates lacks a translation (or
    has a fuzzy one, or loses a placeholder) in a catalog: run `make i18n` and translate it."""
    wanted = _extracted(tmp_path)
    assert len(wanted) > 100
    with catalogs.po_file(language).open("rb") as handle:
        catalog = read_po(handle, locale=catalogs.folder_of(language))
    found = {(m.context, str(m.id)): m for m in catalog if m.id}
    missing = sorted(k for k in wanted if k not in found)
    assert missing == [], f"not in {language}'s catalog (run make i18n): {missing}"
    untranslated = sorted(
        k
        for k, m in found.items()
        if k in wanted
        and ("fuzzy" in m.flags or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    )
    assert untranslated == [], f"untranslated in {language}: {untranslated}"
    for key, m in found.items():
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        want = set(re.findall(r"%\(\w+\)s", " ".join(ids)))
        for text in strings:
            assert set(re.findall(r"%\(\w+\)s", text)) == want, (language, key, text)
    assert catalog.obsolete == {}, f"obsolete entries in {language}: {list(catalog.obsolete)}"


def test_the_committed_template_is_current(tmp_path: Path) -> None:
    with catalogs.TEMPLATE.open("rb") as handle:
        committed = {(m.context, str(m.id)) for m in read_po(handle) if m.id}
    assert committed == set(_extracted(tmp_path)), "run make i18n"


def test_a_catalog_without_mo_compiles_in_memory(tmp_path: Path) -> None:
    catalogs.translations.cache_clear()
    try:
        assert catalogs.translations("pt-BR").gettext("Goals") == "Metas"
        assert catalogs.translations("es").pgettext("content type", "link") == "enlace"
    finally:
        catalogs.translations.cache_clear()


@pytest.mark.parametrize(
    ("language", "dimension", "segment", "gender", "shown"),
    [
        ("en", "country", "España", None, "Spain"),
        ("es", "country", "Brazil", None, "Brasil"),
        ("pt-BR", "country", "BR", None, "Brasil"),
        ("pt-BR", "country", "Estados Unidos", None, "Estados Unidos"),
        ("en", "country", "Atlantis", None, "Atlantis"),  # unknown: as exported
        ("es", "age_gender", "55-64", "male", "55–64 años · hombres"),
        ("pt-BR", "age_gender", "65+", "female", "65+ anos · mulheres"),
        ("en", "age", "18-24", None, "18–24 years"),
        ("es", "gender", "female", None, "mujeres"),
        ("es", "city", "Madrid", None, "Madrid"),
        ("pt-BR", "industry", "Software Development", None, "Software Development"),
    ],
)
def test_audience_labels_are_translated(
    language: str, dimension: str, segment: str, gender: str | None, shown: str
) -> None:
    assert Formatter(language).segment(dimension, segment, gender) == shown


def test_labels_and_numbers_in_each_language() -> None:
    es, en, pt = Formatter("es"), Formatter("en"), Formatter("pt-BR")
    assert (es.content_type("carousel"), pt.content_type("carousel")) == ("carrusel", "carrossel")
    assert en.content_type("newsletter") == "newsletter"  # unknown: as exported
    assert pt.dimension("age_gender") == "idade e gênero"
    assert (es.kpi("engagements"), pt.kpi("engagements")) == ("Interacciones", "Engajamentos")
    assert pt.weekdays()[0] == "segunda-feira" and es.weekday(7) == "domingo"
    assert pt.number(6852) == "6.852" and en.number(6852) == "6,852"
    assert pt.change(0.125, False) == "+12,5%" and es.change(-1.26, True) == "-1,3 p. p."
    assert es.change(-0.0004, True) == "0,0 p. p."  # no negative zero
    import datetime as dt

    assert pt.month(dt.date(2026, 11, 1)) == "novembro de 2026"
    assert pt.d3 == "pt-BR" and es.d3 == "es-ES" and en.d3 == "en-US"
    assert Formatter("fr").language == "en"  # an unknown language falls back to English
    assert es.file_status("ok") == "cargado" and pt.change_kind("renamed") == "coluna renomeada"
    assert es.change_status("pending") == "por confirmar"
    assert en.change_kind("split") == "split"  # unknown: as stored


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One demo client's report HTML in each language."""
    from socialmetrics.config import load_project
    from socialmetrics.demo.generator import generate_demo
    from socialmetrics.ingest import ingest
    from socialmetrics.ops.report import write_reports

    root = tmp_path_factory.mktemp("i18n-demo")
    generate_demo(root, clients=1, months=4, seed=5, end_month="2026-10")
    proj = load_project(root)
    ingest(proj)
    out = {}
    for lang in LANGUAGES:
        (path,) = write_reports(proj, month="2026-10", language=lang, formats=("html",))
        out[lang] = path.read_text(encoding="utf-8")
    return out


def _visible_text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("language", ["es", "pt-BR"])
def test_no_english_message_is_left_in_a_report(
    reports: dict[str, str], language: str, tmp_path: Path
) -> None:
    """Every English message long enough to be unambiguous, whose translation differs, must be
    absent from the Spanish and Portuguese pages (charts' titles and legends included)."""
    text = _visible_text(reports[language])
    f = Formatter(language)
    leaked = []
    for (context, message), _ in _extracted(tmp_path).items():
        if "%(" in message or len(message) < 12:
            continue
        translated = (
            f.translations.pgettext(context, message)
            if context
            else f.translations.gettext(message)
        )
        if translated != message and message in text:
            leaked.append(message)
    assert leaked == []
    assert "Engagements" not in text and "Impressions" not in text


def test_the_english_report_reads_in_english(reports: dict[str, str]) -> None:
    text = _visible_text(reports["en"])
    for message in (
        "All channels",
        "Executive summary",
        "Top posts",
        "Goals",
        "Notes of the month",
    ):
        assert message in text
    assert "Resumen ejecutivo" not in text
