"""咨询编号: the short code a citizen reads to a hotline agent, which opens that conversation in the console.

Seven characters from the 32 digits and capitals that cannot be mistaken for one another on the phone (no 0/O,
1/I): 32^7 = 3.4e10 codes drawn with `secrets`, never derived from the sender id; with lookups rate-limited per
staff member, guessing a live one is hopeless within its lifetime (7 days by default). A conversation keeps its code
while the code is valid: asked again, it gets the same one.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from stores.db import rows, run, transaction

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0, O, 1, I
LENGTH = 7
CODE_RE = re.compile(f"^[{ALPHABET}]{{6,8}}$")
DAY_S = 86400.0


@dataclass(frozen=True)
class Handoff:
    code: str
    sender_id: str
    created_at: float
    expires_at: float


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str | None:
    """The code as an agent may type it ('ab3 k7mq', '咨询编号：AB3K7MQ'), or None when it cannot be one."""
    text = re.sub(r"[\s\-：:]|咨询编号", "", typed or "").upper()
    return text if CODE_RE.fullmatch(text) else None


def code_for(engine: sa.engine.Engine, sender_id: str, now: float, ttl_days: float) -> Handoff:
    """The conversation's valid code, else a new one valid for `ttl_days`."""
    with transaction(engine) as conn:
        found = rows(conn, "SELECT code, sender_id, created_at, expires_at FROM handoff WHERE sender_id = :sender "
                           "AND expires_at > :now ORDER BY created_at DESC LIMIT 1", sender=sender_id, now=now)
    if found:
        return Handoff(**found[0])
    for _ in range(5):  # a collision with a live code is one in billions; five tries or an error
        handoff = Handoff(new_code(), sender_id, now, now + ttl_days * DAY_S)
        try:
            with transaction(engine) as conn:
                run(conn, "INSERT INTO handoff (code, sender_id, created_at, expires_at) "
                          "VALUES (:code, :sender, :created, :expires)", code=handoff.code, sender=sender_id,
                    created=handoff.created_at, expires=handoff.expires_at)
            return handoff
        except sa.exc.IntegrityError:
            continue
    raise RuntimeError("no free handoff code after 5 tries")


def find(engine: sa.engine.Engine, code: str, now: float) -> Handoff | None:
    """The handoff of a valid code (None for an unknown or expired one)."""
    with transaction(engine) as conn:
        found = rows(conn, "SELECT code, sender_id, created_at, expires_at FROM handoff WHERE code = :code "
                           "AND expires_at > :now", code=code, now=now)
    return Handoff(**found[0]) if found else None


def purge_expired(conn: sa.engine.Connection, now: float) -> int:
    return run(conn, "DELETE FROM handoff WHERE expires_at <= :now", now=now)
