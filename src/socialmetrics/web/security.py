"""Sessions, CSRF tokens and login throttling.

A session is a signed, timestamped cookie (itsdangerous) naming the user, the user's session
version (a password reset ends older sessions) and the session's CSRF token; it expires after
`web.session_hours`. Every form carries the CSRF token and every POST checks it. Failed logins
are counted per user name and per address: past `MAX_FAILURES` in `WINDOW` seconds, logins
from there wait.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SECRET_FILE = ".socialmetrics-web-secret"
COOKIE = "sm_session"
MAX_FAILURES = 5
WINDOW = 15 * 60.0


def secret_key(root: Path) -> str:
    """The key sessions are signed with: SOCIALMETRICS_WEB_SECRET, else a random key kept in
    the project (owner-only), created on first use. Changing it logs everyone out."""
    given = os.environ.get("SOCIALMETRICS_WEB_SECRET")
    if given:
        return given
    path = root / SECRET_FILE
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


@dataclass(frozen=True)
class Session:
    user: str
    version: int
    csrf: str


class Sessions:
    def __init__(self, key: str, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(key, salt="socialmetrics-session")
        self.max_age = max_age_seconds

    def issue(self, user: str, version: int) -> str:
        return self._serializer.dumps({"u": user, "v": version, "c": secrets.token_urlsafe(24)})

    def read(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        try:
            data: Any = self._serializer.loads(cookie, max_age=self.max_age)
        except (BadSignature, SignatureExpired):
            return None
        if not isinstance(data, dict) or not {"u", "v", "c"} <= data.keys():
            return None
        return Session(str(data["u"]), int(data["v"]), str(data["c"]))


def csrf_ok(session: Session | None, token: str | None) -> bool:
    return bool(session and token and hmac.compare_digest(session.csrf, token))


class Throttle:
    """Failed logins per key (a user name, an address) in a sliding window."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = WINDOW) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def wait_seconds(self, *keys: str) -> float:
        """How long until a login from these keys may be tried (0: now)."""
        now = time.monotonic()
        with self._lock:
            waits = [
                self.window - (now - times[0])
                for times in (self._recent(k, now) for k in keys)
                if len(times) >= self.limit
            ]
        return max(waits, default=0.0)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, user_key: str) -> None:
        with self._lock:
            self._failures.pop(user_key, None)
