"""WeChat's signatures and AES envelope: known vectors (Tencent's samples as carried by wechatpy's tests), round
trips, and what a tampered or foreign message does."""

from __future__ import annotations

import base64

import pytest

from channels.wechat.crypto import AppIdMismatch, CryptoError, MessageCipher, signature, signature_matches
from channels.wechat.settings import WeChatConfigError, aes_key_bytes

# wechatpy tests/test_crypto.py (WeChat Work shares the 公众号's algorithm; corp_id takes the AppId's place)
KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
APP_ID = "wx49f0ab532d5d035a"
REPLY = """<xml>
<MsgType><![CDATA[text]]></MsgType>
<Content><![CDATA[test]]></Content>
<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>
<ToUserName><![CDATA[messense]]></ToUserName>
<AgentID>1</AgentID>
<CreateTime>1411525903</CreateTime>
</xml>"""
REPLY_ENCRYPTED = (
    "9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtO"
    "bvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8"
    "NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oa"
    "zPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3")
INCOMING_ENCRYPTED = (
    "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGym"
    "zxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiO"
    "AQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccT"
    "Ke7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=")


@pytest.fixture
def cipher() -> MessageCipher:
    return MessageCipher(aes_key_bytes(KEY), APP_ID)


def test_signature_known_vectors():
    # wechatpy tests/test_utils.py: token "test"
    assert signature("test", "1410685589", "test") == "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff"
    # msg_signature of the two encrypted vectors (token "123456")
    assert signature("123456", "1411525903", "461056294", REPLY_ENCRYPTED) == "407518b7649e86ef23978113f92d27afa9296533"
    assert signature("123456", "1411525903", "461056294", INCOMING_ENCRYPTED) == \
        "74d92dfeb87ba7c714f89d98870ae5eb62dff26d"


def test_signature_matches_is_exact():
    good = "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff"
    assert signature_matches(good, "test", "1410685589", "test")
    assert signature_matches(good.upper(), "test", "1410685589", "test")
    assert not signature_matches(good[:-1] + "e", "test", "1410685589", "test")
    assert not signature_matches(good, "test", "1410685590", "test")
    assert not signature_matches("", "test", "1410685589", "test")
    assert not signature_matches("签名", "test", "1410685589", "test")  # non-ASCII input: no exception


def test_encrypt_known_vector(cipher):
    assert cipher.encrypt(REPLY.encode(), random16=b"1234567890123456") == REPLY_ENCRYPTED


def test_decrypt_known_vector(cipher):
    message = cipher.decrypt(INCOMING_ENCRYPTED).decode()
    assert "<Content><![CDATA[test]]></Content>" in message
    assert "<FromUserName><![CDATA[messense]]></FromUserName>" in message


@pytest.mark.parametrize("text", ["", "a", "x" * 31, "x" * 32, "x" * 33, "珲春社保局电话" * 100])
def test_round_trip_at_block_boundaries(cipher, text):
    encrypted = cipher.encrypt(text.encode())
    assert len(base64.b64decode(encrypted)) % 32 == 0
    assert cipher.decrypt(encrypted).decode() == text


def test_each_encryption_differs(cipher):
    assert cipher.encrypt(b"same") != cipher.encrypt(b"same")


def test_another_appid_is_refused(cipher):
    other = MessageCipher(aes_key_bytes(KEY), "wx0000000000000000")
    with pytest.raises(AppIdMismatch):
        cipher.decrypt(other.encrypt(b"<xml/>"))


@pytest.mark.parametrize("bad", ["not base64!", "", base64.b64encode(b"x" * 15).decode(),
                                 base64.b64encode(b"x" * 32).decode()])
def test_garbage_is_a_crypto_error(cipher, bad):
    with pytest.raises(CryptoError):
        cipher.decrypt(bad)


def test_a_flipped_byte_does_not_decrypt_to_a_message(cipher):
    raw = bytearray(base64.b64decode(cipher.encrypt(b"<xml><Content>hi</Content></xml>")))
    raw[-1] ^= 0x01  # breaks the padding (or, rarely, the AppId): never a readable message for this AppId
    with pytest.raises(CryptoError):
        cipher.decrypt(base64.b64encode(bytes(raw)).decode())


@pytest.mark.parametrize("bad", ["", "short", KEY + "A", KEY[:-1] + "!"])
def test_an_unusable_encoding_aes_key_is_a_config_error(bad):
    with pytest.raises(WeChatConfigError):
        aes_key_bytes(bad)
