"""Personal data in the running stack: numbers typed into any channel are masked before Rasa stores anything (the
tracker store's raw rows, the logs), the reply says they are not needed; "删除我的聊天记录" deletes the conversation
after the citizen confirms; POST /api/forget deletes one; retention removes idle conversations while Rasa runs;
/metrics reports it all. (WeChat: tests/wechat/test_wechat_privacy.py; PostgreSQL: tests/scale.)"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest

from tests.stack import ROOT

pytestmark = pytest.mark.stack

TRACKER_DB = ROOT / "var" / "rasa" / "tracker.db"
NOT_NEEDED = "不需要身份证号、手机号、银行卡号"
HUNCHUN = "0433-7512409"
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def call(url: str, body: Any = None, token: str = "", method: str | None = None) -> tuple[int, Any]:
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310 - 127.0.0.1
            raw = resp.read()
            status = resp.status
    except urllib.error.HTTPError as err:
        raw, status = err.read(), err.code
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


def chat(stack: Any, sender: str, message: str) -> str:
    status, body = call(f"{stack.web_url}/api/chat", {"sender": sender, "message": message})
    assert status == 200, body
    return "\n".join(r["text"] + " " + " ".join(b["payload"] for b in r["buttons"]) for r in body["replies"])


def rest(stack: Any, sender: str, message: str) -> str:
    status, body = call(f"{stack.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": message})
    assert status == 200, body
    return "\n".join((m.get("text") or "") + " " + " ".join(b["payload"] for b in m.get("buttons", [])) for m in body)


def rows(sender: str) -> list[str]:
    """Every stored event of the conversation: the raw `data` column (Chinese as \\u escapes) and the same
    decoded."""
    with sqlite3.connect(f"file:{TRACKER_DB}?mode=ro", uri=True, timeout=10) as conn:
        raw = [r[0] for r in conn.execute("SELECT data FROM events WHERE sender_id = ?", (sender,))]
    return [f"{r}\n{json.dumps(json.loads(r), ensure_ascii=False)}" for r in raw]


def numbers() -> dict[str, str]:
    """Numbers no other test uses: a 身份证号, a mobile, a bank card (unique digits per call)."""
    tail = f"{uuid.uuid4().int % 10**4:04d}"
    return {"id": f"22010219880203{tail}", "mobile": f"1391234{tail}", "card": f"622202100011{tail}567"}


def digits_gone(texts: list[str], secrets: dict[str, str]) -> None:
    blob = re.sub(r"[\s\-\u3000]", "", "\n".join(texts))  # also when written in groups
    for value in secrets.values():
        assert value not in blob and value.translate(FULL) not in blob


def test_numbers_typed_into_the_web_app_and_the_rest_channel_are_never_stored(stack):
    web_sender, rest_sender = f"priv-web-{uuid.uuid4().hex[:8]}", f"priv-rest-{uuid.uuid4().hex[:8]}"
    web_numbers, rest_numbers = numbers(), numbers()
    reply = chat(stack, web_sender, f"我身份证号{web_numbers['id']}，电话{web_numbers['mobile']}，珲春社保局电话多少")
    assert NOT_NEEDED in reply and HUNCHUN in reply
    m, c = rest_numbers["mobile"], rest_numbers["card"]
    reply = rest(stack, rest_sender, f"手机 {m[:3]} {m[3:7]} {m[7:]}，卡号{c[:4]}-{c[4:8]}-{c[8:12]}-{c[12:]}，"
                                     f"身份证{rest_numbers['id']}".translate(FULL) + "，网上怎么申请")
    assert NOT_NEEDED in reply and "wssb.jlsi.jl.gov.cn" in reply
    reply = rest(stack, rest_sender, rest_numbers["mobile"])  # a message that is only a number
    assert NOT_NEEDED in reply
    web_rows, rest_rows = rows(web_sender), rows(rest_sender)
    assert any("[身份证号]" in r and "[手机号]" in r for r in web_rows)
    assert any("[银行卡号]" in r for r in rest_rows)
    digits_gone(web_rows, web_numbers)
    digits_gone(rest_rows, rest_numbers)
    logs = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in (ROOT / "logs").glob("*.log"))
    digits_gone([logs], {**web_numbers, **{k + "2": v for k, v in rest_numbers.items()}})


def test_numbers_added_through_rasas_http_api_are_masked_too(stack):
    sender = f"priv-api-{uuid.uuid4().hex[:8]}"
    secret = numbers()
    status, _ = call(f"{stack.rasa_url}/conversations/{sender}/messages?token={stack.rasa_token}",
                     {"text": f"我的手机{secret['mobile']}", "sender": "user"})
    assert status == 200
    event = {"event": "user", "text": f"身份证{secret['id']}", "parse_data": {"text": f"身份证{secret['id']}",
                                                                           "intent": {"name": "greet"}}}
    status, _ = call(f"{stack.rasa_url}/conversations/{sender}/tracker/events?token={stack.rasa_token}", event)
    assert status == 200
    stored = rows(sender)
    assert any("[手机号]" in r for r in stored) and any("[身份证号]" in r for r in stored)
    digits_gone(stored, secret)


def test_asking_to_delete_then_confirming_deletes_the_conversation(stack):
    sender = f"priv-del-{uuid.uuid4().hex[:8]}"
    assert HUNCHUN in chat(stack, sender, "珲春社保局电话")
    offer = chat(stack, sender, "把我的聊天记录删了")
    assert "确认删除吗" in offer and "/confirm_deletion" in offer
    assert len(rows(sender)) > 0
    done = chat(stack, sender, "/confirm_deletion")
    assert "聊天记录已经删除" in done
    assert rows(sender) == []  # not even the confirmation was stored
    status, body = call(f"{stack.web_url}/api/forget", {"sender": sender})
    assert (status, body) == (200, {"deleted": True})  # deleted before: harmless
    assert "聊天记录已经删除" not in chat(stack, sender, "/confirm_deletion")  # no offer before it: asks first


def test_declining_keeps_the_records_and_a_yes_elsewhere_deletes_nothing(stack):
    sender = f"priv-keep-{uuid.uuid4().hex[:8]}"
    assert "确认删除吗" in rest(stack, sender, "删除我的聊天记录")
    assert "不删除" in rest(stack, sender, "/deny")
    before = len(rows(sender))
    assert HUNCHUN in rest(stack, sender, "珲春社保局电话")
    rest(stack, sender, "好的")  # a yes, but not to the offer
    assert len(rows(sender)) > before


def test_api_forget_deletes_a_conversation_and_tells_unknown_from_bad(stack):
    sender = f"priv-api-forget-{uuid.uuid4().hex[:8]}"
    assert HUNCHUN in chat(stack, sender, "珲春社保局电话")
    assert rows(sender)
    assert call(f"{stack.web_url}/api/forget", {"sender": sender}) == (200, {"deleted": True})
    assert rows(sender) == []
    assert call(f"{stack.web_url}/api/forget", {"sender": sender}) == (200, {"deleted": True})
    status, body = call(f"{stack.web_url}/api/forget", {"sender": f"never-{uuid.uuid4().hex[:8]}"})
    assert status == 404 and body["error"]
    status, body = call(f"{stack.web_url}/api/forget", {"sender": "bad sender!"})
    assert status == 400 and "会话编号" in body["error"]
    status, body = call(f"{stack.web_url}/api/forget", {"sender": sender, "all": True})
    assert status == 400


def test_retention_removes_idle_conversations_while_rasa_runs_and_metrics_report_it(stack):
    idle, active = f"priv-idle-{uuid.uuid4().hex[:8]}", f"priv-active-{uuid.uuid4().hex[:8]}"
    for sender in (idle, active):
        assert HUNCHUN in chat(stack, sender, "珲春社保局电话")
    with sqlite3.connect(TRACKER_DB, timeout=30) as conn:  # as if the idle one had last talked 200 days ago
        conn.execute("UPDATE events SET timestamp = timestamp - ? WHERE sender_id = ?", (200 * 86400, idle))
    proc = subprocess.run([sys.executable, "-m", "records", "purge"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={"PATH": "/usr/bin:/bin", "TRACKER_DB": str(TRACKER_DB),
                                            "RETENTION_DAYS": "180", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"})
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"retention \(180 days\): removed [1-9]\d* conversations", proc.stderr)
    assert rows(idle) == [] and rows(active)
    assert "0433-7512409" in chat(stack, active, "电话再说一遍")  # Rasa goes on with the others

    status, text = call(f"{stack.web_url}/metrics", method="GET")
    assert status == 200 and isinstance(text, str)
    assert re.search(r'jl_http_requests_total\{method="POST",route="/api/chat",status="200"\} [1-9]', text)
    assert re.search(r"jl_chat_request_seconds_count [1-9]", text)
    assert re.search(r'jl_service_up\{service="rasa-1"\} 1\.0', text)
    assert re.search(r'jl_service_up\{service="actions"\} 1\.0', text)
    assert re.search(r'jl_parse_cache_(hits|misses)_total\{worker="1"\} [1-9]', text)
    assert re.search(r'jl_rasa_turns_total\{worker="1"\} [1-9]', text)
    assert re.search(r'jl_retention_deleted_total\{kind="conversations"\} [1-9]', text)
    assert re.search(r'jl_deletions_on_request_total\{worker="\d"\}', text)
