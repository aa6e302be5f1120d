"""The dashboard's rollup of Rasa's events (SQLite): its counts equal what the events say, two processes refreshing
at once count each event once and give the same groups, it starts over when it must, and a forgotten
conversation's questions leave it."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bench.tracker_fill import fill_sqlite
from bot.stats_rollup import Rollup
from stores.forget import forget
from tests.web.tracker_db import make_tracker, slot, user

EVENTS = 6000


def engine_for(db: Path) -> Engine:
    return sa.create_engine(f"sqlite:///{db}", future=True, connect_args={"check_same_thread": False, "timeout": 30})


def totals(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT metric, SUM(n) FROM stats_daily GROUP BY metric")).all()
    return {metric: int(n) for metric, n in rows}


def groups_of(engine: Engine) -> dict[int, int]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.text("SELECT event_id, grp FROM stats_unanswered")).all())


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("rollup") / "generated.db"
    fill_sqlite(db, EVENTS, days=60)
    return db


def refresh_at_once(rollups: list[Rollup], timeout: float = 300) -> None:
    """Each rollup refreshes until complete in a thread of its own, all starting at the same moment."""
    start = threading.Barrier(len(rollups))
    errors: list[BaseException] = []

    def run(rollup: Rollup) -> None:
        try:
            start.wait()
            while not rollup.refresh().complete:
                pass
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(r,)) for r in rollups]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not errors and not any(t.is_alive() for t in threads)


def fresh_copy(generated: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "tracker.db"
    db.write_bytes(generated.read_bytes())
    return db


def test_counts_equal_what_the_events_say(generated: Path, tmp_path: Path) -> None:
    engine = engine_for(fresh_copy(generated, tmp_path))
    progress = Rollup(engine, threshold=0.6, batch=500).refresh()
    assert progress.complete and progress.last_id == progress.max_id == EVENTS
    with engine.connect() as conn:
        def count(where: str) -> int:
            return int(conn.execute(sa.text(f"SELECT count(*) FROM events WHERE {where}")).scalar())
        confidence = "json_extract(data, '$.parse_data.intent.confidence')"
        fallback = "json_extract(data, '$.parse_data.intent.name') = 'nlu_fallback'"
        expected = {"questions": count("type_name = 'user'"), "sessions": count("type_name = 'session_started'"),
                    "fallback": count(f"type_name = 'user' AND {fallback}"),
                    "low": count(f"type_name = 'user' AND NOT {fallback} AND {confidence} < 0.6")}
        texts = [t for (t,) in conn.execute(sa.text("SELECT text FROM stats_unanswered"))]
    found = totals(engine)
    assert {k: found[k] for k in expected} == expected and expected["fallback"] > 0 and expected["low"] > 0
    assert found["intent"] == found["questions"] and found["place"] > 0
    assert len(texts) == expected["fallback"] + expected["low"]
    assert not [t for t in texts if re.search(r"1[3-9]\d{9}|\d{17}[\dX]", t)]  # personal numbers masked
    assert any(p in t for t in texts for p in ("[手机号]", "[身份证号]", "[银行卡号]"))


def test_two_processes_refreshing_at_once_count_each_event_once(generated: Path, tmp_path: Path) -> None:
    alone = engine_for(fresh_copy(generated, tmp_path / "alone"))
    Rollup(alone, threshold=0.6, batch=500).refresh()
    shared = fresh_copy(generated, tmp_path / "shared")
    engines = [engine_for(shared), engine_for(shared)]  # two web apps: own engines, own rollups
    refresh_at_once([Rollup(e, threshold=0.6, batch=100) for e in engines])
    assert totals(engines[0]) == totals(alone)
    assert groups_of(engines[0]) == groups_of(alone)  # the same groups, whichever process counted a batch


def test_new_events_are_counted_once_settled(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    now = time.time()
    make_tracker(db, [("web_a", "user", "ask_phone", user("电话多少", "ask_phone", 0.9), now - 3600)])
    rollup = Rollup(engine_for(db), threshold=0.6, settle_s=30)
    rollup.refresh()
    make_tracker(db, [("web_b", "user", "ask_phone", user("电话是多少", "ask_phone", 0.9), now - 120),
                      ("web_c", "user", "ask_phone", user("电话呢", "ask_phone", 0.9), time.time())])
    progress = rollup.refresh()
    assert totals(rollup.engine)["questions"] == 2 and (progress.last_id, progress.max_id) == (2, 3)
    assert progress.complete  # only the young one is left


def test_it_starts_over_when_the_threshold_changes_or_the_events_were_replaced(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    day = time.time() - 86400
    make_tracker(db, [("web_a", "user", "ask_phone", user("电话多少", "ask_phone", 0.7), day),
                      ("web_b", "user", "ask_phone", user("电话是多少", "ask_phone", 0.5), day)])
    engine = engine_for(db)
    Rollup(engine, threshold=0.6).refresh()
    assert totals(engine)["low"] == 1
    Rollup(engine, threshold=0.8).refresh()
    assert totals(engine) == {"questions": 2, "intent": 2, "low": 2}
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM events"))
    make_tracker(db, [("web_c", "user", "ask_phone", user("电话呢", "ask_phone", 0.9), day)])  # rowid 1 again
    Rollup(engine, threshold=0.8).refresh()
    assert totals(engine) == {"questions": 1, "intent": 1}


def test_a_forgotten_conversation_leaves_the_questions(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    day = time.time() - 86400
    make_tracker(db, [("web_a", "user", "nlu_fallback", user("公积金怎么提取", "nlu_fallback", 0.3), day),
                      ("web_b", "user", "nlu_fallback", user("公积金咋提取", "nlu_fallback", 0.3), day),
                      ("web_c", "user", "nlu_fallback", user("养老保险怎么交", "nlu_fallback", 0.3), day)])
    engine = engine_for(db)
    rollup = Rollup(engine, threshold=0.6)
    rollup.refresh()
    with engine.begin() as conn:
        assert forget(conn, "web_a") == 2  # POST /api/forget: its one event and its question
        conn.execute(sa.text("DELETE FROM events WHERE sender_id = 'web_c'"))  # gone another way (unsubscribe)
    assert rollup.purge() == 1
    with engine.connect() as conn:
        left = conn.execute(sa.text("SELECT sender_id, text FROM stats_unanswered")).all()
    assert left == [("web_b", "公积金咋提取")]
    assert totals(engine)["fallback"] == 3  # the counts are anonymous and stay


def test_a_place_counts_once_per_turn_whoever_counts_the_batch(tmp_path: Path) -> None:
    day = time.time() - 86400
    rows = [("web_a", "session_started", None, {"event": "session_started"}, day),
            ("web_a", "user", "find_bureau", user("珲春社保局电话", "find_bureau", 0.9, ("珲春",)), day + 1),
            ("web_a", "slot", None, slot("location", "珲春"), day + 2),
            ("web_a", "slot", None, slot("insured_place", "珲春市"), day + 2),
            ("web_a", "slot", None, slot("residence_place", "敦化"), day + 2),  # named by a slot only
            ("web_a", "user", "inform_location", user("那延吉的呢", "inform_location", 0.9, ("延吉",)), day + 3),
            ("web_a", "slot", None, slot("location", "延吉"), day + 4),
            ("web_a", "session_started", None, {"event": "session_started"}, day + 7200),
            ("web_a", "slot", None, slot("location", "延吉"), day + 7200),  # carried over into the new session
            ("web_a", "user", "ask_phone", user("电话多少", "ask_phone", 0.9), day + 7201),
            ("web_a", "slot", None, slot("residence_place", "敦化"), day + 7202)]
    expected = {"珲春市": 1, "敦化市": 2, "延吉市": 1}
    one = tmp_path / "one.db"
    make_tracker(one, rows)
    alone = engine_for(one)
    Rollup(alone, threshold=0.6, batch=3).refresh()
    assert places(alone) == expected
    two = tmp_path / "two.db"
    make_tracker(two, rows)
    engine = engine_for(two)
    rollups = [Rollup(engine, threshold=0.6, batch=2), Rollup(engine_for(two), threshold=0.6, batch=2)]
    for turn in range(len(rows)):  # one batch each in turn: every turn is split between the two processes
        rollups[turn % 2].refresh(deadline=0)
    assert places(engine) == expected


def places(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.text("SELECT item, SUM(n) FROM stats_daily WHERE metric = 'place' "
                                         "GROUP BY item")).all())
