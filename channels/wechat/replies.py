"""Rasa's bot messages as WeChat text: buttons become a numbered menu, links are written out, and a reply is cut
into pieces within WeChat's limit for one text message, in order.

Also the channel's own few sentences (what it answers without asking Rasa) and the WeChat menu's CLICK keys.
"""

from __future__ import annotations

import json
from typing import Any

Button = dict[str, str]  # {"title": ..., "payload": ...}

UNSUPPORTED = ("目前我只能看懂文字和位置。请直接输入您的问题（例如“珲春社保局电话”），"
               "或通过“+”发送“位置”，我来找离您最近的社会保险局。")
HOLDING = "这个问题需要多查一会儿。答案会随您的下一条消息一起发给您：请稍后发送任意文字（例如“好的”）查看。"
TOO_LONG = "您的消息太长了（最多 {limit} 个字）。请只写您的问题，例如“珲春社保局电话”。"
MENU_PREFIX = "回复 "
MENU_SEPARATOR = " / "
PARAGRAPH = "\n\n"

# Keys of the 公众号's own menu (自定义菜单, CLICK buttons; README shows the JSON to create it) and what each asks.
CLICK_PAYLOADS: dict[str, str] = {
    "ELIGIBILITY": "/ask_eligibility",
    "HOW_TO_APPLY": "/ask_how_to_apply",
    "ONLINE_APPLY": "/ask_online_apply",
    "ONSITE_APPLY": "/ask_onsite_apply",
    "DOCUMENTS": "/ask_documents",
    "FIND_BUREAU": "/find_bureau",
    "NEAREST_BUREAU": "/share_location",
    "HUMAN": "/request_human",
}
WELCOME_PAYLOAD = "/greet"
_FULL_WIDTH_DIGITS = {0xFF10 + i: str(i) for i in range(10)}  # what Chinese keyboards type as "１"


def location_payload(latitude: float, longitude: float) -> str:
    """The same message the web widget's "附近的社保局" button sends (bot/static/widget.js)."""
    coords = {"latitude": round(latitude, 5), "longitude": round(longitude, 5)}
    return "/share_location" + json.dumps(coords, separators=(",", ":"))


def _buttons(message: dict[str, Any]) -> list[Button]:
    found = []
    for button in list(message.get("buttons") or []) + list(message.get("quick_replies") or []):
        if isinstance(button, dict) and button.get("title"):
            found.append({"title": str(button["title"]), "payload": str(button.get("payload") or button["title"]),
                          "url": str(button.get("url") or "")})
    return found


def _links(message: dict[str, Any]) -> list[str]:
    lines = []
    custom = message.get("custom")
    if isinstance(custom, dict):
        for link in custom.get("links") or []:
            if isinstance(link, dict) and link.get("url"):
                lines.append(f"{link.get('title') or '链接'}：{link['url']}")
    if message.get("image"):
        lines.append(f"图片：{message['image']}")
    if message.get("attachment"):
        lines.append(f"附件：{message['attachment']}")
    return lines


def render(messages: list[dict[str, Any]]) -> tuple[str, list[Button]]:
    """One text for a turn's bot messages and the menu it offers (numbered in the text, in the same order)."""
    parts: list[str] = []
    menu: list[Button] = []
    for message in messages:
        if message.get("text"):
            parts.append(str(message["text"]).strip())
        links = _links(message)
        if links:
            parts.append("\n".join(links))
        for button in _buttons(message):
            if button["url"]:
                parts.append(f"{button['title']}：{button['url']}")
            elif all(b["payload"] != button["payload"] for b in menu):
                menu.append({"title": button["title"], "payload": button["payload"]})
    if menu:
        parts.append(MENU_PREFIX + MENU_SEPARATOR.join(f"{i} {b['title']}" for i, b in enumerate(menu, 1)))
    return PARAGRAPH.join(p for p in parts if p), menu


def without_menus(text: str) -> str:
    """A kept reply without its numbered lines: it goes out with a newer reply, whose menu is the one that counts."""
    return PARAGRAPH.join(p for p in text.split(PARAGRAPH) if not p.startswith(f"{MENU_PREFIX}1 "))


def menu_choice(text: str, menu: list[Button]) -> str | None:
    """The payload of the button a reply of just its number picks ("2", "２", " 2 ", "2."), else None."""
    folded = text.translate(_FULL_WIDTH_DIGITS).strip().rstrip(".。、")
    if folded.isascii() and folded.isdigit() and 1 <= int(folded) <= len(menu):
        return menu[int(folded) - 1]["payload"]
    return None


def _utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _hard_split(text: str, limit: int) -> list[str]:
    pieces, current = [], ""
    for char in text:
        if current and _utf8_len(current + char) > limit:
            pieces.append(current)
            current = ""
        current += char
    return pieces + ([current] if current else [])


def split(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` UTF-8 bytes, in order: cut between paragraphs, else lines, else characters."""
    if _utf8_len(text) <= limit:
        return [text] if text else []
    pieces: list[str] = []
    for separator in (PARAGRAPH, "\n"):
        if separator in text:
            current = ""
            for unit in text.split(separator):
                candidate = f"{current}{separator}{unit}" if current else unit
                if _utf8_len(candidate) <= limit:
                    current = candidate
                    continue
                if current:
                    pieces.append(current)
                current = ""
                if _utf8_len(unit) <= limit:
                    current = unit
                else:
                    pieces.extend(split(unit, limit))
            return pieces + ([current] if current else [])
    return _hard_split(text, limit)
