"""How a message is written, beyond its facts: upset, from an older person, not in Chinese, or with a personal
number in it (masked before it reached the assistant). The reply then acknowledges it in one line (upset, elderly,
the number it does not need) or says in the user's language that the assistant answers in Chinese."""

from __future__ import annotations

import re

import privacy
from offices_kb.normalize import fold

KOREAN = "ko"
ENGLISH = "en"
RUSSIAN = "ru"
JAPANESE = "ja"

_UPSET = re.compile(
    r"到底|管不管|还管不管|有没有人管|没人管|咋回事|怎么回事|什么破|啥破|破系统|太慢|磨叽|墨迹|气死|急死|烦死|无语|服了|垃圾|骗人|糊弄"
    r"|踢皮球|推来推去|跑了好几趟|跑了.{0,3}趟|耽误|等了.{0,6}(?:天|月|周|礼拜)|都.{0,4}(?:一个月|好几天|半个月|几个月)了"
    r"|还没(?:信儿?|消息|结果|动静)|凭(?:啥|什么)|老子|欺负人|[!！]{2,}|[?？]{3,}")
_ELDERLY = re.compile(
    r"岁数大|年纪大|年龄大|上岁数|老了|老年人|老人家?|老头|老太|眼神不好|眼睛不好|看不清|不识字|不认字|字认不全"
    r"|不会(?:用|弄|整|玩|上)?(?:手机|电脑|网|智能手机|app|微信)|(?:[五六七八九]十|[5-9]\d)(?:多|来|出头)?岁"
    r"|我(?:都|已经)?(?:[五六七八九]十|[5-9]\d)(?:多|来)?了")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_WORD = re.compile(r"[a-z]+")
# common English words that are also valid pinyin shapes ('can', 'you', 'hi'), so they tip a mixed message
_ENGLISH_WORDS = frozenset("hi hello can you the how what where is are do does my job apply english speak benefit "
                           "unemployment please help insurance money get i".split())
_PLAIN_LATIN = frozenset("ok okay yes no thanks thank bye hmm haha hehe emm test hello".split())
_PINYIN = re.compile(
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|uai|uan|ian|iao|ai|ei|ao|ou|an|en"
    r"|er|in|un|ua|uo|ue|ui|ia|ie|iu|ve|a|o|e|i|u|v))+")


def gibberish(text: str) -> bool:
    """Latin letters that are no pinyin and no English word ('asdfghjkl'): keyboard noise, not a question."""
    folded = fold(text or "")
    words = _WORD.findall(folded)
    if not words or _CJK.search(folded) or _HANGUL.search(folded):
        return False
    if max(len(w) for w in words) < 4 or any(w in _PLAIN_LATIN for w in words):  # 'ok', 'hmm', 'thx'
        return False
    return not any(_PINYIN.fullmatch(w) or w in _ENGLISH_WORDS for w in words)


def upset(text: str) -> bool:
    """Angry or worn out ('都一个月了还没信儿 你们到底管不管')."""
    return bool(_UPSET.search(fold(text or "")))


def elderly(text: str) -> bool:
    """Says they are old or cannot use a phone or computer ('我六十了 不会弄手机')."""
    return bool(_ELDERLY.search(fold(text or "")))


def foreign_language(text: str) -> str | None:
    """KOREAN for Hangul, JAPANESE for kana, RUSSIAN for Cyrillic, ENGLISH for a message of Latin words that are
    mostly not pinyin, else None (Chinese, pinyin like 'shiyejin zenme lingqu', or too little to tell)."""
    raw = text or ""
    hangul, cjk = len(_HANGUL.findall(raw)), len(_CJK.findall(raw))
    if hangul and hangul >= cjk:
        return KOREAN
    if len(_KANA.findall(raw)) >= 3:  # Japanese writes kanji too: its kana tell it from Chinese
        return JAPANESE
    if len(_CYRILLIC.findall(raw)) >= 3 and not cjk:
        return RUSSIAN
    if cjk:
        return None
    words = _WORD.findall(fold(raw))
    if len(words) < 2:
        return None
    not_pinyin = [w for w in words if not _PINYIN.fullmatch(w)]
    english = any(w in _ENGLISH_WORDS for w in words)
    return ENGLISH if len(not_pinyin) * 2 >= len(words) or (english and len(not_pinyin) * 3 >= len(words)) else None


def personal_numbers(text: str) -> bool:
    """The message had a 身份证号, mobile or bank card number (masked to its placeholder before Rasa read it)."""
    return bool(privacy.found(text or ""))
