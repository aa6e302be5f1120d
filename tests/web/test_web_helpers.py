"""Small modules of bot/: masking, rate limiter, validation, reply formatting, guide sections, settings, session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot import keys
from bot.app import create_app
from bot.guide_sections import cited_passages
from bot.privacy import mask_pii
from bot.ratelimit import TokenBucketLimiter
from bot.replies import EMPTY_ANSWER, find_phones, format_replies
from bot.settings import Settings
from bot.validation import InvalidInput, json_depth, parse_json_object


@pytest.mark.parametrize(("text", "masked"), [
    ("身份证220102199001011234", "身份证[身份证号]"),
    ("手机 138 1234 5678", "手机 [手机号]"),
    ("卡号6222 0212 3456 7890 123", "卡号[银行卡号]"),
    ("珲春社保局0433-7512409", "珲春社保局0433-7512409"),
    ("", ""),
])
def test_mask_pii(text: str, masked: str) -> None:
    """The web app masks with the one module (privacy; its own tests: tests/unit/test_privacy.py)."""
    assert mask_pii(text) == masked


def test_token_bucket_refills_and_bounds_memory() -> None:
    now = [0.0]
    limiter = TokenBucketLimiter(rate_per_min=60, burst=2, max_keys=3, clock=lambda: now[0])
    assert [limiter.check("a") for _ in range(3)] == [0.0, 0.0, pytest.approx(1.0)]
    now[0] = 1.0
    assert limiter.check("a") == 0.0
    for key in "bcdef":
        limiter.check(key)
    assert len(limiter) == 3
    assert TokenBucketLimiter(0, 1).check("x") == 0.0 and not TokenBucketLimiter(0, 1).enabled


def test_json_depth() -> None:
    assert json_depth({"a": 1}, 10) == 1
    assert json_depth({"a": [{"b": 1}]}, 10) == 3
    assert json_depth([[[[[[[]]]]]]], 3) == 4  # stops counting past the limit


@pytest.mark.parametrize("raw", [b"[" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
                                 b'{"s": "' + b"[" * 5000 + b'"}'])
def test_parse_json_object_deep_or_tricky(raw: bytes) -> None:
    if raw.startswith(b'{"s"'):
        assert parse_json_object(raw, 4) == {"s": "[" * 5000}  # brackets inside strings do not count
    else:
        with pytest.raises(InvalidInput, match="嵌套"):
            parse_json_object(raw, 4)


def test_format_replies() -> None:
    replies = format_replies([
        {"recipient_id": "x", "text": "网址：http://wssb.jlsi.jl.gov.cn:8001，电话 0433-7512409。",
         "buttons": [{"title": "是", "payload": "/affirm"}, {"title": 1, "payload": "/x"}, "junk"]},
        {"recipient_id": "x", "custom": {"links": [{"title": "平台", "url": "https://www.ccshbx.org.cn/"},
                                                    {"title": "坏", "url": "javascript:alert(1)"}]}},
        {"recipient_id": "x", "image": "http://jlsi.jl.gov.cn/r/cms/ssb/default/images/app1.png"},
        {"recipient_id": "x", "custom": {"something": "else"}},
    ])
    assert replies[0]["links"] == [{"title": "http://wssb.jlsi.jl.gov.cn:8001", "url": "http://wssb.jlsi.jl.gov.cn:8001"}]
    assert replies[0]["buttons"] == [{"title": "是", "payload": "/affirm"}]
    assert replies[1] == {"text": "", "buttons": [], "links": [{"title": "平台", "url": "https://www.ccshbx.org.cn/"}]}
    assert replies[2]["links"][0]["title"] == "查看图片"
    assert len(replies) == 3
    assert not any("degraded" in r for r in replies)  # real answers carry no flag
    assert format_replies([]) == [{"text": EMPTY_ANSWER, "buttons": [], "links": [], "degraded": "no_reply"}]
    assert find_phones("拨打0433-7512409或0431-85821827，不是10433-75124090") == ["0433-7512409", "0431-85821827"]


def test_format_replies_keeps_the_degraded_flag_of_the_channel() -> None:
    apology = "抱歉，系统暂时无法完成这次查询，请稍后再试；也可以拨打吉林省社会保险局咨询电话 0431-85821827。"
    replies = format_replies([
        {"recipient_id": "x", "text": "好的"},
        {"recipient_id": "x", "text": apology, "custom": {"degraded": "action_failed"}},
    ])
    assert replies[0] == {"text": "好的", "buttons": [], "links": []}
    assert replies[1] == {"text": apology, "buttons": [], "links": [], "degraded": "action_failed"}
    # only a non-empty string counts; a reply nobody can show is dropped and the app's own stand-in is flagged
    assert "degraded" not in format_replies([{"text": "好的", "custom": {"degraded": 1}}])[0]
    assert format_replies([{"custom": {"degraded": "no_reply"}}])[0]["degraded"] == "no_reply"


def test_citations_and_sections(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    text = ("答复……\n依据：《失业保险金申领指南》三、网上申领（二）吉林掌上社保APP\n"
            "依据：《失业保险金申领指南》一、申领范围")
    app, scope = cited_passages(text)
    assert app.citation == "《失业保险金申领指南》三、网上申领（二）吉林掌上社保APP"
    assert scope.citation == "《失业保险金申领指南》一、申领范围" and "失业人员" in scope.excerpt
    assert "吉林掌上社保" in app.excerpt and "[image" not in app.excerpt
    (cc,) = cited_passages("依据：《失业保险金申领指南》三、网上申领（3）长春市失业人员申领")
    assert "ccshbx" in cc.excerpt
    # an answer citing two sections on one line gives the console both
    online, onsite = cited_passages("……\n依据：《失业保险金申领指南》三、网上申领；四、现场申领")
    assert "wssb.jlsi.jl.gov.cn:8001" in online.excerpt
    assert "身份证件" in onsite.excerpt and "0433-7512409" not in onsite.excerpt
    (table,) = cited_passages("依据：《失业保险金申领指南》四、现场申领（咨询电话表）", limit=5000)
    assert "0433-7512409" in table.excerpt and "0431-85821827" in table.excerpt
    (focused,) = cited_passages("电话 0433-7512409\n依据：《失业保险金申领指南》四、现场申领（咨询电话表）",
                                focus=["0433-7512409"])
    assert "0433-7512409" in focused.excerpt and "0434-5106000" not in focused.excerpt
    assert cited_passages("没有章节") == []
    monkeypatch.setenv("GUIDE_PATH", str(tmp_path / "nonexistent.txt"))
    (unreadable,) = cited_passages("依据：《失业保险金申领指南》二、申领条件")
    assert unreadable.citation.endswith("二、申领条件") and unreadable.excerpt == ""


def test_settings_from_env() -> None:
    s = Settings.from_env({"RASA_URL": "http://rasa:5005/", "ALLOWED_ORIGINS": "https://a.gov.cn, https://b.gov.cn/",
                           "RATE_LIMIT_PER_MIN": "0", "TRUST_PROXY": "yes", "VAR_DIR": "/tmp/x"})
    assert s.rasa_url == "http://rasa:5005"
    assert s.allowed_origins == {"https://a.gov.cn", "https://b.gov.cn"}
    assert s.rate_per_min == 0 and s.trust_proxy
    assert s.tracker_db == Path("/tmp/x/rasa/tracker.db")
    defaults = Settings.from_env({})
    assert (defaults.port, defaults.rasa_url, defaults.actions_url) == (8000, "http://127.0.0.1:5005",
                                                                       "http://127.0.0.1:5055")
    with pytest.raises(ValueError, match="BOT_PORT"):
        Settings.from_env({"BOT_PORT": "eighty"})


async def test_one_client_session_per_app_closed_on_cleanup(aiohttp_client: Any, base_settings: Settings) -> None:
    app = create_app(base_settings)
    assert keys.HTTP_SESSION not in app  # not created at import or construction time
    client = await aiohttp_client(app)
    session = app[keys.HTTP_SESSION]
    assert isinstance(session, aiohttp.ClientSession) and not session.closed
    assert session.timeout.total == base_settings.rasa_timeout
    for _ in range(3):
        await client.post("/api/chat", data=json.dumps({"sender": "web_1", "message": "珲春"}),
                          headers={"Content-Type": "application/json"})
    assert app[keys.HTTP_SESSION] is session
    await client.close()
    assert session.closed
