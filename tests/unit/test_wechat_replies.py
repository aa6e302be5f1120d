"""Bot messages as WeChat text: the numbered menu and picking from it, links written out, splitting in order."""

from __future__ import annotations

import json

import pytest

from channels.wechat.replies import location_payload, menu_choice, render, split, without_menus

GREET = [{"recipient_id": "wx-1", "text": "您好！可以问我申领条件。", "buttons": [
    {"title": "申领条件", "payload": "/ask_eligibility"}, {"title": "网上申领", "payload": "/ask_online_apply"},
    {"title": "现场办理", "payload": "/ask_onsite_apply"}]}]


def test_buttons_become_a_numbered_menu_after_the_text():
    text, menu = render(GREET)
    assert text == "您好！可以问我申领条件。\n\n回复 1 申领条件 / 2 网上申领 / 3 现场办理"
    assert [b["payload"] for b in menu] == ["/ask_eligibility", "/ask_online_apply", "/ask_onsite_apply"]


def test_a_number_picks_its_button_and_nothing_else_does():
    _, menu = render(GREET)
    assert menu_choice("2", menu) == "/ask_online_apply"
    assert menu_choice(" ３ ", menu) == "/ask_onsite_apply"  # full width, spaces
    assert menu_choice("1。", menu) == "/ask_eligibility"
    for other in ["0", "4", "12", "-1", "1 2", "一", "²", "网上申领", "", "1e0"]:
        assert menu_choice(other, menu) is None, other
    assert menu_choice("1", []) is None


def test_links_and_images_are_written_out_and_url_buttons_are_not_numbered():
    text, menu = render([
        {"text": "扫码下载APP。", "buttons": [{"title": "电脑上网申领", "payload": "/ask_online_apply"}]},
        {"custom": {"links": [{"title": "《指南》图片1", "url": "http://jlsi.jl.gov.cn/app1.png"}]}},
        {"image": "http://example.gov.cn/qr.png"},
        {"text": "官网", "buttons": [{"title": "打开官网", "url": "https://www.ccshbx.org.cn/", "type": "web_url"}]},
    ])
    assert "《指南》图片1：http://jlsi.jl.gov.cn/app1.png" in text
    assert "图片：http://example.gov.cn/qr.png" in text
    assert "打开官网：https://www.ccshbx.org.cn/" in text
    assert text.endswith("回复 1 电脑上网申领")
    assert [b["title"] for b in menu] == ["电脑上网申领"]


def test_the_same_button_twice_is_numbered_once():
    _, menu = render(GREET + GREET)
    assert len(menu) == 3


def test_a_kept_reply_loses_its_menu_lines():
    text, _ = render(GREET)
    assert without_menus(text + "\n\n" + text) == "您好！可以问我申领条件。\n\n您好！可以问我申领条件。"
    assert without_menus("回复我就行\n\n好") == "回复我就行\n\n好"  # only the numbered line


def test_no_buttons_no_menu():
    assert render([{"text": "再见！"}]) == ("再见！", [])


def test_location_payload_is_the_widgets():
    payload = location_payload(42.868512345, 130.357)
    assert payload.startswith("/share_location")
    assert json.loads(payload[len("/share_location"):]) == {"latitude": 42.86851, "longitude": 130.357}


@pytest.mark.parametrize("limit", [200, 300, 2048])
def test_split_keeps_order_and_limit(limit):
    paragraphs = [f"第{i}段：" + "社会保险局咨询电话0431-85821827。" * (i % 7 + 1) for i in range(40)]
    text = "\n\n".join(paragraphs)
    pieces = split(text, limit)
    assert all(len(p.encode()) <= limit for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
    assert len(pieces) > 1


def test_split_cuts_a_long_line_by_characters_without_breaking_one():
    text = "珲" * 1000  # 3000 bytes, no line breaks
    pieces = split(text, 2048)
    assert [len(p) for p in pieces] == [682, 318]
    assert "".join(pieces) == text


def test_short_text_is_one_piece():
    assert split("短", 2048) == ["短"]
    assert split("", 2048) == []
