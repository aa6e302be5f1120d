"""Validation of JSON request bodies. Every failure is an `InvalidInput` with a Chinese message for the user."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.errors import ReadableError

SENDER_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
CONSOLE_SENDER_PREFIX = "console_"
_ALLOWED_CONTROL = {"\n", "\r", "\t"}
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class InvalidInput(ReadableError, ValueError):
    """Bad input from the client: the error middleware answers `status` with the message."""

    status = 400


@dataclass(frozen=True)
class ChatRequest:
    sender: str
    message: str


def json_depth(value: Any, limit: int) -> int:
    """Nesting depth of a decoded JSON value, counting stops once `limit` is passed (no deep recursion)."""
    depth, level = 0, [value]
    while level:
        depth += 1
        if depth > limit:
            return depth
        nxt: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                nxt.extend(item.values())
            elif isinstance(item, list):
                nxt.extend(item)
        level = nxt
    return depth - 1 if depth else 0


def parse_json_object(body: bytes, max_depth: int) -> dict[str, Any]:
    """Decode a request body that must be one JSON object of limited nesting depth."""
    if not body.strip():
        raise InvalidInput("请求内容为空，请发送 JSON 格式的数据。")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput("请求内容不是有效的 UTF-8 编码。") from exc
    if _raw_nesting(text) > max_depth:
        raise InvalidInput("JSON 嵌套层级过深。")
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise InvalidInput("JSON 嵌套层级过深。") from exc
    except ValueError as exc:
        raise InvalidInput("请求内容不是有效的 JSON。") from exc
    if not isinstance(data, dict):
        raise InvalidInput("请求内容必须是 JSON 对象。")
    if json_depth(data, max_depth) > max_depth:
        raise InvalidInput("JSON 嵌套层级过深。")
    return data


def _raw_nesting(text: str) -> int:
    """Cheap upper bound of bracket nesting outside strings, checked before json.loads recurses."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def check_text(value: Any, field: str, label: str, max_chars: int) -> str:
    """A user-typed text: a non-empty string, at most `max_chars`, without control characters."""
    if value is None:
        raise InvalidInput(f"缺少字段 {field}（{label}）。")
    if not isinstance(value, str):
        raise InvalidInput(f"字段 {field}（{label}）必须是字符串。")
    if not value.strip():
        raise InvalidInput(f"{label}不能为空。")
    if len(value) > max_chars:
        raise InvalidInput(f"{label}过长，最多 {max_chars} 个字。")
    for ch in value:
        cat = unicodedata.category(ch)
        if (cat == "Cc" and ch not in _ALLOWED_CONTROL) or cat == "Cs" or ch in _BIDI_CONTROLS:
            raise InvalidInput(f"{label}包含不允许的控制字符。")
    return value.strip()


def check_sender(value: Any, *, allow_console: bool = False) -> str:
    if value is None:
        raise InvalidInput("缺少字段 sender（会话编号）。")
    if not isinstance(value, str):
        raise InvalidInput("字段 sender（会话编号）必须是字符串。")
    if not SENDER_RE.fullmatch(value):
        raise InvalidInput("会话编号格式不正确：只能包含字母、数字、下划线和连字符，最长 64 个字符。")
    if not allow_console and value.lower().startswith(CONSOLE_SENDER_PREFIX):
        raise InvalidInput("会话编号不能以 console_ 开头（该前缀保留给坐席工作台）。")
    return value


def check_no_unknown(data: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidInput(f"不支持的字段：{', '.join(k[:32] for k in unknown[:5])}。")


def parse_chat_request(data: dict[str, Any], max_chars: int) -> ChatRequest:
    check_no_unknown(data, {"sender", "message"})
    sender = check_sender(data.get("sender"))
    message = check_text(data.get("message"), "message", "消息", max_chars)
    return ChatRequest(sender=sender, message=message)


@dataclass(frozen=True)
class FeedbackRequest:
    sender: str
    helpful: bool | None = None
    rating: int | None = None  # 5 非常满意 … 1 非常不满意
    comment: str | None = None


MAX_COMMENT_CHARS = 200


def parse_feedback_request(data: dict[str, Any]) -> FeedbackRequest:
    """{"sender", "helpful": true|false} or {"sender", "rating": 1..5, "comment": optional, ≤200 chars}."""
    check_no_unknown(data, {"sender", "helpful", "rating", "comment"})
    sender = check_sender(data.get("sender"))
    if ("helpful" in data) == ("rating" in data):
        raise InvalidInput("请提交 helpful（有用 true / 没用 false）或 rating（1 到 5 分）二者之一。")
    if "helpful" in data:
        if "comment" in data:
            raise InvalidInput("评价内容（comment）只能随五级评价（rating）一起提交。")
        if not isinstance(data["helpful"], bool):
            raise InvalidInput("字段 helpful 必须是 true 或 false。")
        return FeedbackRequest(sender, helpful=data["helpful"])
    rating = data["rating"]
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput("评分 rating 必须是 1 到 5 之间的整数（5 非常满意 … 1 非常不满意）。")
    comment = data.get("comment")
    if comment is None or (isinstance(comment, str) and not comment.strip()):
        return FeedbackRequest(sender, rating=rating)
    return FeedbackRequest(sender, rating=rating,
                           comment=check_text(comment, "comment", "评价内容", MAX_COMMENT_CHARS))
