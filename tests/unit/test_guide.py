"""The guide package: sections and citations, passages, the phone table and the facts the code needs from it."""

from __future__ import annotations

from pathlib import Path

import pytest

import guide


def test_every_section_is_found_in_the_guide_text() -> None:
    for key, section in guide.SECTIONS.items():
        text = guide.passage(key, limit=10_000)
        assert text.startswith(section.start.strip()), key


def test_cite_and_read_back_several_sections() -> None:
    line = guide.cite("online", "onsite")
    assert line == "依据：《失业保险金申领指南》三、网上申领；四、现场申领"
    assert [s.key for s in guide.cited_sections("答复\n" + line)] == ["online", "onsite"]


def test_cited_sections_ignore_unknown_citations_and_repeat_none() -> None:
    text = "依据：《失业保险金申领指南》二、申领条件\n依据：《失业保险金申领指南》二、申领条件；九、不存在"
    assert [s.key for s in guide.cited_sections(text)] == ["conditions"]
    assert guide.cited_sections("没有依据") == []


def test_passages_stop_at_the_next_heading() -> None:
    onsite = guide.passage("onsite")
    assert "身份证" in onsite and "0433-7512409" not in onsite
    app = guide.passage("online_app")
    assert "吉林掌上社保" in app and "[image" not in app and "ccshbx" not in app


def test_phone_table_and_province() -> None:
    table = guide.phone_table()
    assert len(table) == 52 and table[0].name == "吉林省社会保险局"
    assert guide.province_contact() == ("吉林省社会保险局", "0431-85821827")
    assert {b.region for b in table} >= {"长春地区", "延边地区", "长白山", "梅河口"}


def test_condition_one_in_months_comes_from_the_guide(tmp_path: Path) -> None:
    assert guide.min_contribution_months() == 12
    changed = tmp_path / "guide.txt"
    changed.write_text(guide.guide_text().replace("缴费义务满1年", "缴费义务满2年"), encoding="utf-8")
    assert guide.min_contribution_months(changed) == 24


def test_a_guide_without_the_condition_is_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "guide.txt"
    broken.write_text(guide.guide_text().replace("缴费义务满1年", "缴费义务"), encoding="utf-8")
    with pytest.raises(ValueError):
        guide.min_contribution_months(broken)
