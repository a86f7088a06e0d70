"""Every canonical metric, declared once: its name (which carries the unit), type, grains, and
whether sums of it make sense; and the derived rates, declared once for SQL and for Polars.

Everything downstream of column mapping speaks these names only. `additive` is what decides
which metrics the marts may sum over days or posts: there is no other list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

from socialmetrics.model.grains import Grain

ValueType = Literal["count", "rate", "number", "text", "id", "url", "timestamp", "date", "json"]


@dataclass(frozen=True)
class Metric:
    """A canonical metric: its name carries the unit; `additive` says whether sums make sense."""

    name: str
    type: ValueType
    description: str
    grains: tuple[Grain, ...]
    additive: bool = True
    weight: str = ""
    """For an average or a rate per post (YouTube's CTR): the count it is an average over, so
    a month's value is the mean over its posts weighted by it (the month's own rate)."""


def _m(
    name: str,
    type_: ValueType,
    grains: str,
    description: str,
    additive: bool = True,
    weight: str = "",
) -> Metric:
    return Metric(name, type_, description, tuple(grains.split()), additive, weight)  # type: ignore[arg-type]


A, P, AP = "account_daily", "posts", "account_daily posts"
AC = "account_daily competitors"

METRICS: tuple[Metric, ...] = (
    _m("impressions", "count", AP, "Times content was shown (Instagram: Views since 2025)."),
    _m("impressions_organic", "count", AP, "Organic part of impressions."),
    _m("impressions_paid", "count", AP, "Sponsored/promoted part of impressions."),
    _m("reach", "count", AP, "Unique accounts reached. Never summed.", additive=False),
    _m("reach_organic", "count", AP, "Organic reach. Never summed.", additive=False),
    _m("reach_paid", "count", AP, "Paid reach. Never summed.", additive=False),
    _m("video_views", "count", AP, "Video/media views."),
    _m("video_views_organic", "count", AP, "Organic part of video/media views."),
    _m("video_views_paid", "count", AP, "Paid (sponsored, boosted) part of video/media views."),
    _m("likes", "count", AP, "Likes or reactions."),
    _m("likes_organic", "count", AP, "Organic likes/reactions."),
    _m("likes_paid", "count", AP, "Paid likes/reactions."),
    _m("comments", "count", AP, "Comments or replies."),
    _m("comments_organic", "count", AP, "Organic comments."),
    _m("comments_paid", "count", AP, "Paid comments."),
    _m("shares", "count", AP, "Shares, reposts or retweets."),
    _m("shares_organic", "count", AP, "Organic shares."),
    _m("shares_paid", "count", AP, "Paid shares."),
    _m("saves", "count", AP, "Saves or bookmarks."),
    _m("clicks", "count", AP, "All clicks on the content."),
    _m("clicks_organic", "count", AP, "Organic clicks."),
    _m("clicks_paid", "count", AP, "Paid clicks."),
    _m("link_clicks", "count", AP, "Clicks on links."),
    _m("profile_visits", "count", AP, "Visits to the profile or page from the content."),
    _m("follows", "count", P, "Follows attributed to a post."),
    _m("follows_organic", "count", P, "Follows from a post's organic distribution."),
    _m("follows_paid", "count", P, "Follows from a post's sponsored campaigns."),
    _m(
        "engagements",
        "count",
        "account_daily posts competitors",
        "Interactions; derived where the platform lacks it.",
    ),
    _m("engagements_paid", "count", AP, "Paid/promoted engagements."),
    _m(
        "engagement_rate_reported",
        "rate",
        AP,
        "Engagement rate as the platform exported it (0-1 fraction).",
        additive=False,
    ),
    _m(
        "followers_total",
        "count",
        AC,
        "Audience size at the end of the day (Meta: the audience export's total, dated by "
        "the export).",
        additive=False,
    ),
    _m("followers_gained", "count", AC, "New followers that day (competitors: in the period)."),
    _m("followers_gained_organic", "count", A, "Organic new followers that day."),
    _m("followers_gained_paid", "count", A, "Sponsored new followers that day."),
    _m("followers_lost", "count", AP, "Unfollows that day, or attributed to a post (YouTube)."),
    _m("page_views", "count", A, "Page views (LinkedIn page, Instagram profile visits)."),
    _m("unique_visitors", "count", A, "Unique page visitors. Never summed.", additive=False),
    _m("posts_published", "count", AC, "Posts published that day (competitors: in the period)."),
    _m(
        "followers_change",
        "number",
        AP,
        "Net change in followers (gained minus lost; negative is a net loss) that day or from "
        "a post, where the platform exports the difference (TikTok, YouTube `Subscribers`).",
    ),
    _m(
        "viewers_new",
        "count",
        A,
        "Viewers who had not watched the account before (TikTok). Never summed.",
        additive=False,
    ),
    _m(
        "viewers_returning",
        "count",
        A,
        "Viewers who had watched the account before (TikTok). Never summed.",
        additive=False,
    ),
    _m("duration_seconds", "number", P, "Video duration in seconds.", additive=False),
    _m("video_views_engaged", "count", AP, "Views past the first seconds (YouTube Engaged views)."),
    _m("watch_time_hours", "number", AP, "Time spent watching, in hours (YouTube)."),
    _m(
        "average_view_duration_seconds",
        "number",
        AP,
        "Average time a view lasted, in seconds (exported as H:MM:SS). Never summed.",
        additive=False,
        weight="video_views",
    ),
    _m(
        "average_percentage_viewed",
        "rate",
        AP,
        "Average share of a video watched per view (0-1 fraction; may exceed 1 on loops).",
        additive=False,
        weight="video_views",
    ),
    _m(
        "impressions_ctr",
        "rate",
        AP,
        "Impressions click-through rate (0-1 fraction): views from impressions / impressions.",
        additive=False,
        weight="impressions",
    ),
    _m(
        "estimated_revenue",
        "number",
        AP,
        "Estimated revenue, in the currency the export names (posts: `revenue_currency`; daily "
        "and audience rows: `currency` in `extra`).",
    ),
)
METRIC_BY_NAME = {m.name: m for m in METRICS}


def metrics_for(grain: Grain) -> tuple[Metric, ...]:
    """The canonical metrics that a table of this grain holds, in declaration order."""
    return tuple(m for m in METRICS if grain in m.grains)


@dataclass(frozen=True)
class Rate:
    """A derived ratio: numerator / denominator as a 0-1 fraction, NULL when the denominator is
    0 or missing (never 0, never infinite)."""

    name: str
    numerator: str
    denominator: str
    description: str

    def sql(
        self,
        numerator: str | None = None,
        denominator: str | None = None,
        *,
        positive: bool = False,
    ) -> str:
        """The portable SQL expression, over columns (or expressions) of those names;
        `positive`: the denominator expression is already NULL unless positive (a subquery
        not worth writing twice)."""
        num, den = numerator or self.numerator, denominator or self.denominator
        if positive:
            return f"CAST({num} AS DOUBLE PRECISION) / {den}"
        return f"CASE WHEN {den} > 0 THEN CAST({num} AS DOUBLE PRECISION) / {den} END"

    def polars(self, columns: list[str]) -> pl.Expr:
        """The same rule as a Polars expression over a frame with these columns."""
        if self.numerator not in columns or self.denominator not in columns:
            return pl.lit(None, dtype=pl.Float64).alias(self.name)
        den = pl.col(self.denominator).cast(pl.Float64)
        return pl.when(den > 0).then(pl.col(self.numerator) / den).otherwise(None).alias(self.name)


ENGAGEMENT_RATES = (
    Rate(
        "engagement_rate_impressions",
        "engagements",
        "impressions",
        "engagements / impressions (fraction); NULL when impressions is 0 or missing.",
    ),
    Rate(
        "engagement_rate_reach",
        "engagements",
        "reach",
        "engagements / reach (fraction); NULL when reach is 0 or missing.",
    ),
    Rate(
        "engagement_rate_followers",
        "engagements",
        "followers_total",
        "engagements / followers_total (fraction): the follower count of that day, else the "
        "latest one known before it (e.g. from a Meta audience export); NULL when none is known.",
    ),
)
RATE_BY_NAME = {r.name: r for r in ENGAGEMENT_RATES}
VIDEO_RATE = Rate(
    "engagement_rate_video_views",
    "engagements",
    "video_views",
    "engagements / video_views (fraction): TikTok's and YouTube's own rate; NULL when "
    "video_views is 0 or missing.",
)
RATE_BY_NAME[VIDEO_RATE.name] = VIDEO_RATE
