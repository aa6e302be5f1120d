"""The guide's sections: a key for the code, the citation text an answer ends with ("依据：《失业保险金申领指南》"
+ citation) and where the passage is in the guide (from one heading to the next), so that the console can show
the passage an answer rests on."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from guide.source import guide_text

BASIS = "依据：《失业保险金申领指南》"
PHONE_TABLE_START = "全省各级社会保险局失业保险经办咨询电话"


@dataclass(frozen=True)
class Section:
    """One citable part of the guide: `start` is the first line's beginning, `end` where the next part begins."""

    key: str
    citation: str
    start: str
    end: str | None

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "citation": self.citation}


# key -> citation -> where. The citations are the headings of the guide as an answer names them.
SECTIONS: dict[str, Section] = {s.key: s for s in (
    Section("scope", "一、申领范围", "一、申领范围", "二、申领条件"),
    Section("conditions", "二、申领条件", "二、申领条件", "三、网上申领"),
    Section("online", "三、网上申领", "三、网上申领", "四、现场申领"),
    Section("online_system", "三、网上申领（一）吉林省社会保险网上经办系统", "（一）登录", "（二）通过"),
    Section("online_app", "三、网上申领（二）吉林掌上社保APP", "（二）通过", "（3）"),
    Section("online_changchun", "三、网上申领（3）长春市失业人员申领", "（3）", "四、现场申领"),
    Section("onsite", "四、现场申领", "四、现场申领", PHONE_TABLE_START),
    Section("phones", "四、现场申领（咨询电话表）", PHONE_TABLE_START, None),
)}
_BY_CITATION = {s.citation: s for s in SECTIONS.values()}
_BASIS_LINE = re.compile(re.escape(BASIS) + r"(.+)$", re.MULTILINE)


def section(key: str) -> Section:
    """The section named `key`; KeyError for an unknown key (a typo in code, caught by the tests)."""
    return SECTIONS[key]


def cite(*keys: str) -> str:
    """The closing line of an answer resting on these sections:
    '依据：《失业保险金申领指南》三、网上申领；四、现场申领'."""
    return BASIS + "；".join(SECTIONS[key].citation for key in keys)


def cited_sections(answer: str) -> list[Section]:
    """Every section the 依据 lines of `answer` cite, in order, each once ('…三、网上申领；四、现场申领' gives two)."""
    found: list[Section] = []
    for line in _BASIS_LINE.findall(answer or ""):
        for citation in line.split("；"):
            known = _BY_CITATION.get(citation.strip())
            if known and known not in found:
                found.append(known)
    return found


def _lines(key: str, path: Path | None) -> list[str]:
    part = SECTIONS[key]
    lines = guide_text(path).splitlines()
    begin = next(i for i, line in enumerate(lines) if line.strip().startswith(part.start))
    end = len(lines) if part.end is None else next(
        (i for i in range(begin + 1, len(lines)) if lines[i].strip().startswith(part.end)), len(lines))
    return lines[begin:end]


def passage(key: str, focus: Sequence[str] = (), limit: int = 600, path: Path | None = None) -> str:
    """The guide's text of section `key`, tidied (no image lines, runs of spaces shortened), at most `limit`
    characters. For the phone table, `focus` (e.g. the phones in an answer) keeps only the rows naming one."""
    lines = [line for line in _lines(key, path) if line.strip() and not line.strip().startswith("[image")]
    if key == "phones" and focus:
        rows = [line for line in lines[1:] if any(f in line for f in focus)]
        lines = [lines[0], *rows] if rows else lines
    text = "\n".join(re.sub(r"\s{2,}", "  ", line.strip()) for line in lines)
    return text if len(text) <= limit else text[:limit].rstrip() + "…"
