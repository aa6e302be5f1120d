"""The guide's phone table (52 bureaus with their region) and the facts the code needs from the guide: the
province bureau's phone and the contribution period of condition (一)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from guide.sections import PHONE_TABLE_START, passage
from guide.source import guide_text

PROVINCE_BUREAU = "吉林省社会保险局"
_ROW = re.compile(r"(?:^|\s)(?:(?P<region>\S+?)\s+)?(?P<name>\S+社会保险局\S*)\s+(?P<phone>0\d{2,3}-\d{7,8})")
_YEARS = re.compile(r"缴费义务满(\d+)年")


@dataclass(frozen=True)
class GuideBureau:
    """One row of the table: region group (长春地区, 长白山…), bureau name, phone."""

    region: str
    name: str
    phone: str


def parse_phone_table(text: str) -> list[GuideBureau]:
    """The table after the 咨询电话 heading: one bureau a line, the region named on the first line of its group."""
    table = text.split(PHONE_TABLE_START, 1)[1].split("咨询电话：", 1)[-1]
    rows: list[GuideBureau] = []
    region = ""
    for line in table.splitlines():
        # the header line also holds the first row ("地区 单位 咨询电话 吉林省 吉林省社会保险局 0431-...")
        line = line.replace("地区", " ", 1) if "咨询电话" in line else line
        line = line.replace("咨询电话", " ").replace("单位", " ")
        for m in _ROW.finditer(line):
            if m.group("region"):
                region = m.group("region")
            rows.append(GuideBureau(region=region, name=m.group("name"), phone=m.group("phone")))
    return rows


@lru_cache(maxsize=4)
def phone_table(path: Path | None = None) -> tuple[GuideBureau, ...]:
    """The guide's phone table, parsed once per process."""
    return tuple(parse_phone_table(guide_text(path)))


def province_contact(path: Path | None = None) -> tuple[str, str]:
    """(吉林省社会保险局, its phone) from the table: whom to call when no bureau of the user's is known."""
    row = next(b for b in phone_table(path) if b.name == PROVINCE_BUREAU)
    return row.name, row.phone


@lru_cache(maxsize=4)
def min_contribution_months(path: Path | None = None) -> int:
    """Condition (一) in months: '…履行缴费义务满1年' -> 12."""
    found = _YEARS.search(passage("conditions", limit=10_000, path=path))
    if found is None:
        raise ValueError("the guide's condition (一) names no period of contribution")
    return int(found.group(1)) * 12
