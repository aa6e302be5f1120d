"""Turn Rasa's bot messages into the widget's reply format: {text, buttons:[{title,payload}], links:[{title,url}]},
plus `degraded: <reason>` on a reply that stands in for an answer (the REST channel's apology, flagged there as
`custom.degraded`, or this app's own when Rasa sent nothing to show). The widget shows only text, buttons and
links; the flag is for whoever counts failed turns (soak test, benchmark, monitoring)."""

from __future__ import annotations

import re
from typing import Any

import guide

URL_RE = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
PHONE_RE = re.compile(r"(?<![\d-])0\d{2,3}-\d{7,8}(?![\d-])")
_TRAILING = ".,;:!?)]'"

PROVINCE_PHONE = "0431-85821827"
EMPTY_ANSWER = (
    "抱歉，我暂时无法回答这个问题。您可以换个说法再问，"
    f"或拨打吉林省社会保险局咨询电话 {PROVINCE_PHONE}。"
)


def _clean_url(url: str) -> str:
    while url and url[-1] in _TRAILING:
        url = url[:-1]
    return url


def _is_http_url(value: Any) -> bool:
    return isinstance(value, str) and bool(re.match(r"^https?://[^\s<>\"]+$", value))


def find_urls(text: str) -> list[str]:
    seen: list[str] = []
    for m in URL_RE.finditer(text):
        url = _clean_url(m.group(0))
        if url and url not in seen:
            seen.append(url)
    return seen


def find_phones(text: str) -> list[str]:
    return list(dict.fromkeys(PHONE_RE.findall(text)))


def _buttons(raw: Any) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if not isinstance(raw, list):
        return out
    for b in raw:
        if isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str):
            out.append({"title": b["title"][:100], "payload": b["payload"][:500]})
    return out


def _links(message: dict[str, Any], text: str) -> list[dict[str, str]]:
    links = [{"title": url, "url": url} for url in find_urls(text)]
    custom = message.get("custom")
    if isinstance(custom, dict) and isinstance(custom.get("links"), list):
        for link in custom["links"]:
            if isinstance(link, dict) and _is_http_url(link.get("url")):
                title = link.get("title") if isinstance(link.get("title"), str) else link["url"]
                links.append({"title": title[:100], "url": link["url"]})
    if _is_http_url(message.get("image")):
        links.append({"title": "查看图片", "url": message["image"]})
    return links


def degraded_reason(message: dict[str, Any]) -> str | None:
    """The reason a bot message is a stand-in for an answer (channels/guarded_rest.py sets it), else None."""
    custom = message.get("custom")
    reason = custom.get("degraded") if isinstance(custom, dict) else None
    return reason[:40] if isinstance(reason, str) and reason else None


def format_replies(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    replies: list[dict[str, Any]] = []
    for message in messages:
        text = message.get("text") if isinstance(message.get("text"), str) else ""
        reply: dict[str, Any] = {"text": text, "buttons": _buttons(message.get("buttons")),
                                 "links": _links(message, text)}
        if reply["text"] or reply["buttons"] or reply["links"]:
            reason = degraded_reason(message)
            if reason:
                reply["degraded"] = reason
            replies.append(reply)
    if not replies:
        replies.append({"text": EMPTY_ANSWER, "buttons": [], "links": [], "degraded": "no_reply"})
    return replies


def answer_text(replies: list[dict[str, Any]]) -> str:
    """The answer as one text, as a hotline worker would read or copy it."""
    return "\n\n".join(r["text"] for r in replies if r.get("text"))


def read_aloud(text: str) -> str:
    """The answer as an agent reads it to a caller: without the 依据 lines (the guide's section is for the agent)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(guide.BASIS)).strip()
