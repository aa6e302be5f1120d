"""WeChat's checks on a request, before anything is parsed for Rasa: the body cap, the signatures and their
freshness, the mode (plaintext / compatible / safe), the encrypted envelope; and the reply in the request's mode.

A request that fails a check is `Refused` with a short plain-text reason: 413 body over the cap, 403 bad signature /
stale timestamp / another AppId, 400 anything malformed. Plain Sanic, no Rasa import.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.wechat.crypto import AppIdMismatch, CryptoError, MessageCipher, signature, signature_matches
from channels.wechat.settings import WeChatSettings
from channels.wechat.xmlmsg import BadMessage, Incoming, encrypted_reply, parse_fields, text_reply, to_incoming


class Refused(Exception):
    """A request the channel does not serve: `status` and a short reason (plain text, nothing else)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    def response(self) -> HTTPResponse:
        return response.text(self.reason, status=self.status)


class Gate:
    """WeChat's checks on a request: freshness, signatures, the encrypted envelope."""

    def __init__(self, settings: WeChatSettings) -> None:
        self.settings = settings
        self.cipher = MessageCipher(settings.aes_key, settings.app_id) if settings.mode != "plaintext" else None

    def signed(self, args: Any) -> tuple[str, str]:
        """(timestamp, nonce) of a request whose `signature` is right and whose timestamp is fresh."""
        given, timestamp, nonce = (args.get(name, "") for name in ("signature", "timestamp", "nonce"))
        if not (given and timestamp and nonce):
            raise Refused(400, "signature, timestamp and nonce are required")
        if not timestamp.isascii() or not timestamp.isdigit():
            raise Refused(400, "timestamp is not a number")
        if not signature_matches(given, self.settings.token, timestamp, nonce):
            raise Refused(403, "bad signature")
        if abs(time.time() - int(timestamp)) > self.settings.max_skew_s:
            raise Refused(403, "stale timestamp")
        return timestamp, nonce

    def message(self, args: Any, body: bytes) -> tuple[Incoming, bool]:
        """The checked message and whether it came encrypted (then the reply is encrypted too)."""
        timestamp, nonce = self.signed(args)
        encrypted = args.get("encrypt_type", "").lower() == "aes"
        if encrypted and self.cipher is None:
            raise Refused(400, "encrypted message, but no EncodingAESKey is configured")
        if not encrypted and self.settings.mode == "safe":
            raise Refused(400, "safe mode accepts encrypted messages only")
        try:
            fields = parse_fields(body)
            if encrypted and self.cipher is not None:
                encrypt, given = fields.get("Encrypt", ""), args.get("msg_signature", "")
                if not (encrypt and given):
                    raise Refused(400, "Encrypt and msg_signature are required")
                if not signature_matches(given, self.settings.token, timestamp, nonce, encrypt):
                    raise Refused(403, "bad msg_signature")
                fields = parse_fields(self.cipher.decrypt(encrypt))
            return to_incoming(fields), encrypted
        except AppIdMismatch as exc:
            raise Refused(403, "message for another AppId") from exc
        except (BadMessage, CryptoError) as exc:
            raise Refused(400, f"bad message: {exc}") from exc

    def reply(self, message: Incoming, content: str, encrypted: bool) -> str:
        xml = text_reply(message.from_user, message.to_user, content)
        if not encrypted or self.cipher is None:
            return xml
        timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10**10))
        encrypt = self.cipher.encrypt(xml.encode("utf-8"))
        return encrypted_reply(encrypt, signature(self.settings.token, timestamp, nonce, encrypt), timestamp, nonce)


async def read_capped(request: Request, cap: int) -> bytes:
    """The body of a streamed request, refused with 413 past `cap` bytes (checked before and while reading)."""
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or int(declared) > cap):
        raise Refused(413 if declared.isdigit() else 400, "body too large" if declared.isdigit() else "bad length")
    body = bytearray()
    async for chunk in request.stream:
        body += chunk
        if len(body) > cap:
            raise Refused(413, "body too large")
    return bytes(body)
