"""WeChat (公众号) and personal data: numbers in a message are masked before Rasa parses or stores it (the tracker
store's raw rows and the channel's own state hold none of their digits), the reply says they are not needed; and
"删除我的聊天记录" then the confirm button's number deletes the conversation."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from devtools import stack as run_stack
from tests.wechat.conftest import ACCOUNT, conversation_id, new_openid
from tests.wechat.test_wechat_messages import _menu
from tests.wechat.wechat_side import message_xml

pytestmark = pytest.mark.stack

NOT_NEEDED = "不需要身份证号、手机号、银行卡号"
ID, MOBILE, CARD = "220102197703154417", "13704319966", "6217000010023456781"


def raw_rows() -> str:
    """Every stored row of the tracker store and of the channel's state, as text."""
    found = []
    for name, query in (("tracker.db", "SELECT sender_id, data FROM events"),
                        ("wechat.db", "SELECT msg_key, reply FROM wechat_messages UNION ALL "
                                      "SELECT user_id, coalesce(menu, '') || coalesce(outbox, '') FROM wechat_users")):
        with sqlite3.connect(f"file:{run_stack.ROOT / 'var' / 'rasa' / name}?mode=ro", uri=True) as conn:
            for row in conn.execute(query):
                found += [str(v) for v in row]
                if name == "tracker.db" and row[1]:
                    found.append(json.dumps(json.loads(row[1]), ensure_ascii=False))  # Chinese decoded too
    return "\n".join(found)


def test_numbers_in_a_wechat_message_are_never_stored(wechat):
    openid = new_openid()
    text = f"我身份证{ID}，手机{MOBILE[:3]} {MOBILE[3:7]} {MOBILE[7:]}，工资卡{CARD}，珲春社保局电话多少"
    content = wechat.seen(wechat.public.post(message_xml(openid, ACCOUNT, "text", msg_id=7001, Content=text)), openid)
    assert NOT_NEEDED in content and "0433-7512409" in content
    assert wechat.user_texts(openid) == ["我身份证[身份证号]，手机[手机号]，工资卡[银行卡号]，珲春社保局电话多少"]
    stored = raw_rows()
    assert conversation_id(openid) in stored  # the rows are there, without the numbers
    joined = re.sub(r"[\s\-]", "", stored)  # also written in groups
    for number in (ID, MOBILE, CARD):
        assert number not in joined


def test_asking_to_delete_and_picking_the_confirm_number_deletes_the_conversation(wechat):
    openid = new_openid()
    wechat.seen(wechat.rasa.post(message_xml(openid, ACCOUNT, "text", msg_id=7101, Content="珲春社保局电话")), openid)
    offer = wechat.seen(wechat.rasa.post(message_xml(openid, ACCOUNT, "text", msg_id=7102, Content="删除我的聊天记录")),
                        openid)
    assert "确认删除吗" in offer
    confirm = _menu(offer)["确认删除"]
    done = wechat.seen(wechat.rasa.post(message_xml(openid, ACCOUNT, "text", msg_id=7103, Content=confirm)), openid)
    assert "聊天记录已经删除" in done
    assert wechat.user_texts(openid) == []
