"""Static checks of the widget's files: sizes in em (so the citizen's font setting carries through), and the
axe-core the browser tests vendor is the version pinned from npm and is nowhere the web app serves."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bot.widget_build import WIDGET_JS_PARTS

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "bot" / "static"
VENDOR = ROOT / "tests" / "browser" / "vendor"


def test_widget_font_sizes_are_relative() -> None:
    """font-size in em/rem/% or keywords; px only as a floor inside max() (长辈版's 22 px, iOS's 16 px input)."""
    css = (STATIC / "widget.css").read_text(encoding="utf-8")
    sizes = re.findall(r"font-size:\s*([^;]+);", css)
    assert len(sizes) > 20
    fixed = [s for s in sizes if re.search(r"\d+px", re.sub(r"max\([^)]*\)", "", s))]
    assert fixed == []
    assert "font-size: medium" in css  # the root follows the browser's own default size, not the host's <html>
    custom = re.findall(r"--jlw-answer:\s*([^;]+);", css)
    assert custom == ["1em", "max(22px, 1.375em)"]


def test_widget_sources_hold_no_phone_number() -> None:
    """The province's phone reaches the widget from its server (bot/widget_build.py fills SERVER_CONFIG from the
    guide), so the guide stays the one source of that number."""
    for name in WIDGET_JS_PARTS[1:]:
        text = (STATIC / name).read_text(encoding="utf-8")
        assert not re.search(r"\d{3,4}-\d{7,8}", text), name
    assert "{/* SERVER_CONFIG */}" in (STATIC / "widget.js").read_text(encoding="utf-8")


def test_vendored_axe_is_the_pinned_version() -> None:
    lock = json.loads((VENDOR / "package-lock.json").read_text(encoding="utf-8"))
    pinned = json.loads((VENDOR / "package.json").read_text(encoding="utf-8"))["devDependencies"]["axe-core"]
    locked = lock["packages"]["node_modules/axe-core"]
    assert locked["version"] == pinned and re.fullmatch(r"\d+\.\d+\.\d+", pinned)  # exact, no range
    assert locked["integrity"].startswith("sha512-")  # the registry tarball npm checks
    head = (VENDOR / "axe-core" / "axe.min.js").read_text(encoding="utf-8")[:200]
    assert head.startswith(f"/*! axe v{pinned}\n")
    assert (VENDOR / "axe-core" / "LICENSE").is_file()


def test_axe_is_not_served_to_citizens() -> None:
    served = [p for p in STATIC.rglob("*") if p.is_file() and "axe v" in p.read_text(encoding="utf-8", errors="ignore")]
    assert served == []
