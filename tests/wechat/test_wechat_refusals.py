"""Requests WeChat did not sign, or bodies no WeChat server sends: refused with a status, nothing reaches Rasa."""

from __future__ import annotations

import time
import urllib.parse

import pytest

from tests.wechat.conftest import ACCOUNT, new_openid
from tests.wechat.wechat_side import http, message_xml, sha1_sorted

pytestmark = pytest.mark.stack

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE xml [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xml><ToUserName>gh_0123456789ab</ToUserName><FromUserName>{openid}</FromUserName><CreateTime>{now}</CreateTime>
<MsgType>text</MsgType><Content>&lol9;</Content><MsgId>7001</MsgId></xml>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><ToUserName>gh_0123456789ab</ToUserName><FromUserName>{openid}</FromUserName><CreateTime>{now}</CreateTime>
<MsgType>text</MsgType><Content>&xxe;</Content><MsgId>7002</MsgId></xml>"""


def test_url_check_with_a_bad_signature_or_a_stale_timestamp_is_refused(wechat):
    good = wechat.public.signed_query()
    bad = {**good, "signature": "0" * 40, "echostr": "123"}
    assert wechat.public.verify_url("123", timestamp=int(good["timestamp"])).status == 200
    answer = http("GET", f"{wechat.public.url}?{urllib.parse.urlencode(bad)}")
    assert answer.status == 403 and "123" not in answer.body
    assert wechat.public.verify_url("123", timestamp=int(time.time()) - 3600).status == 403
    assert wechat.public.verify_url("123", timestamp=int(time.time()) + 3600).status == 403


def test_messages_with_bad_signatures_or_stale_timestamps_are_refused(wechat):
    openid = new_openid()
    xml = message_xml(openid, ACCOUNT, "text", msg_id=7101, Content="珲春社保局电话")
    forged = {**wechat.rasa.signed_query(), "signature": sha1_sorted("not-the-token", "1", "2")}
    assert wechat.rasa.post(xml, query=forged).status == 403
    stale = wechat.rasa.signed_query(timestamp=int(time.time()) - 3600)
    assert wechat.rasa.post(xml, query=stale).status == 403
    assert wechat.rasa.post(xml, safe=True, query=stale).status == 403
    # signed right, but the encrypted part's msg_signature is not
    answer = wechat.rasa.post(xml, safe=True)
    assert answer.status == 200  # the control: the same message, properly signed, is served
    assert wechat.user_texts(openid) == ["珲春社保局电话"]


def test_a_wrong_msg_signature_or_another_appid_is_refused(wechat):
    openid = new_openid()
    xml = message_xml(openid, ACCOUNT, "text", msg_id=7201, Content="珲春社保局电话")
    query = wechat.rasa.signed_query()
    encrypt = ACCOUNT.encrypt(xml)
    envelope = f"<xml><ToUserName>{ACCOUNT.original_id}</ToUserName><Encrypt>{encrypt}</Encrypt></xml>"
    wrong = {**query, "encrypt_type": "aes", "msg_signature": sha1_sorted("x", query["timestamp"], encrypt)}
    assert wechat.rasa.post(envelope, query=wrong).status == 403
    other = ACCOUNT.encrypt(xml, app_id="wx0000000000000000")
    envelope = f"<xml><ToUserName>{ACCOUNT.original_id}</ToUserName><Encrypt>{other}</Encrypt></xml>"
    signed = {**query, "encrypt_type": "aes",
              "msg_signature": sha1_sorted(ACCOUNT.token, query["timestamp"], query["nonce"], other)}
    assert wechat.rasa.post(envelope, query=signed).status == 403
    assert wechat.user_texts(openid) == []


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
@pytest.mark.parametrize("safe", [False, True], ids=["plaintext", "safe"])
def test_entity_payloads_are_refused(wechat, payload, safe):
    openid = new_openid()
    answer = wechat.public.post(payload.format(openid=openid, now=int(time.time())), safe=safe)
    assert answer.status == 400
    assert "root:" not in answer.body and "lollol" not in answer.body
    assert wechat.user_texts(openid) == []


def test_malformed_and_incomplete_messages_are_refused(wechat):
    openid = new_openid()
    now = int(time.time())
    bodies = [
        "<xml><ToUserName>gh_1</ToUserName><FromUserName>",  # cut off
        "not xml at all",
        "",
        f"<message><FromUserName>{openid}</FromUserName></message>",  # another root
        f"<xml><ToUserName>gh_1</ToUserName><CreateTime>{now}</CreateTime><MsgType>text</MsgType>"
        "<Content>珲春</Content><MsgId>7301</MsgId></xml>",  # no FromUserName
        message_xml(openid, ACCOUNT, "text", msg_id=7302),  # text without Content
        message_xml(openid, ACCOUNT, "location", msg_id=7303, Location_X="北纬", Location_Y="130.3"),
        message_xml(openid, ACCOUNT, "location", msg_id=7304, Location_X="142.8", Location_Y="130.3"),
        message_xml(openid, ACCOUNT, "text", msg_id=7305, Content="a").replace(f"<CreateTime>{now}", "<CreateTime>x"),
    ]
    for body in bodies:
        assert wechat.rasa.post(body).status == 400, body
    assert wechat.rasa.post("<xml><ToUserName>gh_1</ToUserName>", safe=True).status == 400
    assert wechat.user_texts(openid) == []


def test_oversized_bodies_get_413_on_both_origins(wechat):
    openid = new_openid()
    xml = message_xml(openid, ACCOUNT, "text", msg_id=7401, Content="珲" * 6000)  # 18 KB of UTF-8
    assert wechat.public.post(xml).status == 413
    assert wechat.rasa.post(xml).status == 413
    assert wechat.user_texts(openid) == []
