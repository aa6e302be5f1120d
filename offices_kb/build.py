"""Build the SQLite knowledge base from the human-edited sources in offices_kb/data/.

Deterministic: same sources, same file (rows are written in a fixed order; no timestamps).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import sqlite_utils
import yaml

from offices_kb.normalize import normalize
from offices_kb.paths import DEFAULT_DB
from offices_kb.pinyin import fix_readings, name_keys, spell
from offices_kb.words import common_words, sound_alike_parts

DATA = Path(__file__).resolve().parent / "data"
SCORES = {"name": 1.0, "bureau": 1.0, "composite": 1.0, "exact": 1.0, "short": 0.95, "alias": 0.95, "pinyin": 0.9}
COUNTY_SUFFIXES = ("区", "市", "县")
# 两家子满族乡, 三骏满族蒙古族锡伯族乡, 三源浦朝鲜族镇: people also say 两家子乡, 三骏乡, 三源浦镇
ETHNIC = re.compile(r"(?:满|朝鲜|蒙古|回|锡伯|达斡尔|鄂温克|鄂伦春|赫哲)族")


def _csv(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_sources() -> tuple[list[dict], list[dict], list[dict], dict]:
    manual = yaml.safe_load((DATA / "manual_places.yaml").read_text(encoding="utf-8"))
    places = _csv("gazetteer.csv")
    official = {o["gazetteer"]: o for o in manual.get("official_names", [])}
    for p in places:
        if p["name"] in official:
            p["former"] = p["name"]
            p["name"] = official[p["name"]]["name"]
            p["source"] += f"; official name {p['name']}"
    by_code = {p["code"]: p for p in places}
    for m in manual["places"]:
        fields = ("code", "name", "short", "level", "parent_code", "lon", "lat", "source")
        p = {k: str(m.get(k, "") or "") for k in fields}
        places.append(p)
        by_code[p["code"]] = p
    by_name = {p["name"]: p for p in places}
    for town, parent in manual.get("reparent", {}).items():
        by_name[town]["parent_code"] = parent
        by_name[town]["source"] += f"; administered by {by_code[parent]['name']}"
    for p in places:  # fill prefecture and coordinates from the parent chain
        chain = ancestors(p, by_code)
        p["prefecture_code"] = next((a["code"] for a in [p, *chain] if a["level"] == "prefecture"), "")
        if not p["lon"]:
            src = next(a for a in chain if a["lon"])
            p["lon"], p["lat"] = src["lon"], src["lat"]
    return places, _csv("bureaus.csv"), _csv("outside.csv"), manual


def ancestors(place: dict, by_code: dict) -> list[dict]:
    chain, code = [], place["parent_code"]
    while code:
        chain.append(by_code[code])
        code = by_code[code]["parent_code"]
    return chain


def assign_bureaus(places: list[dict], bureaus: list[dict]) -> None:
    """A place is served by the bureau of itself or its nearest ancestor below the province;
    only the province itself goes to the provincial bureau; a prefecture without one (延边) gets none."""
    serves = {b["serves_code"]: b["id"] for b in bureaus}
    by_code = {p["code"]: p for p in places}
    for p in places:
        p["bureau_id"] = ""
        for a in [p, *ancestors(p, by_code)]:
            if a["level"] == "province" and p["level"] != "province":
                break
            if a["code"] in serves:
                p["bureau_id"] = serves[a["code"]]
                break


def place_aliases(places: list[dict], manual: dict) -> list[tuple[str, str, str, str]]:
    """(alias, target_kind, target, kind) rows for Jilin's places."""
    rows: list[tuple[str, str, str, str]] = []
    by_code = {p["code"]: p for p in places}
    extra = manual.get("aliases", {})
    generic = manual.get("generic_zone_aliases", {})
    for p in places:
        names = {p["name"]: "name"}
        # 通化县's short name 通化 is what everybody calls the city: the county keeps only its full name
        pref_short = by_code[p["prefecture_code"]]["short"] if p["prefecture_code"] else ""
        if len(p["short"]) >= 2 and not (p["level"] == "county" and p["short"] == pref_short):
            names.setdefault(p["short"], "short")
        if p["level"] == "county" and "自治" in p["name"]:
            names.setdefault(p["short"] + p["name"][-1], "short")  # 长白县, 前郭县, 伊通县
        if p["level"] == "town":
            for full in (p["name"], ETHNIC.sub("", p["name"])):
                stem = full.removesuffix("街道").rstrip("镇乡")
                if full != p["name"] and len(full) >= 3:
                    names.setdefault(full, "short")
                if len(stem) >= 3 and not stem.endswith("族"):
                    names.setdefault(stem, "short")
        for a in extra.get(p["name"], []) + generic.get(p["short"], []):
            names.setdefault(a, "alias")
        for a in manual_extra_aliases(manual, p):
            names.setdefault(a, "alias")
        if p.get("former"):
            names.setdefault(p["former"], "alias")
        for entry in manual.get("former_names", []):
            if entry["place"] == p["name"]:
                for a in entry["names"]:
                    names.setdefault(a, "alias")
        rows.extend((name, "place", p["code"], kind) for name, kind in names.items())
        # prefixed by the prefecture (长春朝阳区, 长春市经开区) so that shared names resolve; also by the one it
        # belonged to before (四平公主岭: 公主岭 has been administered by 长春 since 2020)
        if p["level"] in ("county", "zone", "town") and p["prefecture_code"]:
            pref = by_code[p["prefecture_code"]]
            prefixes = {pref["name"], pref["short"] or pref["name"], *extra.get(pref["name"], [])}
            for a in [p, *ancestors(p, by_code)]:
                for old in manual.get("former_prefecture", {}).get(a["name"], []):
                    old_pref = next(x for x in places if x["name"] == old)
                    prefixes |= {old_pref["name"], old_pref["short"] or old_pref["name"]}
            for prefix in sorted(prefixes):
                for name in names:
                    if not name.startswith(prefix):
                        rows.append((prefix + name, "place", p["code"], "composite"))
        if p["level"] in ("province", "prefecture", "county") or (p["level"] == "zone" and p["short"] not in generic):
            stems = {p["name"]} | ({p["short"]} if p["short"] in names else set())
            rows.extend((spell(stem), "place", p["code"], "pinyin") for stem in stems)
    for name, aliases in manual.get("exact", {}).items():
        code = next(p["code"] for p in places if p["name"] == name)
        rows.extend((a, "place", code, "exact") for a in aliases)
    return rows


def manual_extra_aliases(manual: dict, place: dict) -> list[str]:
    return next((m.get("aliases", []) for m in manual["places"] if m["code"] == place["code"]), [])


def bureau_aliases(bureaus: list[dict]) -> list[tuple[str, str, str, str]]:
    rows = []
    for b in bureaus:
        for name in {b["name"], b["name"].replace("社会保险局", "社保局")}:
            rows.append((name, "bureau", b["id"], "bureau"))
        if "分局" in b["name"]:
            rows.append((b["name"].split("社会保险局")[1], "bureau", b["id"], "bureau"))  # 双阳分局
    return rows


def outside_aliases(outside: list[dict], jilin_aliases: set[str]) -> list[tuple[str, str, str, str]]:
    """Provinces and prefectures by full and short name; counties by full name, and by short name only where
    that short name is also a Jilin name (so that 朝阳 or 铁西 alone is seen as shared, not as Jilin's)."""
    rows = []
    for i, o in enumerate(outside):
        key = str(i)
        rows.append((o["name"], "outside", key, "name"))
        short = o["short"]
        if len(short) >= 2 and (o["level"] != "county" or short in jilin_aliases):
            rows.append((short, "outside", key, "short"))
            if o["level"] != "county":
                rows.append((spell(short), "outside", key, "pinyin"))
        if o["level"] == "county" and (o["name"] in jilin_aliases or short in jilin_aliases):
            for prefix in prefixes_of(o, outside):
                rows.append((prefix + o["name"], "outside", key, "composite"))
    return rows


def prefixes_of(county: dict, outside: list[dict]) -> set[str]:
    code = county["code"]
    out = set()
    for o in outside:
        if o["level"] != "county" and o["code"] in (code[:4] + "00", code[:2] + "0000"):
            out.update(x for x in (o["name"], o["short"]) if x)
    return out


def sound_of(alias: str, target_kind: str, kind: str) -> str:
    """Loose pinyin of a Jilin place's own Chinese name ('dun hua'), for typo readings; '' for other aliases."""
    if target_kind == "place" and kind in ("name", "short", "alias") and len(alias) >= 2 \
            and all("\u4e00" <= c <= "\u9fff" for c in alias):
        return " ".join(name_keys(alias))
    return ""


def build(db_path: Path = DEFAULT_DB) -> Path:
    places, bureaus, outside, manual = load_sources()
    fix_readings(manual.get("pinyin", {}))
    assign_bureaus(places, bureaus)
    jilin_rows = place_aliases(places, manual) + bureau_aliases(bureaus)
    jilin_names = {normalize(a) for a, *_ in jilin_rows}
    rows = jilin_rows + outside_aliases(outside, jilin_names)
    aliases = sorted({(normalize(a).strip(), tk, t, k) for a, tk, t, k in rows if len(normalize(a).strip()) >= 1})
    coords = {p["code"]: (p["lat"], p["lon"]) for p in places}
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite_utils.Database(tmp)
    db["places"].insert_all(
        ({k: p[k] for k in ("code", "name", "short", "level", "parent_code", "prefecture_code", "lat", "lon",
                            "bureau_id", "source")} for p in places), pk="code")
    db["bureaus"].insert_all(
        ({**b, "lat": coords[b["serves_code"]][0], "lon": coords[b["serves_code"]][1]} for b in bureaus), pk="id")
    db["outside"].insert_all(({"key": str(i), **o} for i, o in enumerate(outside)), pk="key")
    db["aliases"].insert_all(
        ({"alias": a, "target_kind": tk, "target": t, "kind": k, "score": SCORES[k], "sound": sound_of(a, tk, k)}
         for a, tk, t, k in aliases))
    db["aliases"].create_index(["alias"])
    words = common_words(jilin_names)
    two = {normalize(a) for a, tk, t, k in jilin_rows if len(a) == 2 and k in ("name", "short", "alias")}
    db["words"].insert_all([{"word": w, "freq": f, "kind": "word"} for w, f in words.items()]
                           + [{"word": w, "freq": 0, "kind": "part"} for w in sound_alike_parts(words, two)],
                           pk="word")
    fixes = yaml.safe_dump(manual.get("pinyin", {}), allow_unicode=True)
    db["meta"].insert_all([{"key": "pinyin_fixes", "value": fixes}])
    db.conn.close()
    tmp.replace(db_path)
    return db_path
