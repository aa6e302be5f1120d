"""Personal numbers never reach Rasa's NLU, its logs or its tracker store (PIPL: collect the minimum).

Every channel hands Rasa a UserMessage; whatever the channel (the REST webhook called directly or through the web
app, WeChat, the HTTP API's "add a message"), its text and metadata are masked (privacy.mask: `[身份证号]`,
`[手机号]`, `[银行卡号]`) before the message is parsed or logged, so the NLU reads the placeholder and the stored
event holds it. A user event that reaches a tracker by another way (the HTTP API's "append events") is masked when
it is added to the tracker, before any tracker store saves it. Installed by serving.processor.
"""

from __future__ import annotations

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import UserUttered

from privacy import mask, mask_value


def mask_message(message: UserMessage) -> None:
    """Mask the text and the metadata's strings of an incoming message, in place."""
    if message.text:
        message.text = mask(message.text)
    if message.metadata:
        message.metadata = mask_value(message.metadata)  # type: ignore[assignment]


MASKED = "_jl_masked"  # set on an event once masked


def mask_event(event: UserUttered) -> None:
    """Mask a user event's text, entities and metadata, and everything its parse copied of them, in place; once:
    the policies replay a conversation's events into fresh trackers several times a turn, and masking the same
    events again took 7.8 of a worker's 70 ms per unique message (py-spy; 0.6 ms since, README, Benchmark)."""
    if getattr(event, MASKED, False):
        return
    if event.text:
        event.text = mask(event.text)
    event.entities = mask_value(event.entities)  # type: ignore[assignment]
    event.parse_data = mask_value(event.parse_data)  # type: ignore[assignment]
    if event.metadata:
        event.metadata = mask_value(event.metadata)  # type: ignore[assignment]
    setattr(event, MASKED, True)
