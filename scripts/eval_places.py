"""How precise and how forgiving offices_kb's place reading is. A measurement, not a test: it reports.

    .venv/bin/python -m scripts.eval_places            (--show to list every miss and false reading)

1. False places: NLU training and held-out sentences with no tagged location; a Jilin reading of one of them is
   counted (split into exact names, which are untagged places in the data, and typo readings, which are ours).
2. Missed places: sentences with a tagged location where lookup finds no Jilin place.
3. One-character sound typos of every county-level and prefecture name (each character replaced by each of
   the three most common characters that sound the same: offices_kb.words.sound_alikes), bare and in a sentence:
   found (right bureau), asked (did_you_mean offering the right bureau), missed, and wrong (found with another
   bureau: must be 0).
4. Common words as place answers: the most frequent words of jieba's dictionary, bare and as "我在X上班": how
   many read as a Jilin place by a typo reading (found, or asked).
5. Names outside Jilin alone: how many are answered "not in Jilin" and how many asked about because a Jilin name
   is one character away (三河市: 蛟河市?); with their province named (河北三河市) none should be asked about.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

import yaml

from offices_kb import lookup, mentions
from offices_kb.normalize import is_cjk
from offices_kb.pinyin import name_keys
from offices_kb.store import default_kb
from offices_kb.words import JIEBA_DICT, sound_alikes

ROOT = Path(__file__).resolve().parent.parent

ANNOTATION = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")
JILIN = ("found", "ambiguous", "did_you_mean")


def examples(path: Path) -> list[tuple[str, list[str]]]:
    """(text, tagged location texts) for every example of every intent."""
    out = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
        for line in (block.get("examples") or "").splitlines() if "intent" in block else []:
            line = line.strip()
            if line.startswith("- "):
                raw = line[2:]
                tagged = [m.group(1) for m in ANNOTATION.finditer(raw) if "location" in m.group(2)]
                out.append((ANNOTATION.sub(lambda m: m.group(1), raw), tagged))
    return out


def jilin_reading(text: str) -> str:
    """'' for none, else 'typo' when a typo reading is involved, 'exact' otherwise."""
    found = [m for m in mentions(text) if m.in_jilin]
    r = lookup(text)
    if not found and r.status not in JILIN:
        return ""
    typo = r.status == "did_you_mean" or any(x.method != "exact" for x in r.matches)
    return "typo" if typo else "exact"


def sentences(show: bool) -> None:
    for label, files in (("training", sorted((ROOT / "data" / "nlu").glob("*.yml"))),
                         ("held-out", [ROOT / "tests" / "nlu" / "heldout.yml"])):
        rows = [x for f in files for x in examples(f)]
        plain = [t for t, tags in rows if not tags]
        tagged = [t for t, tags in rows if tags]
        read = {t: jilin_reading(t) for t in plain}
        kinds = Counter(read.values())
        missed = [t for t in tagged if lookup(t).status not in (*JILIN, "outside_jilin")]
        print(f"{label}: {len(plain)} sentences without a tagged place: {kinds['exact']} read a Jilin name "
              f"(untagged places), {kinds['typo']} a typo reading ({100 * kinds['typo'] / len(plain):.2f} %); "
              f"{len(tagged)} with one: {len(missed)} missed")
        if show:
            for t, k in read.items():
                if k:
                    print(f"   {k:5} {t}")
            for t in missed:
                print(f"   miss  {t}")


def typos(show: bool) -> None:
    kb = default_kb()
    by_key = sound_alikes(kb.common_words)
    names = sorted({(p.short or p.name[:-1], p.code) for p in kb.places.values()
                    if p.level in ("prefecture", "county") and len(p.short or p.name[:-1]) >= 2
                    and any(t.code == p.code for t in kb.aliases.get(p.short or p.name[:-1], []))})  # not 通化县's 通化
    tally: Counter[str] = Counter()
    wrong, missed = [], []
    for short, code in names:
        want = {m.bureau_id for m in lookup(kb.places[code].name).matches}
        for i, ch in enumerate(short):
            key = name_keys(short)[i]  # the reading of the name, not every reading of its characters
            others = set(by_key.get(key, [])[:3]) - {ch}
            for c in sorted(others):
                typo = short[:i] + c + short[i + 1:]
                if typo in kb.aliases:
                    continue  # another real name (or an outside one), not a typo
                for text in (typo, f"我在{typo}上班"):
                    r = lookup(text)
                    got = {m.bureau_id for m in r.matches}
                    if r.status == "found" and got & want:
                        tally["found"] += 1
                    elif r.status in ("did_you_mean", "ambiguous") and got & want:
                        tally["asked"] += 1
                    elif r.status in ("found", "did_you_mean", "ambiguous") and got:
                        tally["wrong" if r.status == "found" else "asked other"] += 1
                        wrong.append((text, short, r.status, [m.place for m in r.matches]))
                    else:
                        tally["missed"] += 1
                        missed.append(text)
    total = sum(tally.values())
    print(f"sound typos of {len(names)} names: {total} texts: " + ", ".join(
        f"{k} {v} ({100 * v / total:.1f} %)" for k, v in sorted(tally.items())))
    for w in wrong if show else [w for w in wrong if w[2] == "found"]:
        print("   ", *w)
    if show:
        print("    missed:", " ".join(missed))


def common_words(show: bool, top: int = 20000) -> None:
    kb = default_kb()
    words = []
    with JIEBA_DICT.open(encoding="utf-8") as fh:
        for line in fh:
            word, freq, *_ = line.split()
            if 2 <= len(word) <= 4 and all(is_cjk(c) for c in word) and word not in kb.aliases:
                words.append((int(freq), word))
    words = [w for _, w in sorted(words, reverse=True)[:top]]
    for frame in ("{}", "我在{}上班"):
        read = [(w, lookup(frame.format(w))) for w in words]
        hits = [(w, r.status, [m.place for m in r.matches][:2]) for w, r in read
                if r.status in JILIN and any(m.method != "exact" for m in r.matches)]
        found = sum(1 for h in hits if h[1] == "found")
        print(f"{len(words)} common words as '{frame}': {found} found as a Jilin place by a typo reading, "
              f"{len(hits) - found} asked about")
        if show:
            for h in hits:
                print("   ", *h)


def outside_names(show: bool) -> None:
    kb = default_kb()
    tally: Counter[tuple[str, str, str]] = Counter()
    asked = []
    for alias, targets in sorted(kb.aliases.items()):
        if not all(t.kind == "outside" for t in targets):
            continue
        o = kb.outside[targets[0].code]
        framed = alias if o.level == "province" or alias.startswith(o.province[:2]) else o.province + alias
        for label, text in (("alone", alias), ("with its province", framed)):
            r = lookup(text)
            tally[(o.level, label, r.status)] += 1
            if r.status == "did_you_mean" and label == "alone":
                asked.append(alias)
    for (level, label, status), n in sorted(tally.items()):
        print(f"outside {level} names {label}: {status} {n}")
    if show:
        print("    asked:", " ".join(asked))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    sentences(args.show)
    typos(args.show)
    common_words(args.show)
    outside_names(args.show)


if __name__ == "__main__":
    main()
