"""Without WECHAT_TOKEN (this stack sets none) Rasa starts as before and the WeChat webhook is inert: 404 on Rasa and
on the public path, nothing of the request reaches a conversation."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.stack
PATH = "/webhooks/wechat/webhook"


def status_of(url: str, body: bytes | None = None) -> tuple[int, str]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "text/xml"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - 127.0.0.1
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_the_wechat_webhook_is_off_without_a_token(stack):
    xml = (b"<xml><ToUserName>gh</ToUserName><FromUserName>oOff</FromUserName><CreateTime>1</CreateTime>"
           b"<MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId></xml>")
    for base in (stack.rasa_url, stack.web_url):
        assert status_of(f"{base}{PATH}?signature=x&timestamp=1&nonce=1&echostr=1")[0] == 404
        assert status_of(f"{base}{PATH}?signature=x&timestamp=1&nonce=1", xml)[0] == 404
    status, body = status_of(f"{stack.rasa_url}/webhooks/wechat/")
    assert status == 200 and json.loads(body)["enabled"] is False
