"""The portal's users: a JSON file beside the project's settings, passwords hashed with argon2.

Roles: `admin` (everything, users included), `analyst` (every client, layout changes, runs)
and `viewer` (the pages and report files of the clients it is bound to, nothing else). There
is no default user and no default password: `socialmetrics users add` creates the first one.
The file holds only hashes; it is written with owner-only permissions.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from socialmetrics.errors import UsageError

ROLES = ("admin", "analyst", "viewer")
USERS_FILE = "users.json"
MIN_PASSWORD = 12
NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
_hasher = PasswordHasher()  # argon2id, the library's (RFC 9106 low-memory) parameters
_DUMMY = _hasher.hash(secrets.token_hex(16))
"""Verified against when the user does not exist, so that a wrong name costs as long as a
wrong password (no timing hint of which names exist)."""


@dataclass
class User:
    name: str
    role: str
    clients: list[str] = field(default_factory=list)
    """The clients a viewer may see (admins and analysts see every client)."""
    password_hash: str = ""
    session_version: int = 0
    """Raised by a password reset: sessions signed before it stop working."""

    def sees_every_client(self) -> bool:
        return self.role in ("admin", "analyst")

    def may_see(self, client_id: str) -> bool:
        return self.sees_every_client() or client_id in self.clients

    def may_edit(self) -> bool:
        """Layout changes, uploads, runs: the agency's work, not its clients'."""
        return self.role in ("admin", "analyst")


class UserStore:
    """The users of one project (`<project>/users.json`)."""

    def __init__(self, root: Path) -> None:
        self.path = root / USERS_FILE

    def all(self) -> dict[str, User]:
        if not self.path.exists():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return {u["name"]: User(**u) for u in raw.get("users", [])}
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise UsageError(f"cannot read the portal's users in {self.path}: {exc}") from exc

    def get(self, name: str) -> User | None:
        return self.all().get(name)

    def _save(self, users: dict[str, User]) -> None:
        data = {"users": [asdict(u) for _, u in sorted(users.items())]}
        temporary = self.path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2)
        temporary.replace(self.path)

    def add(self, name: str, role: str, password: str, clients: list[str]) -> User:
        users = self.all()
        if not NAME.fullmatch(name):
            raise UsageError(
                f"user name {name!r}: lower-case letters, digits and . _ @ - (up to 64)"
            )
        if name in users:
            raise UsageError(f"user {name!r} exists; `socialmetrics users reset {name}`")
        if role not in ROLES:
            raise UsageError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
        if role == "viewer" and not clients:
            raise UsageError("a viewer sees only its clients: name them with --client")
        check_password(password)
        user = User(name, role, sorted(set(clients)) if role == "viewer" else [])
        user.password_hash = _hasher.hash(password)
        users[name] = user
        self._save(users)
        return user

    def remove(self, name: str) -> None:
        users = self.all()
        if users.pop(name, None) is None:
            raise UsageError(f"no user {name!r}")
        self._save(users)

    def reset(self, name: str, password: str) -> None:
        """A new password; every session of the user ends."""
        users = self.all()
        user = users.get(name)
        if user is None:
            raise UsageError(f"no user {name!r}")
        check_password(password)
        user.password_hash = _hasher.hash(password)
        user.session_version += 1
        self._save(users)

    def authenticate(self, name: str, password: str) -> User | None:
        """The user if the password is theirs, else None (same cost either way)."""
        user = self.get(name)
        try:
            _hasher.verify(user.password_hash if user else _DUMMY, password)
        except (VerificationError, InvalidHashError):
            return None
        return user


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"a password needs at least {MIN_PASSWORD} characters")
