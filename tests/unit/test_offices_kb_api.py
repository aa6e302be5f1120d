"""nearest, bureaus_in, search, the CLI, the build, and the bureau table against the guide."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from guide import guide_text, phone_table
from offices_kb import bureaus_in, nearest, province_bureau, search
from offices_kb.build import build

ROOT = Path(__file__).resolve().parents[2]


def test_bureau_table_is_the_guides_table():
    guide = [(b.region, b.name, b.phone) for b in phone_table()]
    with (ROOT / "offices_kb/data/bureaus.csv").open(encoding="utf-8") as fh:
        ours = [(r["region"], r["name"], r["phone"]) for r in csv.DictReader(fh)]
    assert len(guide) == 52
    assert ours == guide


def test_the_guides_numbers_are_in_the_guide_text():
    text = guide_text()
    for b in phone_table():
        assert f"{b.name}" in text and b.phone in text


def test_province_bureau():
    assert province_bureau().phone == "0431-85821827"


def test_nearest_from_hunchun_city():
    rows = nearest(42.86, 130.36, k=3)
    assert rows[0].bureau == "珲春市社会保险局" and rows[0].phone == "0433-7512409"
    assert len(rows) == 3 and rows[0].distance_km < rows[1].distance_km <= rows[2].distance_km


def test_nearest_from_changchun_and_baicheng():
    assert nearest(43.88, 125.32, 1)[0].bureau == "长春市社会保险局"
    assert nearest(45.62, 122.84, 1)[0].bureau == "白城市社会保险局"


def test_nearest_never_offers_the_provincial_bureau():
    assert all(n.bureau != "吉林省社会保险局" for n in nearest(43.9, 125.33, 52))


@pytest.mark.parametrize("lat, lon, k", [(91, 125, 3), (43, 181, 3), (float("nan"), 125, 3), ("43", 125, 3),
                                         (43, 125, 0), (43, 125, 99), (True, 125, 3)])
def test_nearest_rejects_bad_coordinates(lat, lon, k):
    with pytest.raises(ValueError):
        nearest(lat, lon, k)


@pytest.mark.parametrize("region, count", [("延边", 8), ("延边地区", 8), ("延边朝鲜族自治州", 8), ("白城", 5),
                                           ("松原地区", 5), ("四平", 4), ("辽源市", 3), ("长白山", 1)])
def test_bureaus_in_region(region, count):
    rows = bureaus_in(region)
    assert len(rows) == count, [b.name for b in rows]


def test_bureaus_in_changchun_includes_gongzhuling_and_the_branches():
    names = {b.name for b in bureaus_in("长春")}
    assert {"长春市社会保险局", "长春市社会保险局双阳分局", "长春市社会保险局九台分局", "公主岭市社会保险局"} <= names


def test_bureaus_in_unknown_region_is_empty():
    assert bureaus_in("火星") == [] and bureaus_in("") == []


@pytest.mark.parametrize("query, bureau", [("珲", "珲春市社会保险局"), ("hun", "珲春市社会保险局"),
                                           ("gongzhu", "公主岭市社会保险局"), ("梅河", "梅河口市社会保险局"),
                                           ("双阳", "长春市社会保险局双阳分局"), ("敦化市", "敦化市社会保险局"),
                                           ("前郭尔罗斯", "前郭县社会保险局"), ("长白山", "长白山管委会社会保险局")])
def test_search_finds_by_prefix_and_pinyin(query, bureau):
    assert search(query)[0].bureau == bureau


def test_search_fuzzy_and_limits():
    assert any(m.bureau == "公主岭市社会保险局" for m in search("公主领"))
    assert len(search("市", limit=5)) == 5
    assert search("") == [] and search("   ") == []
    with pytest.raises(ValueError):
        search("x" * 101)


def test_build_is_deterministic(tmp_path):
    a, b = build(tmp_path / "a.sqlite"), build(tmp_path / "b.sqlite")
    assert a.read_bytes() == b.read_bytes()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "offices_kb", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)


def test_cli_lookup_readable_and_json():
    out = run_cli("lookup", "我在珲春住，社保局电话多少")
    assert out.returncode == 0 and "珲春市社会保险局" in out.stdout and "0433-7512409" in out.stdout
    data = json.loads(run_cli("--json", "lookup", "琿春").stdout)
    assert data["status"] == "found" and data["matches"][0]["phone"] == "0433-7512409"


def test_cli_nearest_list_and_errors():
    out = run_cli("nearest", "42.86", "130.36")
    assert "珲春市社会保险局" in out.stdout and "约" in out.stdout
    assert run_cli("list", "延边").stdout.count("0433-") == 8
    bad = run_cli("nearest", "99", "130")
    assert bad.returncode == 2 and "错误" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize("command", [("lookup", "珲春"), ("search", "hun"), ("list", "延边"),
                                     ("nearest", "42.86", "130.36")])
def test_cli_json_after_the_command_as_before_it(command: tuple[str, ...]) -> None:
    after = run_cli(command[0], "--json", *command[1:])
    before = run_cli("--json", *command)
    assert after.returncode == 0 and after.stderr == "", after.stderr
    assert json.loads(after.stdout) == json.loads(before.stdout)
    assert "0433-" in after.stdout  # a 延边 bureau's phone: the command ran, not just the parser
    with pytest.raises(ValueError):  # without --json: lines for people
        json.loads(run_cli(*command).stdout)
