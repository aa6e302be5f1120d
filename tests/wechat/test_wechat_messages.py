"""WeChat's servers talking to the running stack: URL check, text in plaintext and safe mode, the numbered menu,
location, subscribe/unsubscribe, other message types, and what the tracker store keeps of the OpenID."""

from __future__ import annotations

import re
import time

import pytest

from tests.wechat.conftest import ACCOUNT, conversation_id, new_openid
from tests.wechat.wechat_side import message_xml

pytestmark = pytest.mark.stack

HUNCHUN_PHONE = "0433-7512409"  # 珲春市社会保险局 in the guide's table
ONLINE_SYSTEM = "wssb.jlsi.jl.gov.cn"  # 吉林省社会保险网上经办系统


def test_url_check_echoes_echostr_through_the_public_origin(wechat):
    answer = wechat.public.verify_url("8412345791234567890")
    assert answer.status == 200
    assert answer.body == "8412345791234567890"
    assert answer.content_type.startswith("text/plain")


def test_text_in_plaintext_mode_gets_a_passive_text_reply(wechat):
    openid = new_openid()
    answer = wechat.public.post(message_xml(openid, ACCOUNT, "text", msg_id=1001, Content="你好"))
    assert answer.status == 200 and answer.content_type.startswith("application/xml"), answer
    reply = wechat.public.reply_fields(answer)
    assert reply["ToUserName"] == openid and reply["FromUserName"] == ACCOUNT.original_id
    assert reply["MsgType"] == "text" and "申领条件" in reply["Content"]
    assert abs(int(reply["CreateTime"]) - time.time()) < 60
    answer = wechat.public.post(message_xml(openid, ACCOUNT, "text", msg_id=1003, Content="珲春社保局电话"))
    assert HUNCHUN_PHONE in wechat.seen(answer, openid)


def test_text_in_safe_mode_is_decrypted_and_answered_encrypted(wechat):
    openid = new_openid()
    answer = wechat.public.post(message_xml(openid, ACCOUNT, "text", msg_id=1002, Content="珲春社保局电话"), safe=True)
    assert answer.status == 200
    assert "珲春" not in answer.body and openid not in answer.body  # nothing readable on the wire
    assert HUNCHUN_PHONE in wechat.seen(answer, openid, encrypted=True)
    assert wechat.user_texts(openid) == ["珲春社保局电话"]


def _menu(content: str) -> dict[str, str]:
    """{title: number} from the reply's "回复 1 X / 2 Y" line."""
    line = next(line for line in content.splitlines() if line.startswith("回复 "))
    return {title: number for number, title in re.findall(r"(\d+) ([^/]+?)(?: /|$)", line[3:])}


def test_subscribe_welcomes_with_a_numbered_menu_and_a_number_picks_that_button(wechat):
    openid = new_openid()
    welcome = wechat.seen(wechat.rasa.post(message_xml(openid, ACCOUNT, "event", Event="subscribe")), openid)
    menu = _menu(welcome)
    assert {"申领条件", "网上申领", "现场办理"} <= set(menu)
    picked = wechat.rasa.post(message_xml(openid, ACCOUNT, "text", msg_id=2001, Content=menu["网上申领"]))
    content = wechat.seen(picked, openid)
    assert ONLINE_SYSTEM in content  # the online-application answer, link written out
    last_user = [e for e in wechat.tracker_events(openid) if e["event"] == "user"][-1]
    assert last_user["parse_data"]["intent"]["name"] == "ask_online_apply"
    # the next menu is the one of the last reply; full-width digits are the same number
    number = _menu(content)["上传附件"]
    again = wechat.seen(wechat.rasa.post(
        message_xml(openid, ACCOUNT, "text", msg_id=2002, Content="".join(chr(0xFF10 + int(d)) for d in number))),
        openid)
    assert "附件" in again
    last_user = [e for e in wechat.tracker_events(openid) if e["event"] == "user"][-1]
    assert last_user["parse_data"]["intent"]["name"] == "ask_online_attachment"


def test_a_number_without_a_menu_is_an_ordinary_message(wechat):
    openid = new_openid()
    wechat.rasa.post(message_xml(openid, ACCOUNT, "text", msg_id=2101, Content="7"))
    assert wechat.user_texts(openid) == ["7"]


def test_location_gets_the_nearest_bureaus_with_phones_marked_approximate(wechat):
    openid = new_openid()
    answer = wechat.public.post(message_xml(openid, ACCOUNT, "location", msg_id=3001, Location_X="42.8685",
                                            Location_Y="130.3570", Scale="15", Label="吉林省延边朝鲜族自治州珲春市"))
    content = wechat.seen(answer, openid)
    assert HUNCHUN_PHONE in content
    assert "约" in content and "估算" in content  # distances are approximate and say so
    assert wechat.user_texts(openid)[0].startswith("/share_location")


def test_unsubscribe_deletes_the_conversation(wechat):
    openid = new_openid()
    wechat.rasa.post(message_xml(openid, ACCOUNT, "event", Event="subscribe"))
    wechat.rasa.post(message_xml(openid, ACCOUNT, "text", msg_id=4001, Content="珲春社保局电话"))
    assert len(wechat.user_texts(openid)) == 2
    answer = wechat.rasa.post(message_xml(openid, ACCOUNT, "event", Event="unsubscribe"))
    assert answer.status == 200 and answer.body == "success"
    assert wechat.user_texts(openid) == []
    assert wechat.stored_rows_mentioning(conversation_id(openid)) == 0


def test_a_menu_click_asks_its_question(wechat):
    openid = new_openid()
    answer = wechat.rasa.post(message_xml(openid, ACCOUNT, "event", Event="CLICK", EventKey="ONLINE_APPLY"))
    assert ONLINE_SYSTEM in wechat.seen(answer, openid)


def test_other_message_types_get_a_short_text_and_do_not_reach_rasa(wechat):
    openid = new_openid()
    answer = wechat.rasa.post(message_xml(openid, ACCOUNT, "image", msg_id=5001,
                                          PicUrl="http://mmbiz.qpic.cn/x.jpg", MediaId="media-1"))
    content = wechat.seen(answer, openid)
    assert "文字" in content and "位置" in content
    voice = wechat.rasa.post(message_xml(openid, ACCOUNT, "voice", msg_id=5002, MediaId="m-2", Format="amr"))
    assert "文字" in wechat.seen(voice, openid)
    assert wechat.user_texts(openid) == []


def test_the_tracker_store_holds_no_raw_openid(wechat):
    openid = new_openid()
    wechat.rasa.post(message_xml(openid, ACCOUNT, "text", msg_id=6001, Content="珲春社保局电话"), safe=True)
    assert wechat.user_texts(openid) == ["珲春社保局电话"]
    assert wechat.stored_rows_mentioning(conversation_id(openid)) > 0
    assert wechat.stored_rows_mentioning(openid) == 0
