"""Two Rasa instances sharing a PostgreSQL tracker store and a Redis lock store behave like one:
(a) a conversation continues on whichever instance gets the next message; (b) concurrent messages of one
conversation, spread over both instances, are processed one at a time, each turn complete before the next."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tests.scale.client import Reply, new_sender, send, session, tracker, turns

HUNCHUN = "0433-7512409"  # 珲春市社会保险局, 《失业保险金申领指南》四、现场申领（咨询电话表）
# one sender, six places: every reply names its own bureau's phone, so a reply can be told apart from the others
BURST = [
    ("珲春社保局电话", "0433-7512409"),
    ("延吉社保局咨询电话", "0433-2706070"),
    ("九台的社保局电话", "0431-82320301"),
    ("敦化社保局", "0433-6225268"),
    ("洮南社保局电话", "0436-6247015"),
    ("前郭县社保局电话", "0438-5076115"),
]
CONVERSATIONS = 3  # bursts at once, of different senders
pytestmark = pytest.mark.scale


def _user_texts(tr: dict[str, Any]) -> list[str]:
    return [e.get("text") or "" for e in tr["events"] if e["event"] == "user"]


def test_conversation_continues_on_the_other_instance(cluster: Any) -> None:
    sender = new_sender("handover")
    first, second = cluster.config.rasa_urls()[:2]

    async def scenario() -> tuple[Reply, Reply, list[dict[str, Any]]]:
        async with session() as http:
            asked = await send(http, first, sender, "珲春社保局电话")
            again = await send(http, second, sender, "电话再说一遍")
            views = [await tracker(http, url, cluster.rasa_token, sender) for url in (first, second)]
        return asked, again, views

    asked, again, views = asyncio.run(scenario())
    assert asked.status == 200 and HUNCHUN in asked.text, asked
    assert again.status == 200 and HUNCHUN in again.text, again  # the slot came from PostgreSQL, not memory

    for view in views:  # both instances show the same conversation: both user turns, each with its reply
        assert _user_texts(view) == ["珲春社保局电话", "电话再说一遍"]
        conversation = turns(view["events"])
        assert [t.bot_texts for t in conversation] == [asked.texts, again.texts]
        assert view["slots"].get("bureau_phone") == HUNCHUN

    rows = cluster.pg_query("SELECT type_name, data FROM events WHERE sender_id = %s ORDER BY id", (sender,))
    assert sum(1 for type_name, _ in rows if type_name == "user") == 2, "the events are not in PostgreSQL"


def _check_serialised(view: dict[str, Any], replies: list[Reply], stored: list[dict[str, Any]]) -> list[str]:
    """One conversation's tracker after a burst: every message exactly once, each user event followed by its own
    reply and the end of its turn (action_listen) before the next user event; returns the processing order.
    `stored` is the conversation's events as PostgreSQL numbered them when they were written (ORDER BY id, read
    later, so it may go on with later turns): the tracker must be that sequence, so each turn is one unbroken run
    of writes (sequence numbers, not the clocks of two processes)."""
    phone_of = dict(BURST)
    reply_of = {r.message: r for r in replies}
    events = view["events"]
    assert sorted(_user_texts(view)) == sorted(phone_of), _user_texts(view)  # no turn lost or doubled
    assert sum(1 for e in events if e["event"] == "session_started") == 1
    conversation = turns(events)
    for turn in conversation:
        assert turn.bot_texts == reply_of[turn.text].texts, (turn.text, turn.bot_texts)  # its own reply only
        assert phone_of[turn.text] in "\n".join(turn.bot_texts)
        assert turn.actions and turn.actions[-1] == "action_listen", (turn.text, turn.actions)  # turn finished
    def sequence(evs: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [(e["event"], e.get("text"), e.get("name"), e.get("timestamp")) for e in evs]

    assert sequence(stored)[:len(events)] == sequence(events), "the tracker is not the order the events were written in"
    return [t.text for t in conversation]


def test_concurrent_messages_of_one_conversation_are_processed_one_at_a_time(cluster: Any) -> None:
    """CONVERSATIONS senders at once, each sending all BURST messages at the same moment, spread over both
    instances (each sender in its own order)."""
    senders = [new_sender(f"burst{n}") for n in range(CONVERSATIONS)]
    urls = cluster.config.rasa_urls()
    redis = cluster.redis_client()
    lock_writes_before = redis.info("commandstats").get("cmdstat_set", {}).get("calls", 0)

    def plan(n: int) -> list[tuple[str, str]]:  # (instance url, message)
        messages = [m for m, _ in BURST[n:] + BURST[:n]]
        return [(urls[(i + n) % len(urls)], message) for i, message in enumerate(messages)]

    async def scenario() -> tuple[list[list[Reply]], list[dict[str, Any]], list[Reply], list[dict[str, Any]]]:
        async with session() as http:
            flat = await asyncio.gather(*(send(http, url, sender, message)
                                          for n, sender in enumerate(senders) for url, message in plan(n)))
            views = [await tracker(http, urls[0], cluster.rasa_token, sender) for sender in senders]
            again = [await send(http, urls[-1], sender, "电话再说一遍") for sender in senders]
            after = [await tracker(http, urls[-1], cluster.rasa_token, sender) for sender in senders]
        replies = [list(flat[n * len(BURST):(n + 1) * len(BURST)]) for n in range(len(senders))]
        return replies, views, again, after

    replies, views, again, after = asyncio.run(scenario())
    phone_of = dict(BURST)
    everything = [r for rs in replies for r in rs]

    # every request answered with its own bureau, and the requests really were in flight together
    for reply in everything:
        assert reply.status == 200 and phone_of[reply.message] in reply.text, reply
    assert max(r.sent_step for r in everything) < min(r.received_step for r in everything), \
        "the messages were not concurrent: an answer came back before every message was sent"

    for n, sender in enumerate(senders):
        rows = cluster.pg_query("SELECT data FROM events WHERE sender_id = %s ORDER BY id", (sender,))
        order = _check_serialised(views[n], replies[n], [json.loads(data) for (data,) in rows])
        print(f"\n[scale] {sender}: {len(BURST)} concurrent messages over {len(urls)} instances processed one at a "
              f"time in the order {order}; answered after "
              f"{', '.join(f'{r.received - r.sent:.1f}' for r in replies[n])} s", end="")
        # the conversation state is the last processed turn's, on the other instance too
        last_phone = phone_of[order[-1]]
        assert again[n].status == 200 and last_phone in again[n].text, (order[-1], again[n])
        assert after[n]["slots"].get("bureau_phone") == last_phone
        assert _user_texts(after[n]) == [*order, "电话再说一遍"]
    print()

    # the ticket locks lived in our Redis (each turn issues and saves a ticket), shared by both instances
    lock_writes = redis.info("commandstats").get("cmdstat_set", {}).get("calls", 0) - lock_writes_before
    assert lock_writes >= len(everything), lock_writes
    assert len(redis.client_list()) >= len(urls) + 1  # a connection from each Rasa instance, and ours
    redis.close()
