"""WeChat's XML in and out: a parser that refuses DTDs and entities (defusedxml), the message fields checked, and
the passive text reply (plain or in the encrypted envelope).

WeChat's messages are one flat <xml> element with one child per field; nested children (e.g. the ScanCodeInfo of
some menu events) are kept as their text only. Anything else (another root, a field twice, a DOCTYPE, an entity,
a field missing for the message's type, a number that is not one) is `BadMessage`: the caller answers 400 and
nothing of it reaches Rasa.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MAX_FIELDS = 64
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class BadMessage(ValueError):
    """The body is not a WeChat message we accept; str() says why (for the log, never shown to a user)."""


def parse_fields(body: bytes) -> dict[str, str]:
    """The children of the <xml> root as {tag: text}. Raises BadMessage."""
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise BadMessage(f"refused XML: {type(exc).__name__}") from exc
    except (ParseError, ValueError, TypeError) as exc:
        raise BadMessage("malformed XML") from exc
    if root.tag != "xml":
        raise BadMessage("root element is not <xml>")
    fields: dict[str, str] = {}
    for child in root:
        if not isinstance(child.tag, str):
            continue  # comments, processing instructions
        if child.tag in fields:
            raise BadMessage(f"field {child.tag} given twice")
        if len(fields) >= MAX_FIELDS:
            raise BadMessage("too many fields")
        fields[child.tag] = (child.text or "").strip() if len(child) == 0 else ""
    return fields


def _required(fields: dict[str, str], *names: str) -> None:
    missing = [name for name in names if not fields.get(name)]
    if missing:
        raise BadMessage(f"missing field(s): {', '.join(missing)}")


def _coordinate(fields: dict[str, str], name: str, limit: float) -> float:
    try:
        value = float(fields[name])
    except ValueError as exc:
        raise BadMessage(f"{name} is not a number") from exc
    if not -limit <= value <= limit:  # also refuses nan
        raise BadMessage(f"{name} is out of range")
    return value


@dataclass(frozen=True)
class Incoming:
    """One message or event from WeChat, checked. `from_user` is the user's OpenID (never stored as such)."""

    to_user: str
    from_user: str
    create_time: int
    msg_type: str
    msg_id: str = ""
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def event(self) -> str:
        return self.fields.get("Event", "").lower() if self.msg_type == "event" else ""

    @property
    def location(self) -> tuple[float, float]:
        """(latitude, longitude) of a location message: Location_X is the latitude, Location_Y the longitude."""
        return _coordinate(self.fields, "Location_X", 90.0), _coordinate(self.fields, "Location_Y", 180.0)


def to_incoming(fields: dict[str, str]) -> Incoming:
    """Checks the fields every message needs and those of its type. Raises BadMessage."""
    _required(fields, "ToUserName", "FromUserName", "CreateTime", "MsgType")
    try:
        create_time = int(fields["CreateTime"])
    except ValueError as exc:
        raise BadMessage("CreateTime is not a number") from exc
    msg_type = fields["MsgType"].lower()
    if msg_type == "text":
        _required(fields, "Content")
    elif msg_type == "event":
        _required(fields, "Event")
    message = Incoming(fields["ToUserName"], fields["FromUserName"], create_time, msg_type,
                       fields.get("MsgId", ""), fields)
    if msg_type == "location":
        _required(fields, "Location_X", "Location_Y")
        message.location  # noqa: B018 - raises BadMessage for bad coordinates
    return message


def cdata(text: str) -> str:
    """Text as CDATA; a "]]>" inside is split across two sections, characters XML cannot carry are dropped."""
    clean = _XML_INVALID.sub("", text)
    return "<![CDATA[" + clean.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(to_user: str, from_user: str, content: str, now: int | None = None) -> str:
    """A passive text reply: to the user (their OpenID) from the account (the request's ToUserName)."""
    now = int(time.time()) if now is None else now
    return (f"<xml><ToUserName>{cdata(to_user)}</ToUserName><FromUserName>{cdata(from_user)}</FromUserName>"
            f"<CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content>{cdata(content)}</Content></xml>")


def encrypted_reply(encrypt: str, msg_signature: str, timestamp: str, nonce: str) -> str:
    return (f"<xml><Encrypt>{cdata(encrypt)}</Encrypt><MsgSignature>{cdata(msg_signature)}</MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp><Nonce>{cdata(nonce)}</Nonce></xml>")
