"""Meta Business Suite layouts that Instagram and Facebook share: the daily overview charts and
the audience blocks. Which of the two a table belongs to is decided per table (see README)."""

from socialmetrics.platforms.base import Family

FAMILY = Family(
    id="meta",
    members=("instagram", "facebook"),
    default="instagram",
    setting="meta_platform",
)
