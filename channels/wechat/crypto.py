"""WeChat's signatures and the message encryption of 安全模式 / 兼容模式, with `cryptography`.

The protocol (公众平台 消息加解密说明; read from wechatpy 1.8's crypto, not imported):
- signature = SHA1 of the sorted, concatenated strings (token, timestamp, nonce) for URL verification and every
  POST; msg_signature adds the Encrypt text to the sorted strings.
- Encrypt = Base64(AES-256-CBC(key, IV = key[:16], PKCS#7 padding to 32-byte blocks, plaintext = 16 random bytes
  + 4-byte big-endian length + message + AppId)), key = Base64(EncodingAESKey + "=").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # WeChat pads to 32 bytes (PKCS#7 defines padding for any block size up to 255)


class CryptoError(ValueError):
    """The encrypted part cannot be read: not Base64, bad length or padding."""


class AppIdMismatch(CryptoError):
    """The message decrypted, but it was encrypted for another AppId."""


def signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()  # noqa: S324 - WeChat's protocol


def signature_matches(given: str, *parts: str) -> bool:
    """Constant-time comparison of a signature WeChat sent with the one computed from `parts`."""
    return hmac.compare_digest(signature(*parts).encode("ascii"), given.strip().lower().encode("utf-8"))


def _pad(data: bytes) -> bytes:
    count = BLOCK - len(data) % BLOCK
    return data + bytes([count]) * count


def _unpad(data: bytes) -> bytes:
    count = data[-1] if data else 0
    if not 1 <= count <= BLOCK or count > len(data) or data[-count:] != bytes([count]) * count:
        raise CryptoError("bad padding")
    return data[:-count]


class MessageCipher:
    """Encrypts and decrypts the `Encrypt` part of messages for one AppId."""

    def __init__(self, key: bytes, app_id: str) -> None:
        if len(key) != 32:
            raise ValueError("the AES key must be 32 bytes")
        self._cipher = Cipher(algorithms.AES(key), modes.CBC(key[:16]))
        self._app_id = app_id.encode("utf-8")

    def encrypt(self, message: bytes, random16: bytes | None = None) -> str:
        random16 = os.urandom(16) if random16 is None else random16
        if len(random16) != 16:
            raise ValueError("random prefix must be 16 bytes")
        plain = _pad(random16 + struct.pack(">I", len(message)) + message + self._app_id)
        encryptor = self._cipher.encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode("ascii")

    def decrypt(self, encrypted: str) -> bytes:
        try:
            raw = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise CryptoError("Encrypt is not Base64") from exc
        if not raw or len(raw) % 16:
            raise CryptoError("Encrypt has a bad length")
        decryptor = self._cipher.decryptor()
        content = _unpad(decryptor.update(raw) + decryptor.finalize())[16:]
        if len(content) < 4:
            raise CryptoError("Encrypt is too short")
        (length,) = struct.unpack(">I", content[:4])
        if length > len(content) - 4:
            raise CryptoError("Encrypt has a bad message length")
        message, app_id = content[4:4 + length], content[4 + length:]
        if not hmac.compare_digest(app_id, self._app_id):
            raise AppIdMismatch("message encrypted for another AppId")
        return message
