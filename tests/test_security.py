"""What comes from data or settings never becomes active content: links only for http(s)."""

from __future__ import annotations

import pytest

from socialmetrics.report.html import web_url


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.instagram.com/p/AAA1/", "https://www.instagram.com/p/AAA1/"),
        (" http://x.com/acme/status/1 ", "http://x.com/acme/status/1"),
        ("HTTPS://EXAMPLE.COM/a", "HTTPS://EXAMPLE.COM/a"),
        ("javascript:alert(document.domain)", None),
        (" javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox(1)", None),
        ("//evil.example/x", None),
        ("https:/\\evil.example", None),
        ("https://", None),
        ("/relative/path", None),
        ("", None),
        (None, None),
        (5, None),
    ],
)
def test_only_http_urls_become_links(value: object, expected: str | None) -> None:
    assert web_url(value) == expected
