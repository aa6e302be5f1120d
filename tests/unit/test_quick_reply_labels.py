"""One label per action (issue 15): a quick reply that asks the same question is called the same everywhere, in
domain.yml's responses and in the widget's welcome; only a step's 上一步：/下一步： tells where it leads. (Answers
to the bot's own questions, payloads with entities such as 被单位辞退或裁员 / 单位倒闭, are the citizen's words
and may differ.)"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
STEP = re.compile(r"^(上一步|下一步)：")


def domain_buttons() -> dict[str, list[list[dict[str, str]]]]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {name: [v.get("buttons", []) for v in variants] for name, variants in domain["responses"].items()}


def welcome_buttons() -> list[dict[str, str]]:
    js = (ROOT / "bot" / "static" / "widget-messages.js").read_text(encoding="utf-8")
    block = js[js.index("var WELCOME_BUTTONS = ["):js.index("];", js.index("var WELCOME_BUTTONS = ["))]
    return [{"title": t, "payload": p} for t, p in re.findall(r'title: "([^"]+)", payload: "([^"]+)"', block)]


def test_each_action_has_one_label() -> None:
    labels: dict[str, set[str]] = defaultdict(set)
    groups = [group for variants in domain_buttons().values() for group in variants] + [welcome_buttons()]
    for group in groups:
        for button in group:
            if "{" not in button["payload"]:
                labels[button["payload"]].add(STEP.sub("", button["title"]))
    assert len(welcome_buttons()) == 4
    assert {payload: titles for payload, titles in labels.items() if len(titles) > 1} == {}


def test_no_group_offers_one_action_twice() -> None:
    for name, variants in domain_buttons().items():
        for group in variants:
            payloads = [b["payload"] for b in group if "{" not in b["payload"]]
            assert len(payloads) == len(set(payloads)), name
