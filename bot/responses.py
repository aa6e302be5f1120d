"""JSON error responses with Chinese messages."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web


def dumps(data: Any) -> str:
    """Chinese as UTF-8 characters; falls back to \\u escapes if the data holds lone surrogates."""
    text = json.dumps(data, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data)
    return text


def json_ok(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with Chinese as UTF-8 characters (not \\u escapes)."""
    return web.json_response(data, status=status, headers=headers, dumps=dumps)

STATUS_MESSAGES: dict[int, str] = {
    400: "请求无效。",
    401: "需要登录：请用工作台账号登录（或提供有效的工作台令牌）。",
    403: "禁止访问。",
    404: "您访问的地址不存在。",
    405: "不支持该请求方法。",
    406: "不支持的请求。",
    408: "请求内容接收超时，请重试。",
    411: "请求缺少内容长度。",
    413: "请求内容过大。",
    414: "请求地址过长。",
    415: "请以 JSON 格式发送（Content-Type: application/json）。",
    429: "请求过于频繁，请稍后再试。",
    431: "请求头过大。",
    500: "服务器内部错误，请稍后再试。如需帮助请拨打 0431-85821827。",
    502: "上游服务返回了错误，请稍后再试。",
    503: "服务暂时不可用，请稍后再试。如需帮助请拨打 0431-85821827。",
    504: "服务响应超时，请稍后再试。",
}


def message_for(status: int) -> str:
    return STATUS_MESSAGES.get(status, "请求无法处理。" if status < 500 else STATUS_MESSAGES[500])


def json_error(status: int, message: str | None = None, headers: dict[str, str] | None = None,
               **extra: object) -> web.Response:
    body: dict[str, object] = {"error": message or message_for(status), **extra}
    return json_ok(body, status=status, headers=headers)
