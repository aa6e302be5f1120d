"""Staff accounts of the console: individual logins instead of one shared token, because the console opens citizens'
conversations. Passwords hashed with Argon2id (argon2-cffi, RFC 9106's low-memory profile by default); a session
is a random token in an HttpOnly cookie of which only the SHA-256 is stored, with an absolute expiry; repeated
failures lock the account for a while; every conversation opened is written to the audit log with who and when.
Stored in the tracker store's database (stores/schema.py), so every web app instance sees the same accounts.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.settings import Settings
from stores.db import rows, run, transaction

ROLES = ("agent", "admin")
USERNAME_RE = re.compile(r"^[a-z][a-z0-9_.-]{2,31}$")
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 256


class AccountError(ValueError):
    """A request the accounts refuse, with a message for the person at the console or the CLI."""


@dataclass(frozen=True)
class Policy:
    session_s: float = 8 * 3600.0  # one working day, then log in again
    max_failures: int = 5
    lockout_s: float = 15 * 60.0
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024

    @classmethod
    def of(cls, settings: Settings) -> Policy:
        return cls(settings.staff_session_hours * 3600.0, settings.staff_max_failures,
                   settings.staff_lockout_minutes * 60.0, settings.argon2_time_cost, settings.argon2_memory_kib)


@dataclass(frozen=True)
class Staff:
    username: str
    role: str
    disabled: bool
    created_at: float
    locked_until: float | None


@dataclass(frozen=True)
class Login:
    """The outcome of a login: the session token (for the cookie) or why there is none."""

    token: str = ""
    staff: Staff | None = None
    locked_for_s: float = 0.0


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_username(name: str) -> str:
    if not isinstance(name, str) or not USERNAME_RE.fullmatch(name):
        raise AccountError("用户名须为 3-32 个小写字母、数字或 . _ -，以字母开头。")
    return name


def check_password(password: str) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise AccountError(f"密码须为 {MIN_PASSWORD_CHARS} 到 {MAX_PASSWORD_CHARS} 个字符。")
    return password


class Accounts:
    def __init__(self, engine: Callable[[], sa.engine.Engine], policy: Policy | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._engine = engine  # the database, connected on first use (stores.db.Lazy.get)
        self.policy = policy or Policy()
        self._clock = clock
        self._hasher = PasswordHasher(time_cost=self.policy.argon2_time_cost,
                                      memory_cost=self.policy.argon2_memory_kib)
        # verified when the name is unknown, so that a wrong name takes as long as a wrong password
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    # ---- the CLI (python -m bot.staff) ----

    def add(self, username: str, password: str, role: str = "agent") -> Staff:
        check_username(username)
        check_password(password)
        if role not in ROLES:
            raise AccountError(f"角色须为 {' / '.join(ROLES)}。")
        now = self._clock()
        try:
            with transaction(self._engine()) as conn:
                run(conn, "INSERT INTO staff (username, password_hash, role, disabled, created_at, failed_logins, "
                          "locked_until) VALUES (:u, :h, :r, :d, :now, 0, NULL)",
                    u=username, h=self._hasher.hash(password), r=role, d=False, now=now)
        except sa.exc.IntegrityError as exc:
            raise AccountError(f"账号 {username} 已存在。") from exc
        return Staff(username, role, False, now, None)

    def set_disabled(self, username: str, disabled: bool) -> None:
        """Disable (or enable again) an account; a disabled account's sessions end at once."""
        with transaction(self._engine()) as conn:
            if not run(conn, "UPDATE staff SET disabled = :d, failed_logins = 0, locked_until = NULL "
                             "WHERE username = :u", d=disabled, u=username):
                raise AccountError(f"没有账号 {username}。")
            if disabled:
                run(conn, "DELETE FROM staff_session WHERE username = :u", u=username)

    def list(self) -> list[Staff]:
        with transaction(self._engine()) as conn:
            found = rows(conn, "SELECT username, role, disabled, created_at, locked_until FROM staff "
                               "ORDER BY username")
        return [_staff(row) for row in found]

    # ---- login and sessions ----

    def login(self, username: Any, password: Any) -> Login:
        """A session for the right password of an enabled, unlocked account; an empty Login otherwise (the same for
        an unknown name, a wrong password and a disabled account), with the lock's remaining time when locked."""
        now = self._clock()
        if not isinstance(username, str) or not isinstance(password, str) or len(password) > MAX_PASSWORD_CHARS:
            return Login()
        with transaction(self._engine()) as conn:
            found = rows(conn, "SELECT username, role, disabled, created_at, locked_until, password_hash, "
                               "failed_logins FROM staff WHERE username = :u", u=username)
        row = found[0] if found else None
        if row and row["locked_until"] and row["locked_until"] > now:
            return Login(locked_for_s=row["locked_until"] - now)
        right = self._verify(row["password_hash"] if row else self._dummy, password)
        if row is None:
            return Login()
        if not right:
            self._failed(row, now)
            return Login()
        staff = _staff(row)
        if staff.disabled:
            return Login()
        token = secrets.token_urlsafe(32)
        with transaction(self._engine()) as conn:
            run(conn, "UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE username = :u", u=username)
            run(conn, "DELETE FROM staff_session WHERE expires_at <= :now", now=now)
            run(conn, "INSERT INTO staff_session (token_hash, username, created_at, expires_at) "
                      "VALUES (:t, :u, :now, :exp)", t=_token_hash(token), u=username, now=now,
                exp=now + self.policy.session_s)
        return Login(token=token, staff=staff)

    def _verify(self, hashed: str, password: str) -> bool:
        try:
            return self._hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False

    def _failed(self, row: dict[str, Any], now: float) -> None:
        failures = int(row["failed_logins"] or 0) + 1
        locked = now + self.policy.lockout_s if failures >= self.policy.max_failures else None
        with transaction(self._engine()) as conn:
            run(conn, "UPDATE staff SET failed_logins = :f, locked_until = :l WHERE username = :u",
                f=0 if locked else failures, l=locked, u=row["username"])

    def session(self, token: str) -> Staff | None:
        """The staff member of a valid session of an enabled account."""
        if not token or len(token) > 128:
            return None
        with transaction(self._engine()) as conn:
            found = rows(conn, "SELECT s.username, s.role, s.disabled, s.created_at, s.locked_until "
                               "FROM staff_session t JOIN staff s ON s.username = t.username "
                               "WHERE t.token_hash = :t AND t.expires_at > :now",
                         t=_token_hash(token), now=self._clock())
        staff = _staff(found[0]) if found else None
        return staff if staff and not staff.disabled else None

    def logout(self, token: str) -> None:
        with transaction(self._engine()) as conn:
            run(conn, "DELETE FROM staff_session WHERE token_hash = :t", t=_token_hash(token))

    # ---- audit ----

    def audit(self, username: str, action: str, target: str) -> None:
        with transaction(self._engine()) as conn:
            run(conn, "INSERT INTO staff_audit (at, username, action, target) VALUES (:at, :u, :a, :t)",
                at=self._clock(), u=username, a=action, t=target[:200])

    def audit_log(self, limit: int = 100) -> list[dict[str, Any]]:
        with transaction(self._engine()) as conn:
            return rows(conn, "SELECT at, username, action, target FROM staff_audit ORDER BY at DESC, id DESC "
                              "LIMIT :limit", limit=limit)


def _staff(row: dict[str, Any]) -> Staff:
    return Staff(row["username"], row["role"], bool(row["disabled"]), float(row["created_at"]),
                 row["locked_until"])
