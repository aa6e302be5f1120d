"""The passages of the official guide an answer rests on, for the console: read through the guide package, which
owns the sections and their citations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import guide


@dataclass(frozen=True)
class GuideSection:
    """A cited section as the console shows it."""

    citation: str
    heading: str
    excerpt: str

    def to_dict(self) -> dict[str, str]:
        return {"citation": self.citation, "heading": self.heading, "excerpt": self.excerpt}


def cited_passages(answer: str, focus: Sequence[str] = (), limit: int = 600) -> list[GuideSection]:
    """Every section the answer's 依据 lines cite (an answer may cite two), with the guide's passage. For the phone
    table, `focus` (the phones in the answer) keeps only the rows that name them. An unreadable guide gives the
    citations without passages."""
    out = []
    for part in guide.cited_sections(answer):
        try:
            excerpt = guide.passage(part.key, focus=focus, limit=limit)
        except OSError:
            excerpt = ""
        out.append(GuideSection(f"《失业保险金申领指南》{part.citation}", excerpt.split("\n", 1)[0], excerpt))
    return out
