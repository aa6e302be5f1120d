"""The web app's handle on the tracker store's database (stores/): connected on first use, once per process (the
routes call it off the event loop through bot.guards.in_db), and a conversation as the console shows it."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

from bot.accounts import Accounts, Policy
from bot.privacy import mask_pii
from bot.settings import Settings
from stores.conversation import Conversation, EventsReader, facts_of
from stores.db import Lazy


class Records:
    def __init__(self, settings: Settings) -> None:
        self.database = Lazy(lambda: settings.database_url)
        self.accounts = Accounts(self.database.get, Policy.of(settings))
        self._events: EventsReader | None = None
        self.hashing = asyncio.Semaphore(2)  # Argon2 takes 64 MiB and a core: two logins hash at once, per process

    @property
    def engine(self) -> sa.engine.Engine:
        return self.database.get()

    @property
    def events(self) -> EventsReader:
        if self._events is None:
            self._events = EventsReader(self.engine)
        return self._events

    def close(self) -> None:
        self.database.reset()


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).astimezone().isoformat(timespec="seconds")


def conversation_json(conversation: Conversation) -> dict[str, Any]:
    """Turns and facts as the console shows them: personal numbers masked in every turn."""
    return {
        "turns": [{"who": t.who, "text": mask_pii(t.text), "time": iso(t.time)} for t in conversation.turns],
        "facts": facts_of(conversation),
    }

