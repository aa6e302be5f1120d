"""WeChat Official Account (微信公众号) input channel: credentials.yml names `channels.wechat.channel.WeChatInput`.

Modules: settings (environment), crypto (signatures, AES), xmlmsg (safe XML in and out), replies (menu, links,
length), state (dedupe, menus, undelivered replies, shared by worker processes), push (customer-service API),
tracker (delete a conversation), conversation (one message, one turn), gate (the checks of a request), channel
(the HTTP side; the only module importing channels.guarded_rest, for its apology). Only tracker, conversation
and channel import Rasa; gate imports Sanic; the rest is plain Python (fast unit tests, usable by test fakes).
"""
