"""WeChat's side of the protocol, written here from the 公众平台's description (not from channels/wechat), so a
mistake shared by both sides cannot pass: signing, the AES envelope, the XML WeChat posts, reading the replies.

Also the fake WeChat API (stable_token, message/custom/send) the channel calls, on 127.0.0.1.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET  # noqa: S405 - parses the channel's own answers in tests
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def sha1_sorted(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()  # noqa: S324 - the protocol's choice


@dataclass
class Account:
    """One 公众号 as WeChat knows it: what 服务器配置 holds."""

    token: str
    app_id: str
    encoding_aes_key: str  # 43 characters
    original_id: str = "gh_0123456789ab"

    @property
    def key(self) -> bytes:
        return base64.b64decode(self.encoding_aes_key + "=")

    def encrypt(self, xml: str, app_id: str | None = None) -> str:
        message = xml.encode()
        plain = os.urandom(16) + struct.pack("!I", len(message)) + message + (app_id or self.app_id).encode()
        padder = padding.PKCS7(256).padder()  # WeChat pads to 32-byte blocks
        padded = padder.update(plain) + padder.finalize()
        encryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).encryptor()
        return base64.b64encode(encryptor.update(padded) + encryptor.finalize()).decode()

    def decrypt(self, encrypt: str) -> str:
        decryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).decryptor()
        padded = decryptor.update(base64.b64decode(encrypt)) + decryptor.finalize()
        unpadder = padding.PKCS7(256).unpadder()
        plain = unpadder.update(padded) + unpadder.finalize()
        (length,) = struct.unpack("!I", plain[16:20])
        assert plain[20 + length:].decode() == self.app_id, "reply encrypted for another AppId"
        return plain[20:20 + length].decode()


def message_xml(openid: str, account: Account, msg_type: str, msg_id: int | None = None,
                create_time: int | None = None, **fields: str) -> str:
    parts = [f"<ToUserName><![CDATA[{account.original_id}]]></ToUserName>",
             f"<FromUserName><![CDATA[{openid}]]></FromUserName>",
             f"<CreateTime>{create_time or int(time.time())}</CreateTime>",
             f"<MsgType><![CDATA[{msg_type}]]></MsgType>"]
    parts += [f"<{name}><![CDATA[{value}]]></{name}>" for name, value in fields.items()]
    if msg_id is not None:
        parts.append(f"<MsgId>{msg_id}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"


@dataclass
class Answer:
    status: int
    body: str
    content_type: str = ""


def http(method: str, url: str, body: bytes | None = None, timeout: float = 30.0,
         headers: dict[str, str] | None = None) -> Answer:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {"Content-Type": "text/xml"})
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            return Answer(resp.status, resp.read().decode("utf-8", "replace"), resp.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as err:
        return Answer(err.code, err.read().decode("utf-8", "replace"), err.headers.get("Content-Type", ""))


@dataclass
class WeChatServers:
    """Sends what WeChat's servers send to the webhook at `url`, signed for `account`."""

    url: str
    account: Account

    def signed_query(self, timestamp: int | None = None, nonce: str | None = None, **extra: str) -> dict[str, str]:
        ts, nonce = str(timestamp if timestamp is not None else int(time.time())), nonce or str(time.time_ns())[-9:]
        return {"signature": sha1_sorted(self.account.token, ts, nonce), "timestamp": ts, "nonce": nonce,
                **extra}

    def verify_url(self, echostr: str, **query: Any) -> Answer:
        params = {**self.signed_query(**query), "echostr": echostr}
        return http("GET", f"{self.url}?{urllib.parse.urlencode(params)}")

    def post(self, xml: str | bytes, safe: bool = False, query: dict[str, str] | None = None,
             timeout: float = 30.0) -> Answer:
        """One POST as WeChat makes it: plaintext, or (safe) the message encrypted with msg_signature."""
        params = query or self.signed_query(openid="o-not-used-by-the-channel")
        body = xml if isinstance(xml, bytes) else xml.encode()
        if safe:
            encrypt = self.account.encrypt(body.decode())
            params = {**params, "encrypt_type": "aes",
                      "msg_signature": sha1_sorted(self.account.token, params["timestamp"], params["nonce"], encrypt)}
            body = (f"<xml><ToUserName><![CDATA[{self.account.original_id}]]></ToUserName>"
                    f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>").encode()
        return http("POST", f"{self.url}?{urllib.parse.urlencode(params)}", body, timeout=timeout)

    def reply_fields(self, answer: Answer, encrypted: bool = False) -> dict[str, str]:
        """The reply's XML fields; an encrypted reply is checked (MsgSignature) and decrypted first."""
        root = ET.fromstring(answer.body)  # noqa: S314 - the channel's own answer
        fields = {child.tag: child.text or "" for child in root}
        if encrypted:
            assert set(fields) == {"Encrypt", "MsgSignature", "TimeStamp", "Nonce"}, fields
            expected = sha1_sorted(self.account.token, fields["TimeStamp"], fields["Nonce"], fields["Encrypt"])
            assert fields["MsgSignature"] == expected, "reply's MsgSignature does not match"
            root = ET.fromstring(self.account.decrypt(fields["Encrypt"]))  # noqa: S314
            fields = {child.tag: child.text or "" for child in root}
        return fields


@dataclass
class FakeWeChatApi:
    """stable_token and message/custom/send on 127.0.0.1:`port`; records what the channel sent."""

    port: int
    app_id: str
    app_secret: str
    refuse_push: bool = False  # answer 48001 (api unauthorized), as for an unverified account
    sent: list[dict[str, Any]] = field(default_factory=list)
    token_calls: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeWeChatApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                url = urllib.parse.urlsplit(self.path)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                answer = api.answer(url.path, urllib.parse.parse_qs(url.query), body)
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def answer(self, path: str, query: dict[str, list[str]], body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if path == "/cgi-bin/stable_token":
                if (body.get("appid"), body.get("secret")) != (self.app_id, self.app_secret):
                    return {"errcode": 40125, "errmsg": "invalid appsecret"}
                self.token_calls += 1
                return {"access_token": "ACCESS-TOKEN-1", "expires_in": 7200}
            if path == "/cgi-bin/message/custom/send":
                if query.get("access_token") != ["ACCESS-TOKEN-1"]:
                    return {"errcode": 40001, "errmsg": "invalid credential"}
                if self.refuse_push:
                    return {"errcode": 48001, "errmsg": "api unauthorized"}
                self.sent.append(body)
                return {"errcode": 0, "errmsg": "ok"}
            return {"errcode": 404, "errmsg": "unknown api"}

    def texts_to(self, openid: str) -> list[str]:
        with self._lock:
            return [m["text"]["content"] for m in self.sent if m.get("touser") == openid]
