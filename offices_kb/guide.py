"""Read the official guide (the single source of facts) and its bureau phone table."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

GUIDE_PATH = Path(
    os.environ.get(
        "GUIDE_PATH",
        Path(__file__).resolve().parent.parent.parent / "shared" / "guide" / "jilin-unemployment-benefit-guide.txt",
    )
)

_ROW = re.compile(r"(?:^|\s)(?:(?P<region>\S+?)\s+)?(?P<name>\S+社会保险局\S*)\s+(?P<phone>0\d{2,3}-\d{7,8})")


@dataclass(frozen=True)
class GuideBureau:
    region: str
    name: str
    phone: str


def parse_phone_table(text: str) -> list[GuideBureau]:
    """The table after 咨询电话: one bureau a line, the region named on the first line of its group."""
    table = text.split("咨询电话：", 1)[1]
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
