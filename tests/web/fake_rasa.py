"""A small fake of Rasa (REST channel, /model/parse, /) and of the action server's /health, as one aiohttp app.

Answers are canned but use offices_kb for places, so "珲春社保局电话" gets 0433-7512409 as from the real bot; the
bureau answered is remembered per conversation ("电话再说一遍" repeats it), and "转人工" gets a 咨询编号 stored as the
action server stores it. With `tracker_db` every turn is written there as Rasa's SQL tracker store writes it
(user event, slots, bot events), for the console and the ratings to read.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from citizen import read_facts
from stores import handoff
from stores.db import make_engine, sqlite_url
from stores.schema import ensure
from tests.web.tracker_db import make_tracker, turn

GUIDE = "依据：《失业保险金申领指南》"
DEGRADED_TEXT = "抱歉，系统暂时无法完成这次查询，请稍后再试；也可以拨打吉林省社会保险局咨询电话 0431-85821827。"
CALL = "吉林省社会保险局：0431-85821827"
QUICK = [{"title": "申领条件", "payload": "/ask_eligibility"}, {"title": "网上申领", "payload": "/ask_online_apply"}]
CANNED: dict[str, dict[str, Any]] = {
    "/ask_eligibility": {"text": "申领失业保险金需要同时满足两个条件：\n"
                                 "1. 依法参加失业保险，单位和本人按规定缴费满1年；\n"
                                 f"2. 非因本人意愿中断就业。\n{GUIDE}二、申领条件"},
    "/ask_online_apply": {"text": "网上申领：登录“吉林省社会保险网上经办系统” http://wssb.jlsi.jl.gov.cn:8001，"
                                  f"选择“个人用户”，进入“失业金申领”模块。\n{GUIDE}三、网上申领（一）吉林省社会保险网上经办系统",
                          "buttons": [{"title": "怎么上传附件", "payload": "/ask_online_attachment"}]},
    "/ask_onsite_apply": {"text": "请携带有效身份证件到失业保险最后参保地社会保险局申领。\n"
                                  f"{GUIDE}四、现场申领"},
    "/find_bureau": {"text": "请问您最后在哪个市、县（区）参保？例如：珲春、九台、前郭。"},
    # a long answer (taller than the widget's message area): the browser tests check it is shown from its start
    "网上申领的步骤": {"text": "网上申领：登录“吉林省社会保险网上经办系统”办理。\n"
                               "1. 打开 http://wssb.jlsi.jl.gov.cn:8001，选择“个人用户”，没注册的先点“注册”，已注册的直接登录；\n"
                               "2. 点击进入“失业金申领”模块，填写带*的必填信息，"
                               "点击“同步社会保障卡信息”，确认无误后保存；\n"
                               "3. 进入“失业金申领列表”页面，点击“附件”，上传附件；\n"
                               "4. 点击“上报”，等待社会保险局审核结果；\n"
                               "5. 上报完成后，点击“同步审批结果”，关注审批结果。\n"
                               "也可以用“吉林掌上社保”APP申领；长春市失业人员还可以用“长春市社会保险公共服务平台”、"
                               "“长春社会保险”微信公众号或小程序。忘记密码、登录不上等问题《指南》没有说明，"
                               "请咨询吉林省社会保险局 0431-85821827。\n"
                               f"{GUIDE}三、网上申领（一）吉林省社会保险网上经办系统",
                       "buttons": [{"title": "注册登录", "payload": "/ask_online_register"},
                                   {"title": "填写信息", "payload": "/ask_online_fill"},
                                   {"title": "上传附件", "payload": "/ask_online_attachment"},
                                   {"title": "上报和结果", "payload": "/ask_online_submit"},
                                   {"title": "手机APP", "payload": "/ask_app"}]},
}


def _kb() -> Any:
    import offices_kb

    return offices_kb


def _story(message: str) -> dict[str, Any]:
    """Slots of the facts a message tells (citizen.read_facts, as actions/case.py remembers them)."""
    if message.startswith("/"):
        return {}
    facts = read_facts(message, _kb().mentions, outside=lambda text: _kb().lookup(text).status == "outside_jilin")
    slots: dict[str, Any] = {}
    if facts.duration:
        slots.update(contribution_months=facts.duration.months, contribution_said=facts.duration.words)
    if facts.leave_reason:
        slots["leave_reason"] = facts.leave_reason
    if facts.places.insured:
        slots["insured_place"] = facts.places.insured.text
    return slots


@dataclass
class FakeRasa:
    token: str = "fake-rasa-token"
    mode: str = "ok"  # ok | error | bad_json | slow | empty | degraded
    delay: float = 8.0
    actions_up: bool = True
    calls: list[dict[str, Any]] = field(default_factory=list)
    parse_calls: list[dict[str, Any]] = field(default_factory=list)
    forgotten: set[str] = field(default_factory=set)
    tracker_db: Path | None = None
    slots: dict[str, dict[str, Any]] = field(default_factory=dict)  # per sender: the bureau last answered

    def respond(self, sender: str, message: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The bot's messages and the slots the turn sets."""
        known = self.slots.setdefault(sender, {})
        if ("人工" in message or "投诉" in message) and self.tracker_db is not None:
            engine = make_engine(sqlite_url(self.tracker_db))
            ensure(engine)  # as the action server does on its first call
            code = handoff.code_for(engine, sender, time.time(), 7).code
            return [{"text": f"这里是自动问答助手，没有转人工服务。需要人工咨询，请拨打{CALL}。\n"
                             f"咨询编号：{code}（有效期7天）。打电话时报上这个编号，工作人员就能看到您和我的这段对话。\n"
                             f"{GUIDE}四、现场申领（咨询电话表）"}], {}
        if "电话" in message and known and not _kb().mentions(message):
            return [{"text": f"{known['bureau_name']}的咨询电话：{known['bureau_phone']}。\n"
                             f"{GUIDE}四、现场申领（咨询电话表）"}], {}
        messages = self.answer(message)
        slots = _story(message)  # what the actions remember of a citizen's story, read the same way
        result = _kb().lookup(message) if not message.startswith("/") else None
        if result is not None and result.status == "found":
            m = result.matches[0]
            known.update(bureau_name=m.bureau, bureau_phone=m.phone, contact=f"{m.bureau}：{m.phone}")
            slots.update(known)
        return messages, slots

    def answer(self, message: str) -> list[dict[str, Any]]:
        if message in CANNED:
            return [dict(CANNED[message])]
        if message.startswith("/share_location"):
            coords = json.loads(message[len("/share_location"):])
            near = _kb().nearest(coords["latitude"], coords["longitude"], k=1)[0]
            return [{"text": f"离您最近的是{near.bureau}，咨询电话：{near.phone}。\n{GUIDE}四、现场申领（咨询电话表）"}]
        result = _kb().lookup(message)
        if result.status == "found":
            m = result.matches[0]
            return [{"text": f"{m.place}的失业保险业务由{m.bureau}办理，咨询电话：{m.phone}。\n"
                             f"{GUIDE}四、现场申领（咨询电话表）"}]
        return [{"text": "抱歉，我没有理解您的问题。您可以换个说法，或选择下面的问题。", "buttons": QUICK}]

    def parse(self, text: str) -> dict[str, Any]:
        mentions = _kb().mentions(text)
        if mentions:
            intent, conf = "find_bureau", 0.93
        elif "条件" in text:
            intent, conf = "ask_eligibility", 0.88
        else:
            intent, conf = "nlu_fallback", 0.3
        ranking = [{"name": intent, "confidence": conf}, {"name": "inform_location", "confidence": 0.04},
                   {"name": "ask_phone", "confidence": 0.02}]
        entities = [{"entity": "location", "value": m.text, "start": m.start, "end": m.end,
                     "extractor": "GazetteerEntityExtractor"} for m in mentions]
        return {"text": text, "intent": {"name": intent, "confidence": conf}, "intent_ranking": ranking,
                "entities": entities}

    async def _webhook(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.calls.append(body)
        if self.mode == "error":
            return web.Response(status=500, text="Internal Server Error")
        if self.mode == "bad_json":
            return web.Response(text="<html>not json</html>", content_type="text/html")
        if self.mode == "slow":
            await asyncio.sleep(self.delay)
        if self.mode == "empty":
            return web.json_response([])
        if self.mode == "degraded":  # what channels/guarded_rest.py answers when an action failed
            return web.json_response([{"recipient_id": body["sender"], "text": DEGRADED_TEXT,
                                       "custom": {"degraded": "action_failed"}}])
        messages, slots = self.respond(body["sender"], body["message"])
        if self.tracker_db is not None:
            make_tracker(self.tracker_db, turn(body["sender"], body["message"], self.parse(body["message"]),
                                              messages, slots))
        return web.json_response([{"recipient_id": body["sender"], **m} for m in messages])

    async def _parse(self, request: web.Request) -> web.Response:
        if request.query.get("token") != self.token:
            return web.json_response({"status": "failure", "reason": "NotAuthenticated"}, status=401)
        body = await request.json()
        self.parse_calls.append(body)
        return web.json_response(self.parse(body["text"]))

    async def _forget(self, request: web.Request) -> web.Response:
        """As channels/guarded_rest.py's /webhooks/rest/forget: known = talked before, or deleted before."""
        if request.query.get("token") != self.token:
            return web.json_response({"error": "not authorized"}, status=401)
        sender = (await request.json())["sender"]
        events = sum(1 for c in self.calls if c["sender"] == sender)
        known = bool(events) or sender in self.forgotten
        self.calls = [c for c in self.calls if c["sender"] != sender]
        if known:
            self.forgotten.add(sender)
        return web.json_response({"deleted": known, "known": known, "events": events, "feedback": 0, "handoffs": 0})

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response({"pid": 1, "turns": {"turns": len(self.calls), "fallback": 1, "low_confidence": 2,
                                                      "handoff_requests": 0, "deletions": len(self.forgotten)},
                                  "parse_cache": {"hits": 7, "misses": 3, "entries": 3, "size": 4096}})

    async def _root(self, request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa: 3.6.21")

    async def _health(self, request: web.Request) -> web.Response:
        if not self.actions_up:
            return web.json_response({"status": "down"}, status=500)
        return web.json_response({"status": "ok"})

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self._root)
        app.router.add_post("/webhooks/rest/webhook", self._webhook)
        app.router.add_post("/model/parse", self._parse)
        app.router.add_post("/webhooks/rest/forget", self._forget)
        app.router.add_get("/webhooks/rest/stats", self._stats)
        app.router.add_get("/health", self._health)
        return app
