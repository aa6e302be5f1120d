"""The WeChat channel's shared state: a message is claimed once across worker processes; menus expire; a reply
kept for later is taken once."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from channels.wechat.state import PASSIVE, PUSHED, WORKING, ChannelState


def _claim_all(url: str, keys: list[str], start: float, out: multiprocessing.Queue) -> None:
    state = ChannelState(url)
    while time.time() < start:  # all processes begin together (a barrier on the wall clock)
        pass
    out.put([key for key in keys if state.claim(key)])


def claimed_by_processes(url: str, keys: list[str], processes: int = 4) -> list[list[str]]:
    """Each of `processes` processes (as Rasa's workers) claims every key at the same moment: who won which."""
    ChannelState(url).claim("warm-up")  # the schema exists before the race
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()
    start = time.time() + 3
    procs = [ctx.Process(target=_claim_all, args=(url, keys, start, out)) for _ in range(processes)]
    for proc in procs:
        proc.start()
    won = [out.get(timeout=60) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
    return won


def test_each_message_is_claimed_by_exactly_one_of_several_processes(tmp_path: Path):
    keys = [f"msg:wx-user:{i}" for i in range(200)]
    won = claimed_by_processes(f"sqlite:///{tmp_path / 'wechat.db'}", keys)
    claimed = [key for batch in won for key in batch]
    assert sorted(claimed) == sorted(keys)  # every key once: no retry became a second turn, none was lost


def test_states_and_replies(tmp_path: Path):
    state = ChannelState(f"sqlite:///{tmp_path / 'w.db'}")
    assert state.claim("k") and not state.claim("k")
    assert state.lookup("k") == (WORKING, None)
    state.finish("k", PASSIVE, "答案")
    assert state.lookup("k") == (PASSIVE, "答案")
    state.finish("k", PUSHED)
    assert state.lookup("k") == (PUSHED, None)
    assert state.lookup("unknown") is None


def test_menu_is_per_user_and_expires(tmp_path: Path):
    state = ChannelState(f"sqlite:///{tmp_path / 'w.db'}")
    menu = [{"title": "网上申领", "payload": "/ask_online_apply"}]
    state.save_menu("wx-a", menu)
    assert state.load_menu("wx-a", ttl=60) == menu
    assert state.load_menu("wx-b", ttl=60) == []
    assert state.load_menu("wx-a", ttl=-1) == []  # older than the ttl
    state.save_menu("wx-a", [])  # a reply without buttons ends the menu
    assert state.load_menu("wx-a", ttl=60) == []


def test_outbox_keeps_order_and_is_taken_once(tmp_path: Path):
    state = ChannelState(f"sqlite:///{tmp_path / 'w.db'}")
    state.add_outbox("wx-a", "第一")
    state.add_outbox("wx-a", "第二")
    assert state.take_outbox("wx-a") == "第一\n\n第二"
    assert state.take_outbox("wx-a") == ""


def test_forget_removes_the_user(tmp_path: Path):
    state = ChannelState(f"sqlite:///{tmp_path / 'w.db'}")
    state.claim("msg:wx-a:1")
    state.claim("event:wx-a:1700000000:subscribe")
    state.claim("msg:wx-b:1")
    state.save_menu("wx-a", [{"title": "t", "payload": "/p"}])
    state.add_outbox("wx-a", "x")
    state.forget("wx-a")
    assert state.lookup("msg:wx-a:1") is None and state.lookup("event:wx-a:1700000000:subscribe") is None
    assert state.load_menu("wx-a", ttl=60) == [] and state.take_outbox("wx-a") == ""
    assert state.lookup("msg:wx-b:1") is not None
