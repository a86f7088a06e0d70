"""Labels keyed by values from the data (KPI names, content types, audience dimensions and
measures, genders, rate bases), marked for translation with `N_(context, message)`.

`N_` only marks: the English message and its context are extracted into the catalogs, and the
Formatter translates them with `pgettext` in the report's language. The context tells the
translator what the word is (`content type` "link" is a post kind, not a hyperlink).
"""

from __future__ import annotations


def N_(context: str, message: str) -> tuple[str, str]:
    return context, message


KPIS = {
    "followers_end": N_("KPI", "Followers"),
    "followers_net": N_("KPI", "Net new followers"),
    "followers_growth": N_("KPI", "Follower growth"),
    "posts_published": N_("KPI", "Posts published"),
    "impressions": N_("KPI", "Impressions / views"),
    "reach_daily_sum": N_("KPI", "Reach (sum of daily reach)"),
    "reach_daily_avg": N_("KPI", "Average daily reach (viewers)"),
    "impressions_paid": N_("KPI", "Paid impressions"),
    "impressions_paid_share": N_("KPI", "Paid share of impressions"),
    "engagements": N_("KPI", "Engagements"),
    "engagement_rate": N_("KPI", "Engagement rate"),
    "saves_shares": N_("KPI", "Saves + shares"),
    "link_clicks": N_("KPI", "Link clicks"),
    "profile_visits": N_("KPI", "Profile visits"),
    "video_views": N_("KPI", "Video views"),
    "watch_time_hours": N_("KPI", "Watch time (hours)"),
    "impressions_ctr": N_("KPI", "Impressions click-through rate"),
}
RATE_BASES = {
    "impressions": N_("rate basis", "impressions"),
    "reach": N_("rate basis", "reach (sum of daily reach)"),
    "followers": N_("rate basis", "followers"),
    "video_views": N_("rate basis", "video views"),
}
CONTENT_TYPES = {
    "image": N_("content type", "image"),
    "video": N_("content type", "video"),
    "reel": N_("content type", "reel"),
    "carousel": N_("content type", "carousel"),
    "story": N_("content type", "story"),
    "text": N_("content type", "text"),
    "link": N_("content type", "link"),
    "article": N_("content type", "article"),
    "document": N_("content type", "document"),
    "poll": N_("content type", "poll"),
    "event": N_("content type", "event"),
    "other": N_("content type", "other"),
}
DIMENSIONS = {
    "age_gender": N_("audience dimension", "age & gender"),
    "age": N_("audience dimension", "age"),
    "gender": N_("audience dimension", "gender"),
    "city": N_("audience dimension", "city"),
    "country": N_("audience dimension", "country"),
    "location": N_("audience dimension", "location"),
    "total": N_("audience dimension", "total"),
    "job_function": N_("audience dimension", "job function"),
    "seniority": N_("audience dimension", "seniority"),
    "industry": N_("audience dimension", "industry"),
    "company_size": N_("audience dimension", "company size"),
    "content_format": N_("audience dimension", "content format"),
    "language": N_("audience dimension", "language"),
    "device_type": N_("audience dimension", "device type"),
    "traffic_source": N_("audience dimension", "traffic source"),
    "active_hour": N_("audience dimension", "active hour"),
    "company": N_("audience dimension", "company"),
    "job_title": N_("audience dimension", "job title"),
    "subscription_status": N_("audience dimension", "subscription status"),
    "video": N_("audience dimension", "video"),
    "sheet": N_("audience dimension", "breakdown"),
}
AUDIENCES = {
    "followers": N_("audience", "followers"),
    "visitors": N_("audience", "page visitors"),
    "reached": N_("audience", "people reached"),
    "viewers": N_("audience", "viewers"),
    "page": N_("audience", "page fans"),
    "published_content": N_("audience", "published content"),
}
AUDIENCE_METRICS = {
    "reach": N_("audience metric", "reach"),
    "average_view_duration_seconds": N_("audience metric", "average view duration (s)"),
    "average_percentage_viewed": N_("audience metric", "average percentage viewed"),
    "estimated_revenue": N_("audience metric", "estimated revenue"),
}
GENDERS = {
    "female": N_("gender", "women"),
    "male": N_("gender", "men"),
    "other": N_("gender", "other / not stated"),
}
CHANNELS = {"all": N_("platform", "All channels")}
FILE_STATUSES = {
    "ok": N_("file status", "loaded"),
    "partial": N_("file status", "partly loaded"),
    "unrecognised": N_("file status", "not recognised"),
    "error": N_("file status", "failed"),
    "skipped": N_("file status", "skipped"),
}
CHANGE_KINDS = {
    "reordered": N_("layout change", "columns reordered"),
    "renamed": N_("layout change", "column renamed"),
    "added": N_("layout change", "column added"),
    "removed": N_("layout change", "column removed"),
    "unit_changed": N_("layout change", "unit changed"),
    "format_changed": N_("layout change", "format changed"),
    "type_changed": N_("layout change", "type changed"),
}
CHANGE_STATUSES = {
    "pending": N_("layout change status", "to confirm"),
    "accepted": N_("layout change status", "accepted"),
    "confirmed": N_("layout change status", "confirmed"),
    "rejected": N_("layout change status", "rejected"),
    "noted": N_("layout change status", "noted"),
    "auto": N_("layout change status", "mapped automatically"),
}
