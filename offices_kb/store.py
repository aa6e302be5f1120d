"""The knowledge base in memory: read once per process from the SQLite file that build.py writes."""

from __future__ import annotations

import sqlite3
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from offices_kb.models import Bureau, OutsidePlace, Place
from offices_kb.paths import DEFAULT_DB
from offices_kb.pinyin import fix_readings


@dataclass(frozen=True)
class Target:
    kind: str  # place | bureau | outside
    code: str
    alias_kind: str
    score: float


class KnowledgeBase:
    def __init__(self, db_path: Path) -> None:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            self._load(conn)
        finally:
            conn.close()

    def _load(self, conn: sqlite3.Connection) -> None:
        conn.row_factory = sqlite3.Row
        fixes = conn.execute("select value from meta where key = 'pinyin_fixes'").fetchone()
        fix_readings(yaml.safe_load(fixes["value"]) or {})
        self.places = {
            r["code"]: Place(r["code"], r["name"], r["short"], r["level"], r["parent_code"], r["prefecture_code"],
                             float(r["lat"]), float(r["lon"]), r["bureau_id"], r["source"])
            for r in conn.execute("select * from places order by rowid")
        }
        self.bureaus = {
            r["id"]: Bureau(r["id"], r["name"], r["region"], r["phone"], r["serves_code"], float(r["lat"]),
                            float(r["lon"]))
            for r in conn.execute("select * from bureaus order by rowid")
        }
        self.outside = {
            r["key"]: OutsidePlace(r["code"], r["name"], r["level"], r["province"])
            for r in conn.execute("select * from outside order by rowid")
        }
        self.aliases: dict[str, list[Target]] = defaultdict(list)
        self.exact: dict[str, list[Target]] = defaultdict(list)
        self.pinyin: dict[str, list[Target]] = defaultdict(list)
        sound_of: dict[str, str] = {}
        for r in conn.execute("select * from aliases order by alias, target_kind, target"):
            t = Target(r["target_kind"], r["target"], r["kind"], r["score"])
            index = {"exact": self.exact, "pinyin": self.pinyin}.get(r["kind"], self.aliases)
            index[r["alias"]].append(t)
            if r["sound"]:
                sound_of[r["alias"]] = r["sound"]
        # for the substring scan: which alias lengths start with each character
        lengths: dict[str, set[int]] = defaultdict(set)
        for alias in self.aliases:
            lengths[alias[0]].add(len(alias))
        self.lengths_by_first = {ch: sorted(ls, reverse=True) for ch, ls in lengths.items()}
        # loose pinyin of Jilin's own Chinese names of two characters or more (towns: three or more, written by
        # build), by the readings of their first two characters
        self.sounds: dict[str, list[tuple[str, tuple[str, ...], Target]]] = defaultdict(list)
        for alias, sound in sound_of.items():
            keys = tuple(sound.split())
            jilin = [t for t in self.aliases[alias] if t.kind == "place" and t.alias_kind in ("name", "short", "alias")
                     and (self.places[t.code].level != "town" or len(alias) >= 3)]
            self.sounds[keys[0] + " " + keys[1]].extend((alias, keys, t) for t in jilin)
        # common words that are not Jilin names (for typo readings: 东风 is not 东丰 by itself)
        words = conn.cursor()
        words.row_factory = None
        rows = words.execute("select word, freq, kind from words").fetchall()
        self.common_words = {w: f for w, f, kind in rows if kind == "word"}
        self.word_parts = frozenset(w for w, _, kind in rows if kind == "part")  # 按图 (of 按图索骥)
        self.children: dict[str, list[str]] = defaultdict(list)
        for p in self.places.values():
            if p.parent_code:
                self.children[p.parent_code].append(p.code)

    def ancestors(self, code: str) -> list[str]:
        chain = []
        parent = self.places[code].parent_code
        while parent:
            chain.append(parent)
            parent = self.places[parent].parent_code
        return chain

    def bureau_of(self, target: Target) -> Bureau | None:
        if target.kind == "bureau":
            return self.bureaus[target.code]
        bid = self.places[target.code].bureau_id
        return self.bureaus[bid] if bid else None


_lock = threading.Lock()
_default: KnowledgeBase | None = None


def default_kb() -> KnowledgeBase:
    """The process's knowledge base, opened on first use (built first if the file is missing)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                if not DEFAULT_DB.exists():
                    # the builder (sqlite-utils, jieba's dictionary) only when the file is missing: a process
                    # that only reads, such as the web app in its own virtualenv, does not install it
                    from offices_kb.build import build

                    build(DEFAULT_DB)
                _default = KnowledgeBase(DEFAULT_DB)
    return _default
