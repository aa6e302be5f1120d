"""好差评: one row per rating. A 有用/没用 on an answer (helpful) or the five levels at the end (rating 1 非常不满意 …
5 非常满意, with an optional comment), each with the question it rates (the citizen's latest turn before the rated
answer, masked by the caller) and that turn's intent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from stores.db import rows, run, transaction

BAD_RATING = 2  # 1-2 (不满意, 非常不满意) and 没用 are followed up


@dataclass(frozen=True)
class Feedback:
    sender_id: str
    created_at: float
    rating: int | None = None
    helpful: bool | None = None
    comment: str | None = None
    intent: str | None = None
    question: str | None = None


def add(engine: sa.engine.Engine, feedback: Feedback) -> None:
    with transaction(engine) as conn:
        run(conn, "INSERT INTO feedback (sender_id, created_at, rating, helpful, comment, intent, question) "
                  "VALUES (:sender_id, :created_at, :rating, :helpful, :comment, :intent, :question)",
            **feedback.__dict__)


def bad(engine: sa.engine.Engine, limit: int = 50) -> list[dict[str, Any]]:
    """The latest bad ratings, newest first."""
    with transaction(engine) as conn:
        found = rows(conn, "SELECT id, sender_id, created_at, rating, helpful, comment, intent, question FROM feedback "
                           "WHERE rating <= :bad OR helpful = :no ORDER BY created_at DESC, id DESC LIMIT :limit",
                     bad=BAD_RATING, no=False, limit=limit)
    for row in found:  # SQLite gives 0/1
        row["helpful"] = None if row["helpful"] is None else bool(row["helpful"])
    return found
