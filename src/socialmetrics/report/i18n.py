"""Report texts in Spanish and English, and numbers/dates formatted for the language (Babel)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_skeleton, get_day_names
from babel.numbers import format_decimal, format_percent

from socialmetrics.platforms import registry

LOCALES = {"es": "es_ES", "en": "en_US"}

TEXTS: dict[str, dict[str, str]] = {
    "title": {"es": "Informe mensual de redes sociales", "en": "Monthly social media report"},
    "summary": {"es": "Resumen ejecutivo", "en": "Executive summary"},
    "prepared_by": {"es": "Preparado por", "en": "Prepared by"},
    "vs_previous": {"es": "vs. mes anterior", "en": "vs. previous month"},
    "vs_year": {"es": "vs. hace un año", "en": "vs. a year ago"},
    "no_data": {
        "es": "Sin datos de {platform} en {month}.",
        "en": "No {platform} data for {month}.",
    },
    "top_posts": {"es": "Publicaciones destacadas", "en": "Top posts"},
    "content_types": {"es": "Tipos de contenido", "en": "Content types"},
    "best_times": {"es": "Mejores momentos para publicar", "en": "Best times to post"},
    "audience": {"es": "Audiencia", "en": "Audience"},
    "competitors": {
        "es": "Comparativa con la competencia ({start} – {end})",
        "en": "Competitor benchmark ({start} – {end})",
    },
    "page": {"es": "Página", "en": "Page"},
    "followers_gained": {"es": "Nuevos seguidores", "en": "New followers"},
    "engagements_per_post": {"es": "Interacciones por publicación", "en": "Engagements per post"},
    "insights": {"es": "Conclusiones", "en": "Insights"},
    "daily": {"es": "Evolución diaria", "en": "Daily evolution"},
    "quality": {"es": "Anexo: calidad de los datos", "en": "Appendix: data quality"},
    "files_used": {"es": "Archivos usados", "en": "Files used"},
    "layout_changes": {"es": "Cambios de formato detectados", "en": "Layout changes seen"},
    "quarantined": {"es": "Filas en cuarentena", "en": "Quarantined rows"},
    "none": {"es": "Ninguno", "en": "None"},
    "posts": {"es": "publicaciones", "en": "posts"},
    "rate_basis": {"es": "Tasa de interacción sobre {basis}", "en": "Engagement rate by {basis}"},
    "followers_end": {"es": "Seguidores", "en": "Followers"},
    "followers_net": {"es": "Nuevos seguidores (neto)", "en": "Net new followers"},
    "followers_growth": {"es": "Crecimiento de seguidores", "en": "Follower growth"},
    "posts_published": {"es": "Publicaciones", "en": "Posts published"},
    "impressions": {"es": "Impresiones / visualizaciones", "en": "Impressions / views"},
    "reach_daily_sum": {"es": "Alcance (suma diaria)", "en": "Reach (sum of daily reach)"},
    "reach_daily_avg": {
        "es": "Alcance medio diario (espectadores)",
        "en": "Average daily reach (viewers)",
    },
    "impressions_paid": {"es": "Impresiones de pago", "en": "Paid impressions"},
    "impressions_paid_share": {"es": "Parte de pago", "en": "Paid share of impressions"},
    "engagements": {"es": "Interacciones", "en": "Engagements"},
    "engagement_rate": {"es": "Tasa de interacción", "en": "Engagement rate"},
    "saves_shares": {"es": "Guardados + compartidos", "en": "Saves + shares"},
    "link_clicks": {"es": "Clics en enlaces", "en": "Link clicks"},
    "profile_visits": {"es": "Visitas al perfil", "en": "Profile visits"},
    "video_views": {"es": "Reproducciones de vídeo", "en": "Video views"},
    "watch_time_hours": {"es": "Tiempo de visualización (horas)", "en": "Watch time (hours)"},
    "impressions_ctr": {
        "es": "CTR de las impresiones",
        "en": "Impressions click-through rate",
    },
    "impressions_basis": {"es": "impresiones", "en": "impressions"},
    "reach_basis": {"es": "alcance (suma diaria)", "en": "reach (sum of daily reach)"},
    "followers_basis": {"es": "seguidores", "en": "followers"},
    "video_views_basis": {"es": "reproducciones de vídeo", "en": "video views"},
    "insight_mover": {
        "es": "{kpi} en {platform}: {change} respecto al mes anterior.",
        "en": "{kpi} on {platform}: {change} versus the previous month.",
    },
    "insight_best_post": {
        "es": "La mejor publicación en {platform} ({date}, {type}) logró {value} interacciones, "
        "{ratio} veces la mediana del mes.",
        "en": "The best {platform} post ({date}, {type}) earned {value} engagements, "
        "{ratio} times the month's median.",
    },
    "insight_anomaly": {
        "es": "{kpi} en {platform} se sale de lo habitual: {value} frente a una media de {avg} "
        "en los tres meses anteriores.",
        "en": "{kpi} on {platform} is unusual: {value} against an average of {avg} over the "
        "three previous months.",
    },
    "insight_missing": {
        "es": "No hay datos de {platform} este mes: revisa que se hayan exportado los archivos.",
        "en": "There is no {platform} data this month: check that its exports were collected.",
    },
    "weekday": {"es": "Día", "en": "Day"},
    "hour": {"es": "Hora", "en": "Hour"},
    "average": {"es": "media", "en": "average"},
    "type": {"es": "Tipo", "en": "Type"},
    "date": {"es": "Fecha", "en": "Date"},
    "link": {"es": "enlace", "en": "link"},
}
CONTENT_TYPES = {
    "es": {
        "image": "imagen",
        "video": "vídeo",
        "reel": "reel",
        "carousel": "carrusel",
        "story": "historia",
        "text": "texto",
        "link": "enlace",
        "article": "artículo",
        "document": "documento",
        "poll": "encuesta",
        "event": "evento",
        "other": "otro",
    },
    "en": {},
}
DIMENSIONS = {
    "es": {
        "age_gender": "edad y sexo",
        "city": "ciudad",
        "country": "país",
        "total": "total",
        "location": "ubicación",
        "job_function": "función",
        "seniority": "antigüedad",
        "industry": "sector",
        "company_size": "tamaño de empresa",
        "content_format": "formato de contenido",
    },
    "en": {
        "age_gender": "age & gender",
        "job_function": "job function",
        "company_size": "company size",
        "content_format": "content format",
    },
}


class Formatter:
    """Texts and numbers for one language."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LOCALES else "en"
        self.locale = LOCALES[self.language]

    def t(self, key: str, **values: object) -> str:
        return TEXTS[key][self.language].format(**values)

    def number(self, value: float | None, digits: int = 0) -> str:
        if value is None:
            return "—"
        return format_decimal(
            round(value, digits),
            format=f"#,##0.{'0' * digits}" if digits else "#,##0",
            locale=self.locale,
        )

    def percent(self, value: float | None, digits: int = 1) -> str:
        if value is None:
            return "—"
        return format_percent(value, format=f"#,##0.{'0' * digits}%", locale=self.locale)

    def change(self, value: float | None, rate: bool) -> str:
        """+12,5 % for counts; +1,5 pp for rates."""
        if value is None:
            return "—"
        sign = "+" if value > 0 else ""
        if rate:
            return (
                f"{sign}{format_decimal(round(value, 1), format='#,##0.0', locale=self.locale)} pp"
            )
        return sign + format_percent(value, format="#,##0.0%", locale=self.locale)

    def month(self, day: dt.date) -> str:
        """`octubre de 2026` / `October 2026`."""
        return format_skeleton("yMMMM", day, locale=self.locale)

    def date(self, day: dt.date | dt.datetime) -> str:
        return format_date(day, format="medium", locale=self.locale)

    def platform(self, name: str) -> str:
        return registry.display_name(name, self.language)

    def weekday(self, iso_day: int) -> str:
        """1 = Monday, in the report's language."""
        return str(get_day_names("wide", locale=self.locale)[(int(iso_day) - 1) % 7])

    def content_type(self, name: str | None) -> str:
        return CONTENT_TYPES[self.language].get(name or "other", name or "—")

    def dimension(self, name: str) -> str:
        return DIMENSIONS[self.language].get(name, name.replace("_", " "))
