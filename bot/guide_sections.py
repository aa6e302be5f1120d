"""Find the passage of the official guide that an answer's '依据：《失业保险金申领指南》X' line points to."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.settings import PROJECT_ROOT

_MAJOR = "一二三四五六七八九十"
_MAJOR_RE = re.compile(rf"^\s*([{_MAJOR}])、")
_SUB_RE = re.compile(r"^\s*[（(]\s*([一二三四五六七八九十\d]+)\s*[)）]")
_CITATION_RE = re.compile(rf"([{_MAJOR}])、[^（(]*(?:[（(]\s*([^)）]+?)\s*[)）])?")
_ARABIC = {"1": "一", "2": "二", "3": "三", "4": "四", "5": "五"}


@dataclass(frozen=True)
class GuideSection:
    citation: str
    heading: str
    excerpt: str

    def to_dict(self) -> dict[str, str]:
        return {"citation": self.citation, "heading": self.heading, "excerpt": self.excerpt}


def guide_path() -> Path:
    default = PROJECT_ROOT.parent / "shared" / "guide" / "jilin-unemployment-benefit-guide.txt"
    return Path(os.environ.get("GUIDE_PATH") or default)


@lru_cache(maxsize=4)
def _load(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _norm_sub(sub: str) -> str:
    return _ARABIC.get(sub, sub)


def _major_block(lines: list[str], major: str) -> list[str]:
    block: list[str] = []
    inside = False
    for line in lines:
        m = _MAJOR_RE.match(line)
        if m:
            inside = m.group(1) == major
        if inside:
            block.append(line)
    return block


def _sub_block(block: list[str], sub: str) -> list[str]:
    out: list[str] = []
    inside = False
    for line in block[1:]:
        m = _SUB_RE.match(line)
        if m:
            inside = _norm_sub(m.group(1)) == _norm_sub(sub)
        if inside:
            out.append(line)
    return out


def _clean(lines: list[str], limit: int) -> str:
    kept = [re.sub(r"\s{2,}", "  ", line.strip()) for line in lines
            if line.strip() and not line.strip().startswith("[image")]
    text = "\n".join(kept)
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def find_section(citation: str, path: Path | None = None, limit: int = 600,
                 focus: Sequence[str] = ()) -> GuideSection | None:
    """`citation` like '《失业保险金申领指南》四、现场申领（咨询电话表）'.

    For the phone table, `focus` (e.g. the phone numbers in the answer) keeps only the rows that mention them.
    """
    lines = _load(str(path or guide_path()))
    m = _CITATION_RE.search(citation)
    if not lines or not m:
        return None
    block = _major_block(lines, m.group(1))
    if not block:
        return None
    sub = (m.group(2) or "").strip()
    heading = block[0].strip()
    if sub and "电话" in sub:
        idx = next((i for i, line in enumerate(block) if "咨询电话" in line), 0)
        rows = [line for line in block[idx + 1:] if any(f in line for f in focus)]
        table = [block[idx], *rows] if rows else block[idx:]
        return GuideSection(citation, heading + "（咨询电话表）", _clean(table, limit))
    if sub:
        sub_lines = _sub_block(block, sub)
        if sub_lines:
            return GuideSection(citation, f"{heading}{sub_lines[0].strip()}", _clean(sub_lines, limit))
    if m.group(1) == "四":  # the visit section without the long phone table
        idx = next((i for i, line in enumerate(block) if "咨询电话" in line), len(block))
        block = block[:idx]
    return GuideSection(citation, heading, _clean(block, limit))
