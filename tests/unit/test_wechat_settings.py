"""The WeChat channel's settings and request checks: off without a token, loud about a broken configuration,
safe mode refuses plaintext, the OpenID never is the conversation id."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from channels.wechat.gate import Gate, Refused
from channels.wechat.settings import WeChatConfigError, WeChatSettings

KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"


def env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"VAR_DIR": str(tmp_path), **values}


def test_off_without_a_token(tmp_path):
    settings = WeChatSettings.from_env(env(tmp_path, WECHAT_ENCODING_AES_KEY="broken"))
    assert not settings.enabled and not settings.can_push


def test_mode_follows_the_key_unless_named(tmp_path):
    assert WeChatSettings.from_env(env(tmp_path, WECHAT_TOKEN="t")).mode == "plaintext"
    safe = WeChatSettings.from_env(env(tmp_path, WECHAT_TOKEN="t", WECHAT_ENCODING_AES_KEY=KEY, WECHAT_APP_ID="wx1"))
    assert safe.mode == "safe" and not safe.can_push
    compatible = WeChatSettings.from_env(env(tmp_path, WECHAT_TOKEN="t", WECHAT_ENCODING_AES_KEY=KEY,
                                             WECHAT_APP_ID="wx1", WECHAT_APP_SECRET="s", WECHAT_MODE="Compatible"))
    assert compatible.mode == "compatible" and compatible.can_push


@pytest.mark.parametrize("values", [
    {"WECHAT_ENCODING_AES_KEY": KEY[:-1], "WECHAT_APP_ID": "wx1"},
    {"WECHAT_ENCODING_AES_KEY": KEY},  # safe mode without the AppId to check
    {"WECHAT_MODE": "secure"},
    {"WECHAT_PASSIVE_WAIT_S": "5"},
    {"WECHAT_MAX_SKEW_S": "soon"},
])
def test_a_broken_configuration_stops_the_start(tmp_path, values):
    with pytest.raises(WeChatConfigError):
        WeChatSettings.from_env(env(tmp_path, WECHAT_TOKEN="t", **values))


def test_the_openid_secret_is_generated_once_and_kept(tmp_path):
    first = WeChatSettings.from_env(env(tmp_path, WECHAT_TOKEN="t"))
    second = WeChatSettings.from_env(env(tmp_path, WECHAT_TOKEN="t"))
    assert first.openid_secret == second.openid_secret and len(first.openid_secret) >= 32
    assert (tmp_path / "wechat_openid_secret").stat().st_mode & 0o077 == 0
    given = WeChatSettings.from_env(env(tmp_path, WECHAT_TOKEN="t", WECHAT_OPENID_SECRET="s3cret"))
    assert given.openid_secret == b"s3cret"


def test_the_conversation_id_is_a_keyed_hash(tmp_path):
    a = WeChatSettings.from_env(env(tmp_path, WECHAT_TOKEN="t", WECHAT_OPENID_SECRET="one"))
    b = WeChatSettings.from_env(env(tmp_path, WECHAT_TOKEN="t", WECHAT_OPENID_SECRET="two"))
    openid = "oAbCdEfGhIjKlMnOpQrStUvWxYz"
    assert a.user_id(openid) == a.user_id(openid) != b.user_id(openid)
    assert openid not in a.user_id(openid)
    assert a.user_id(openid) != "wx-" + hashlib.sha256(openid.encode()).hexdigest()[:40]  # not an unkeyed hash


def signed(token: str, **extra: str) -> dict[str, str]:
    ts, nonce = str(int(time.time())), "12345"
    return {"signature": hashlib.sha1("".join(sorted([token, ts, nonce])).encode()).hexdigest(),  # noqa: S324
            "timestamp": ts, "nonce": nonce, **extra}


def test_safe_mode_refuses_plaintext_and_plaintext_mode_refuses_encrypted(tmp_path):
    body = (b"<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime>"
            b"<MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId></xml>")
    safe = Gate(WeChatSettings.from_env(env(tmp_path, WECHAT_TOKEN="t", WECHAT_ENCODING_AES_KEY=KEY,
                                            WECHAT_APP_ID="wx1")))
    with pytest.raises(Refused) as refused:
        safe.message(signed("t"), body)
    assert refused.value.status == 400
    plain = Gate(WeChatSettings.from_env(env(tmp_path, WECHAT_TOKEN="t")))
    assert plain.message(signed("t"), body)[0].fields["Content"] == "hi"
    with pytest.raises(Refused) as refused:
        plain.message(signed("t", encrypt_type="aes", msg_signature="x"), body)
    assert refused.value.status == 400


@pytest.mark.parametrize("args, status", [
    ({}, 400),
    ({"signature": "x", "timestamp": "soon", "nonce": "1"}, 400),
    ({"signature": "0" * 40, "timestamp": str(int(time.time())), "nonce": "1"}, 403),
])
def test_unsigned_requests(tmp_path, args, status):
    gate = Gate(WeChatSettings.from_env(env(tmp_path, WECHAT_TOKEN="t")))
    with pytest.raises(Refused) as refused:
        gate.signed(args)
    assert refused.value.status == status
