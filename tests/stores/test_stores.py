"""The stores on SQLite and PostgreSQL, under SQLAlchemy 1.4 (Rasa's venv, the action server) and 2.x (the web
app's): codes, ratings and conversations as the console reads them."""

from __future__ import annotations

import sqlalchemy as sa

from stores import feedback, handoff
from stores.conversation import EventsReader, facts_of
from stores.forget import forget
from stores.schema import ensure
from tests.stores.rasa_events import add_events, bot, sender, slot, user

DAY = 86400.0


def test_codes_are_short_unambiguous_random_and_kept_per_conversation(engine: sa.engine.Engine) -> None:
    a, b = sender(), sender()
    first = handoff.code_for(engine, a, 1_000.0, 7)
    assert handoff.CODE_RE.fullmatch(first.code) and len(first.code) == 7
    assert not set(first.code) & set("01OI")
    assert handoff.code_for(engine, a, 2_000.0, 7) == first  # the rest of the conversation: the same code
    assert handoff.code_for(engine, b, 1_000.0, 7).code != first.code
    assert first.expires_at == 1_000.0 + 7 * DAY
    codes = {handoff.new_code() for _ in range(2000)}
    assert len(codes) == 2000  # drawn at random, not counted up


def test_a_code_opens_its_conversation_until_it_expires(engine: sa.engine.Engine) -> None:
    who = sender()
    made = handoff.code_for(engine, who, 1_000.0, 7)
    assert handoff.find(engine, made.code, 1_000.0 + 7 * DAY - 1) == made
    assert handoff.find(engine, made.code, 1_000.0 + 7 * DAY) is None
    assert handoff.find(engine, handoff.new_code(), 1_000.0) is None
    renewed = handoff.code_for(engine, who, 1_000.0 + 8 * DAY, 7)
    assert renewed.code != made.code and handoff.find(engine, renewed.code, 1_000.0 + 8 * DAY) == renewed


def test_typed_codes_are_read_loosely_and_nonsense_refused() -> None:
    assert handoff.normalize(" ab3k 7mq ") == "AB3K7MQ"
    assert handoff.normalize("咨询编号：AB3K7MQ") == "AB3K7MQ"
    for bad in ("", "AB3", "AB3K7MQ99", "AB0K7MQ", "ab1k7mq", "'; drop table handoff; --", "咨询编号"):
        assert handoff.normalize(bad) is None, bad


def test_forgetting_a_conversation_removes_its_events_codes_and_ratings(engine: sa.engine.Engine) -> None:
    who, other = sender(), sender()
    for someone in (who, other):
        add_events(engine, someone, [user("转人工"), bot("请拨打电话")])
        feedback.add(engine, feedback.Feedback(someone, 1_000.0, helpful=False))
    code = handoff.code_for(engine, who, 1_000.0, 7).code
    kept = handoff.code_for(engine, other, 1_000.0, 7).code
    with engine.begin() as conn:
        assert forget(conn, who) == 2 + 1 + 1  # two events, a rating, a code
        assert forget(conn, who) == 0  # twice: harmless
    assert handoff.find(engine, code, 1_000.0) is None and handoff.find(engine, kept, 1_000.0) is not None
    with engine.begin() as conn:
        left = conn.execute(sa.text("SELECT sender_id, count(*) FROM events WHERE sender_id IN (:a, :b) "
                                    "GROUP BY sender_id"), {"a": who, "b": other}).all()
        rated = conn.execute(sa.text("SELECT sender_id FROM feedback WHERE sender_id IN (:a, :b)"),
                             {"a": who, "b": other}).all()
    assert [tuple(r) for r in left] == [(other, 2)] and [tuple(r) for r in rated] == [(other,)]


def test_bad_ratings_are_listed_newest_first_with_what_they_rate(engine: sa.engine.Engine) -> None:
    who = sender()
    for at, kwargs in [(1.0, {"rating": 5}), (2.0, {"helpful": True}), (3.0, {"rating": 2, "comment": "没说清楚"}),
                       (4.0, {"helpful": False, "intent": "ask_benefit_amount", "question": "能领多少钱"}),
                       (5.0, {"rating": 1}), (6.0, {"rating": 3})]:
        feedback.add(engine, feedback.Feedback(who, 1e9 + at, **kwargs))
    mine = [row for row in feedback.bad(engine, limit=200) if row["sender_id"] == who]
    assert [(row["rating"], row["helpful"]) for row in mine] == [(1, None), (None, False), (2, None)]
    assert mine[1]["question"] == "能领多少钱" and mine[1]["intent"] == "ask_benefit_amount"
    assert mine[2]["comment"] == "没说清楚"


def test_a_rating_outside_one_to_five_is_refused_by_the_table(engine: sa.engine.Engine) -> None:
    try:
        feedback.add(engine, feedback.Feedback(sender(), 1.0, rating=6))
    except sa.exc.IntegrityError:
        return
    raise AssertionError("rating 6 was stored")


def test_a_conversation_reads_as_turns_and_the_facts_gathered(engine: sa.engine.Engine) -> None:
    who = sender()
    add_events(engine, who, [
        {"event": "action", "name": "action_listen"},
        user("我在珲春交了三年社保，被辞退了", "inform_contribution"), slot("contribution_months", 36.0),
        slot("contribution_said", "三年"), slot("leave_reason", "involuntary"), slot("insured_place", "珲春"),
        bot("您缴费三年……"), user("珲春社保局电话", "find_bureau"), slot("bureau_name", "珲春市社会保险局"),
        slot("bureau_phone", "0433-7512409"), slot("location", "珲春"), bot("珲春市社会保险局：0433-7512409"),
        user("转人工"), bot("咨询编号：AB3K7MQ"),
    ])
    reader = EventsReader(engine)
    conversation = reader.read(who)
    assert conversation is not None and reader.talked(who)
    assert [(t.who, t.text) for t in conversation.turns][:2] == [("user", "我在珲春交了三年社保，被辞退了"),
                                                                  ("bot", "您缴费三年……")]
    assert len(conversation.turns) == 6 and conversation.turns[0].time == 1_001.0
    assert facts_of(conversation) == {"contribution_months": 36.0, "contribution_said": "三年",
                                      "leave_reason": "involuntary", "insured_place": "珲春",
                                      "bureau_name": "珲春市社会保险局", "bureau_phone": "0433-7512409"}
    question = conversation.last_question()
    assert question is not None and question.text == "转人工" and question.intent == "request_human"
    assert reader.read(sender()) is None and not reader.talked(sender())


def test_a_restart_forgets_the_facts(engine: sa.engine.Engine) -> None:
    who = sender()
    add_events(engine, who, [user("我在珲春交的"), slot("insured_place", "珲春"), {"event": "restart"},
                             user("你好", "greet"), bot("您好！")])
    conversation = EventsReader(engine).read(who)
    assert conversation is not None and facts_of(conversation) == {}


def test_before_rasa_made_its_table_there_is_nothing_to_read(tmp_path: object) -> None:
    from stores.db import make_engine, sqlite_url

    engine = make_engine(sqlite_url(tmp_path / "fresh.db"))  # type: ignore[operator]
    ensure(engine)
    ensure(engine)  # twice: harmless
    reader = EventsReader(engine)
    assert reader.read("web_x") is None and not reader.talked("web_x")
    assert {"handoff", "feedback", "staff", "staff_session", "staff_audit"} <= set(sa.inspect(engine).get_table_names())
