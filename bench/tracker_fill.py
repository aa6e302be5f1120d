"""Fill a tracker store with realistic generated conversations (Rasa 3.6's `events` rows), for the dashboard's
benchmark and tests.

    python -m bench.tracker_fill --events 1000000 --days 365 --db var/bench/tracker-1m.db
    python -m bench.tracker_fill --events 20000 --url postgresql://user:pw@127.0.0.1:25432/db

Conversations: many senders (24 hex digits, as the widget makes them) over `days` days up to now, more on
weekdays and office hours, slowly growing; each a session (action_session_start, session_started, action_listen)
and 1 to 8 turns (user with parse_data: intent, confidence, entities, ranking; user_featurization, the action,
slots for places, the bot's reply from domain.yml, action_listen). Questions are the training examples of
data/nlu/ with places of Jilin put in where the examples name one, plus a pool of questions the bot cannot
answer (near-duplicate wordings, some with a phone or ID number to be masked) at fallback or low confidence.
Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
META = {"model_id": "5f0c7c5a0e8b4b7e9d1f3a2b6c4d8e10", "assistant_id": "jilin-unemployment-benefit"}
COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")
SQLITE_DDL = ("CREATE TABLE IF NOT EXISTS events (id INTEGER NOT NULL, sender_id VARCHAR(255) NOT NULL, "
              "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
              "action_name VARCHAR(255), data TEXT, PRIMARY KEY (id))",
              "CREATE INDEX IF NOT EXISTS ix_events_sender_id ON events (sender_id)")
POSTGRES_DDL = ("CREATE TABLE IF NOT EXISTS events (id SERIAL PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
                "type_name VARCHAR(255) NOT NULL, timestamp DOUBLE PRECISION, intent_name VARCHAR(255), "
                "action_name VARCHAR(255), data TEXT)",
                "CREATE INDEX IF NOT EXISTS ix_events_sender_id ON events (sender_id)")
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\((\w+)\)|\{[^}]*\"entity\":\s*\"(\w+)\"[^}]*\})")
# questions the guide does not answer, asked in several wordings (near-duplicates for the dashboard's grouping)
UNANSWERED = ("公积金怎么提取", "公积金咋提取", "住房公积金能取出来吗", "社保断交了怎么补", "社保断了半年还能补交吗",
              "灵活就业人员交的社保算不算", "个体户能领失业金吗", "失业金打到哪张卡上", "失业金到账了怎么查",
              "领失业金影响退休吗", "领了失业金还能交医保吗", "失业期间医保谁给交", "异地领失业金要回原籍吗",
              "档案在人才中心能办吗", "离婚了户口不在这能领吗", "孩子上学能用失业金吗", "你们几点下班",
              "今天能办完吗", "我的审核怎么还没通过", "密码忘了怎么找回", "人脸识别一直失败怎么办",
              "网上提交了显示退回是什么意思", "领完失业金再就业还能领吗", "一次性领取可以吗")
PREFIXES = ("", "", "请问", "我想问下", "你好，", "问一下")
SUFFIXES = ("", "", "？", "啊", "呢", "。。", "？？")
FILLERS = ("那个", "就是", "嗯", "我想知道", "麻烦问下", "咱们这", "俺", "现在")
PERSONAL = ("我电话{mobile}，", "身份证{idno}，", "我手机号是{mobile} ")
INTENT_WEIGHTS = {"ask_how_to_apply": 12, "check_eligibility": 10, "find_bureau": 14, "ask_phone": 8,
                  "ask_eligibility": 8, "ask_documents": 7, "ask_online_apply": 6, "ask_benefit_amount": 7,
                  "ask_benefit_duration": 5, "ask_processing_time": 4, "inform_location": 9, "greet": 6,
                  "thank": 5, "goodbye": 3}
HOURS = (1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 15, 12, 9, 12, 14, 14, 12, 9, 7, 6, 5, 4, 2, 1)  # conversations by hour
POOR_SHARE = 0.09  # of the questions: fallback or low confidence


@dataclass
class Example:
    intent: str
    parts: list[tuple[str, str | None]]  # text pieces, with the entity each one is


def _examples(root: Path) -> dict[str, list[Example]]:
    found: dict[str, list[Example]] = {}
    for path in sorted((root / "data" / "nlu").glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in item:
                continue
            for line in str(item.get("examples", "")).splitlines():
                text = line.strip()[2:] if line.strip().startswith("- ") else ""
                if text and not text.startswith("/"):
                    found.setdefault(item["intent"], []).append(Example(item["intent"], _parts(text)))
    return found


def _parts(text: str) -> list[tuple[str, str | None]]:
    parts: list[tuple[str, str | None]] = []
    at = 0
    for m in ANNOTATION.finditer(text):
        parts.append((text[at:m.start()], None))
        parts.append((m.group(1), m.group(2) or m.group(3)))
        at = m.end()
    parts.append((text[at:], None))
    return [p for p in parts if p[0]]


def _places(root: Path) -> list[str]:
    rows = (root / "offices_kb" / "data" / "gazetteer.csv").read_text(encoding="utf-8").splitlines()[1:]
    names = []
    for row in rows:
        code, name, short, level = row.split(",")[:4]
        if level in ("prefecture", "county") and code != "220000":
            names.append(((0 if level == "prefecture" else 1, code), short or name))
    return [name for _, name in sorted(names, key=lambda p: p[0])]  # prefectures first, 长春 (220100) leading


def _responses(root: Path) -> list[tuple[str, str]]:
    domain = yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8"))
    return [(name, variants[0]["text"]) for name, variants in domain["responses"].items()
            if variants and isinstance(variants[0], dict) and variants[0].get("text")]


class Generator:
    def __init__(self, days: int = 365, end: float | None = None, seed: int = 14, root: Path = ROOT) -> None:
        self.rng = random.Random(seed)
        self.days = days
        self.end = time.time() if end is None else end
        self.examples = _examples(root)
        self.intents = [i for i in self.examples if i != "share_location"]
        self.weights = [INTENT_WEIGHTS.get(i, 2) for i in self.intents]
        self.places = _places(root)
        self.place_weights = [1 / (rank + 1) ** 1.1 for rank in range(len(self.places))]
        self.responses = _responses(root)
        self.day_weights = [self._day_weight(d) for d in range(days)]

    def _day_weight(self, day: int) -> float:
        """Day 0 is the oldest (China time): weekdays busier than weekends, a slow rise over the year."""
        midnight = self._midnight(day)
        weekday = time.gmtime(midnight + 8 * 3600).tm_wday
        elapsed = min(1.0, (self.end - midnight) / 86400)  # today is not over yet
        return (1.0 if weekday < 5 else 0.4) * (0.7 + 0.6 * day / max(self.days, 1)) * elapsed

    def _start_time(self, day: int) -> float:
        """A conversation's start on day `day` (0 the oldest), mostly in office hours, China time."""
        midnight = self._midnight(day)
        hour = self.rng.choices(range(24), HOURS)[0]
        start = midnight + hour * 3600 + self.rng.random() * 3600
        if start > self.end - 600:  # today, later than now: some time so far today
            start = midnight + self.rng.random() * max(0.0, self.end - 600 - midnight)
        return start

    def _midnight(self, day: int) -> float:
        return (int(self.end + 8 * 3600) // 86400 - (self.days - 1 - day)) * 86400 - 8 * 3600

    def _event(self, kind: str, stamp: float, **data: Any) -> dict[str, Any]:
        return {"event": kind, "timestamp": stamp, "metadata": dict(META), **data}

    def _question(self) -> tuple[str, str, float, list[dict[str, Any]]]:
        """(text, intent, confidence, entities) of one message."""
        rng = self.rng
        if rng.random() < POOR_SHARE:
            text = rng.choice(PREFIXES) + rng.choice(UNANSWERED) + rng.choice(SUFFIXES) if rng.random() < 0.5 \
                else self._odd_wording()
            if rng.random() < 0.08:
                text = rng.choice(PERSONAL).format(mobile=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                                                   idno=f"2201{rng.randrange(10**13):013d}X") + text
            if rng.random() < 0.4:
                return text, "nlu_fallback", 0.3, []
            return text, rng.choice(self.intents), 0.25 + 0.34 * rng.random(), []
        intent = rng.choices(self.intents, self.weights)[0]
        example = rng.choice(self.examples[intent])
        text, entities = "", []
        for piece, entity in example.parts:
            if entity == "location":
                piece = rng.choices(self.places, self.place_weights)[0]
                entities.append({"entity": "location", "start": len(text), "end": len(text) + len(piece),
                                 "value": piece, "extractor": "GazetteerEntityExtractor"})
            text += piece
        return text, intent, 0.6 + 0.4 * rng.random() ** 0.3, entities

    def _odd_wording(self) -> str:
        """A training question said oddly (a filler put in, a character lost): the long tail of poor answers."""
        rng = self.rng
        example = rng.choice(self.examples[rng.choice(self.intents)])
        text = "".join(piece for piece, _ in example.parts)
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(FILLERS) + text[at:]
        if len(text) > 4 and rng.random() < 0.5:
            drop = rng.randrange(len(text))
            text = text[:drop] + text[drop + 1:]
        return text

    def conversation(self, stamp: float) -> Iterator[dict[str, Any]]:
        rng = self.rng
        sender = uuid.UUID(int=rng.getrandbits(128)).hex[:24]
        yield {"sender": sender, **self._event("action", stamp, name="action_session_start", policy=None,
                                               confidence=1.0)}
        yield {"sender": sender, **self._event("session_started", stamp)}
        yield {"sender": sender, **self._event("action", stamp, name="action_listen", policy=None, confidence=None)}
        for _ in range(min(8, 1 + int(rng.expovariate(0.6)))):
            stamp = min(stamp + 5 + rng.random() * 60, self.end - 60)
            text, intent, confidence, entities = self._question()
            others = rng.sample(self.intents, 2)
            parse = {"intent": {"name": intent, "confidence": confidence}, "entities": entities, "text": text,
                     "message_id": uuid.UUID(int=rng.getrandbits(128)).hex, "metadata": {},
                     "intent_ranking": [{"name": intent, "confidence": confidence}] +
                                       [{"name": o, "confidence": (1 - confidence) / 2} for o in others]}
            yield {"sender": sender, "intent": intent, **self._event("user", stamp, text=text, parse_data=parse,
                                                                     input_channel="rest")}
            yield {"sender": sender, **self._event("user_featurization", stamp + 0.02,
                                                   use_text_for_featurization=False)}
            yield {"sender": sender, **self._event("action", stamp + 0.02, name="action_answer", policy="RulePolicy",
                                                   confidence=1.0)}
            for entity in entities:
                yield {"sender": sender, "slot": "location", **self._event("slot", stamp + 0.03, name="location",
                                                                           value=entity["value"])}
            name, reply = rng.choice(self.responses)
            yield {"sender": sender, **self._event("bot", stamp + 0.03, text=reply, data={"buttons": None},
                                                   metadata={**META, "utter_action": name})}
            yield {"sender": sender, **self._event("action", stamp + 0.04, name="action_listen",
                                                   policy="RulePolicy", confidence=1.0)}

    def _events_per_conversation(self) -> float:
        state = self.rng.getstate()
        sample = [sum(1 for _ in self.conversation(self.end - 86400)) for _ in range(400)]
        self.rng.setstate(state)
        return sum(sample) / len(sample)

    def rows(self, events: int) -> Iterator[tuple[Any, ...]]:
        """`events` rows, day after day from the oldest, conversations in the order they started (ids grow
        with time, as Rasa writes them)."""
        mean = self._events_per_conversation()
        left_weight = [sum(self.day_weights[d:]) for d in range(self.days)]
        made, day, owed = 0, 0, 0.0
        while True:
            today = min(day, self.days - 1)  # past the last day: the few events still owed are today's
            # what is left, spread over the days left: the estimate's error does not pile up on the last day
            owed += (events - made) / mean * self.day_weights[today] / max(left_weight[today], 1e-9)
            count = max(1, int(owed))
            owed -= count
            for start in sorted(self._start_time(today) for _ in range(count)):
                for event in self.conversation(start):
                    data = {k: v for k, v in event.items() if k not in ("sender", "intent", "slot")}
                    action = (event.get("slot") or data.get("name")) if event["event"] in ("action", "slot") else None
                    yield (event["sender"], event["event"], event["timestamp"], event.get("intent"), action,
                           json.dumps(data, ensure_ascii=False))
                    made += 1
                    if made >= events:
                        return
            day += 1


def fill_sqlite(path: Path, events: int, days: int = 365, end: float | None = None, seed: int = 14) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        for statement in SQLITE_DDL:
            conn.execute(statement)
        _chunks(Generator(days, end, seed).rows(events),
                lambda chunk: conn.executemany(f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES (?,?,?,?,?,?)",
                                               chunk))


def fill_postgres(url: str, events: int, days: int = 365, end: float | None = None, seed: int = 14) -> None:
    """Through SQLAlchemy Core, so it runs in either virtualenv (1.4 with psycopg2, 2.x with psycopg 3)."""
    add_postgres(url, Generator(days, end, seed).rows(events))


def add_postgres(url: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """Rows of COLUMNS into `events` (created when missing); an insert() construct, so both SQLAlchemy versions send
    many rows per statement."""
    import sqlalchemy as sa

    events_table = sa.table("events", *(sa.column(name) for name in COLUMNS))
    engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.begin() as conn:
            for statement in POSTGRES_DDL:
                conn.execute(sa.text(statement))
            _chunks(iter(rows), lambda chunk: conn.execute(events_table.insert(),
                                                           [dict(zip(COLUMNS, row, strict=True)) for row in chunk]))
    finally:
        engine.dispose()


def _chunks(rows: Iterator[tuple[Any, ...]], write: Any, size: int = 20_000) -> None:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            write(chunk)
            chunk = []
    if chunk:
        write(chunk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=14)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--db", type=Path, help="SQLite file (created; events are added to what is there)")
    target.add_argument("--url", help="PostgreSQL URL (the table is created when missing)")
    args = parser.parse_args()
    started = time.monotonic()
    if args.db:
        fill_sqlite(args.db, args.events, args.days, seed=args.seed)
    else:
        fill_postgres(args.url, args.events, args.days, seed=args.seed)
    print(f"{args.events} events over {args.days} days written in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
