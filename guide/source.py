"""Where the guide is and its text, read once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from envsettings import env_path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = PROJECT_ROOT.parent / "shared" / "guide" / "jilin-unemployment-benefit-guide.txt"


def guide_path() -> Path:
    """The guide file: GUIDE_PATH from the environment, else ../shared/guide/ beside the checkout."""
    return env_path("GUIDE_PATH", DEFAULT_PATH)


@lru_cache(maxsize=4)
def _read(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def guide_text(path: Path | None = None) -> str:
    """The guide's text; raises OSError when it cannot be read (every fact depends on it)."""
    return _read(str(path or guide_path()))
