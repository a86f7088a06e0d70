"""Instagram (professional accounts), as exported by Meta Business Suite."""

from socialmetrics.platforms.base import DemoWriter, Platform
from socialmetrics.platforms.instagram import demo
from socialmetrics.platforms.meta.hooks import meta_error_rows

PLATFORM = Platform(
    id="instagram",
    table_hooks={"meta_error_rows": meta_error_rows},
    names={"en": "Instagram", "es": "Instagram"},
    report_order=10,
    color="#C13584",
    rate_denominator="reach",
    path_tokens=("instagram", "ig", "insta"),
    demo=DemoWriter(
        write=demo.write,
        folder="instagram",
        seed_key="ig",
        level=(1500, 12000),
        weekend=1.15,
        followers=(3000, 40000),
    ),
)
