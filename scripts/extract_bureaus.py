"""Parse the guide's phone table into offices_kb/data/bureaus.csv (run once when the guide changes).

Each bureau gets the code of the place it serves (`serves_code`): the place whose name the bureau carries.
The CSV is committed and human-editable; tests/unit/test_bureaus_match_guide.py re-parses the guide and
fails when the two drift apart.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from guide import phone_table

ROOT = Path(__file__).resolve().parent.parent

# bureaus whose name does not carry the official place name
SERVES_BY_NAME = {
    "吉林省社会保险局": "220000",
    "长春市社会保险局双阳分局": "220112",
    "长春市社会保险局九台分局": "220113",
    "白山市江源区社会保险局": "220605",
    "长白山管委会社会保险局": "Z-CBS",
}


def main() -> None:
    places = list(csv.DictReader((ROOT / "offices_kb/data/gazetteer.csv").open(encoding="utf-8")))
    by_name = {}
    for p in places:
        if p["level"] in ("prefecture", "county"):
            by_name.setdefault(p["name"], p["code"])
            # 前郭县 / 伊通县 / 长白县: the guide's short forms of autonomous counties
            if p["short"]:
                by_name.setdefault(p["short"] + p["name"][-1], p["code"])
    rows = []
    for i, b in enumerate(phone_table(), start=1):
        place = re.sub(r"社会保险局$", "", b.name)
        code = SERVES_BY_NAME.get(b.name) or by_name.get(place)
        if not code:
            raise SystemExit(f"no place found for {b.name}")
        rows.append({"id": f"B{i:02d}", "name": b.name, "region": b.region, "phone": b.phone, "serves_code": code})
    out = ROOT / "offices_kb/data/bureaus.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} bureaus -> {out}")


if __name__ == "__main__":
    main()
