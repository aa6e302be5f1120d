"""The WeChat XML parser refuses what no WeChat server sends; replies are well-formed whatever the text holds."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - reads the module's own output

import pytest

from channels.wechat.xmlmsg import BadMessage, cdata, encrypted_reply, parse_fields, text_reply, to_incoming

TEXT = (b"<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oUser]]></FromUserName>"
        b"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        b"<Content><![CDATA[\xe7\x8f\xb2\xe6\x98\xa5 <b>&amp;</b>]]></Content><MsgId>1234567890123456</MsgId></xml>")


def test_a_text_message_is_read():
    message = to_incoming(parse_fields(TEXT))
    assert (message.to_user, message.from_user, message.create_time) == ("gh_1", "oUser", 1700000000)
    assert message.msg_type == "text" and message.msg_id == "1234567890123456"
    assert message.fields["Content"] == "珲春 <b>&amp;</b>"  # CDATA is text, not markup


def test_location_and_event_fields():
    location = to_incoming(parse_fields(
        "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime>"
        "<MsgType>location</MsgType><Location_X>43.88</Location_X><Location_Y>125.35</Location_Y>"
        "<Scale>15</Scale><Label>长春</Label><MsgId>9</MsgId></xml>".encode()))
    assert location.location == (43.88, 125.35)
    event = to_incoming(parse_fields(b"<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName>"
                                     b"<CreateTime>1</CreateTime><MsgType>event</MsgType><Event>CLICK</Event>"
                                     b"<EventKey>FIND_BUREAU</EventKey></xml>"))
    assert event.event == "click" and event.msg_id == ""


@pytest.mark.parametrize("body", [
    b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>',
    b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><C>&x;</C></xml>',
    b'<?xml version="1.0"?><!DOCTYPE xml SYSTEM "http://127.0.0.1:9/x.dtd"><xml/>',
    b"<xml><a>",
    b"",
    b"\xff\xfe<xml/>",
    b"<notxml><ToUserName>gh</ToUserName></notxml>",
    b"<xml><Content>1</Content><Content>2</Content></xml>",
    b"<xml>" + b"".join(f"<F{i}>x</F{i}>".encode() for i in range(80)) + b"</xml>",
], ids=["entity", "external-entity", "external-dtd", "cut-off", "empty", "bad-encoding", "root", "twice", "many"])
def test_refused_bodies(body):
    with pytest.raises(BadMessage):
        parse_fields(body)


@pytest.mark.parametrize("fields", [
    {"FromUserName": "o", "CreateTime": "1", "MsgType": "text", "Content": "x"},
    {"ToUserName": "gh", "FromUserName": "o", "CreateTime": "soon", "MsgType": "text", "Content": "x"},
    {"ToUserName": "gh", "FromUserName": "o", "CreateTime": "1", "MsgType": "text"},
    {"ToUserName": "gh", "FromUserName": "o", "CreateTime": "1", "MsgType": "event"},
    {"ToUserName": "gh", "FromUserName": "o", "CreateTime": "1", "MsgType": "location", "Location_X": "43"},
    {"ToUserName": "gh", "FromUserName": "o", "CreateTime": "1", "MsgType": "location", "Location_X": "nan",
     "Location_Y": "125"},
    {"ToUserName": "gh", "FromUserName": "o", "CreateTime": "1", "MsgType": "location", "Location_X": "43",
     "Location_Y": "181"},
])
def test_missing_or_bad_fields(fields):
    with pytest.raises(BadMessage):
        to_incoming(fields)


@pytest.mark.parametrize("content", ["普通回答", "a]]>b", "]]>]]>", "<script>&</script>", "控制\x00字符\x1f"])
def test_a_text_reply_is_well_formed_whatever_the_content(content):
    root = ET.fromstring(text_reply("oUser", "gh_1", content, now=1700000000))  # noqa: S314
    fields = {child.tag: child.text for child in root}
    assert fields == {"ToUserName": "oUser", "FromUserName": "gh_1", "CreateTime": "1700000000",
                      "MsgType": "text", "Content": content.replace("\x00", "").replace("\x1f", "")}


def test_encrypted_reply_envelope():
    root = ET.fromstring(encrypted_reply("ENC+/=", "sig", "1700000000", "123"))  # noqa: S314
    assert [child.tag for child in root] == ["Encrypt", "MsgSignature", "TimeStamp", "Nonce"]
    assert root.findtext("Encrypt") == "ENC+/="
    assert cdata("x") == "<![CDATA[x]]>"
