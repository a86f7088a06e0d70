"""Instagram (professional accounts), as exported by Meta Business Suite."""

from socialmetrics.platforms.base import DemoWriter, Platform
from socialmetrics.platforms.instagram import demo

PLATFORM = Platform(
    id="instagram",
    names={"en": "Instagram", "es": "Instagram"},
    report_order=10,
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
