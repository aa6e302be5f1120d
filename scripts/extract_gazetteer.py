"""Extract Jilin's gazetteer (and the names of places outside Jilin) from two offline packages.

Run once when the sources change; the output CSVs are committed and human-editable:

    python -m scripts.extract_gazetteer            # downloads the two wheels with pip, no install
    python -m scripts.extract_gazetteer --wheels DIR

Sources (recorded per row in the `source` column):
- cpca 0.5.5, resources/adcodes.csv: county-level adcodes with seat coordinates (GCJ-02/WGS-84 close enough here).
- jionlp 1.5.31, dictionary/china_location.zip: province > city > county > town tree with short names,
  including Jilin's development zones and townships (no coordinates: a town takes its county's).
Both still give 公主岭 its old code 220381 (under 四平); it has been administered by 长春 since 2020, so the
script files it under 长春. Manual places (长白山管委会 and its 池北/池西/池南 areas, 长春新区 ...) live in
offices_kb/data/manual_places.yaml, not here.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

CPCA = "cpca==0.5.5"
JIONLP = "jionlp==1.5.31"
OUT = Path(__file__).resolve().parent.parent / "offices_kb" / "data"
TOWN_SUFFIXES = ("镇", "乡", "街道")
GONGZHULING = "220381"


def fetch_wheels(dest: Path) -> tuple[Path, Path]:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(dest), CPCA, JIONLP],
        check=True,
    )
    cpca = next(dest.glob("cpca-*.whl"))
    jionlp = next(dest.glob("jionlp-*.whl"))
    return cpca, jionlp


def read_cpca(wheel: Path) -> dict[str, tuple[str, str]]:
    """adcode (6 digits) -> (lon, lat)."""
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read("cpca/resources/adcodes.csv").decode("utf-8")
    coords = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["longitude"] and row["latitude"]:
            coords[row["adcode"][:6]] = (row["longitude"], row["latitude"])
    return coords


def read_jionlp_tree(wheel: Path) -> list[tuple[int, list[str]]]:
    """(depth, fields) for province/city/county/town lines; villages (depth 4) are dropped."""
    with zipfile.ZipFile(wheel) as zf:
        inner = zf.read("jionlp/dictionary/china_location.zip")
    with zipfile.ZipFile(io.BytesIO(inner)) as zf:
        text = zf.read("china_location.txt").decode("utf-8")
    rows = []
    for line in text.splitlines():
        line = line.rstrip("\r")
        depth = len(line) - len(line.lstrip("\t"))
        if depth > 3 or not line.strip():
            continue
        fields = line.strip("\t").split("\t")
        rows.append((depth, (fields + ["", ""])[:3]))  # a few entries (Taiwan) have no code
    return rows


def build(cpca_wheel: Path, jionlp_wheel: Path) -> tuple[list[dict], list[dict]]:
    coords = read_cpca(cpca_wheel)
    jilin: list[dict] = []
    outside: list[dict] = []
    province = city = county = None
    for depth, fields in read_jionlp_tree(jionlp_wheel):
        if depth == 0:
            province = {"name": fields[0], "code": fields[1], "short": fields[2]}
            city = county = None
            in_jilin = province["code"] == "220000"
            if in_jilin:
                lon, lat = coords.get("220000", ("", ""))
                jilin.append(row(province["code"], fields[0], fields[2], "province", "", "220000", lon, lat))
            else:
                outside.append(orow(province["code"], fields[0], fields[2], "province", province["name"]))
            continue
        if depth == 1:
            city = {"name": fields[0], "code": fields[1], "short": fields[2]}
            county = None
            if in_jilin:
                lon, lat = coords.get(city["code"], ("", ""))
                jilin.append(row(city["code"], fields[0], fields[2], "prefecture", "220000", city["code"], lon, lat))
            else:
                outside.append(orow(city["code"], fields[0], fields[2], "prefecture", province["name"]))
            continue
        if depth == 2:
            county = {"name": fields[0], "code": fields[1], "short": fields[2]}
            if in_jilin:
                code = county["code"]
                kind = "zone" if code[4] == "7" else "county"
                lon, lat = coords.get(code, coords.get(city["code"], ("", "")))
                src = "jionlp; cpca" if code in coords else "jionlp; coords of prefecture (cpca)"
                if code == GONGZHULING:
                    src += "; 公主岭 filed under 长春 (administered by 长春 since 2020, old code kept)"
                jilin.append(row(code, fields[0], fields[2], kind, city["code"], city["code"], lon, lat, src))
            else:
                outside.append(orow(county["code"], fields[0], fields[2], "county", province["name"]))
            continue
        if depth == 3 and in_jilin and county and fields[0].endswith(TOWN_SUFFIXES):
            lon, lat = coords.get(county["code"], coords.get(city["code"], ("", "")))
            src = "jionlp; coords of county (cpca)"
            jilin.append(row("", fields[0], "", "town", county["code"], city["code"], lon, lat, src))
    # towns have no code of their own: number them under their county, deterministically
    seen: dict[str, int] = {}
    for r in jilin:
        if r["level"] == "town":
            seen[r["parent_code"]] = seen.get(r["parent_code"], 0) + 1
            r["code"] = f"{r['parent_code']}T{seen[r['parent_code']]:03d}"
    return jilin, outside


def row(code, name, short, level, parent, prefecture, lon, lat, source="jionlp; cpca") -> dict:
    return {
        "code": code, "name": name, "short": short if short != name else "", "level": level,
        "parent_code": parent, "prefecture_code": prefecture, "lon": lon, "lat": lat, "source": source,
    }


def orow(code, name, short, level, province) -> dict:
    return {"code": code, "name": name, "short": short if short != name else "", "level": level, "province": province}


def write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=Path, help="folder that already holds the cpca and jionlp wheels")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.wheels or Path(tmp)
        cpca, jionlp = (next(folder.glob("cpca-*.whl")), next(folder.glob("jionlp-*.whl"))) if args.wheels \
            else fetch_wheels(folder)
        jilin, outside = build(cpca, jionlp)
    write(OUT / "gazetteer.csv", jilin)
    write(OUT / "outside.csv", outside)
    counts: dict[str, int] = {}
    for r in jilin:
        counts[r["level"]] = counts.get(r["level"], 0) + 1
    print("jilin:", counts, "outside:", len(outside))


if __name__ == "__main__":
    main()
