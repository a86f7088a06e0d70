"""Facebook pages, as exported by Meta Business Suite (posts) and its overview charts (shared
with Instagram in the `meta` family)."""

from socialmetrics.platforms.base import DemoWriter, Platform
from socialmetrics.platforms.facebook import demo
from socialmetrics.platforms.meta.hooks import meta_error_rows

PLATFORM = Platform(
    id="facebook",
    table_hooks={"meta_error_rows": meta_error_rows},
    names={"en": "Facebook", "es": "Facebook"},
    report_order=20,
    color="#1877F2",
    rate_denominator="reach",
    path_tokens=("facebook", "fb"),
    demo=DemoWriter(
        write=demo.write,
        folder="facebook",
        seed_key="fb",
        level=(800, 6000),
        weekend=1.05,
        followers=(2000, 25000),
    ),
)
