"""Staff accounts of the console: the CLI, login with a session cookie (HttpOnly, SameSite=Strict, expiry), the
same 401 for every wrong login, lockout after repeated failures, disabled accounts, logout, the audit log for
admins; the console token still works for machines."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from bot.console_auth import COOKIE
from bot.settings import Settings
from tests.web.conftest import AUTH, PASSWORD, MakeClient, add_staff, login

ROOT = Path(__file__).resolve().parents[2]


def _db(settings: Settings) -> sqlite3.Connection:
    return sqlite3.connect(settings.tracker_db)


async def test_login_sets_a_strict_http_only_session_cookie(client: TestClient, base_settings: Settings) -> None:
    add_staff(base_settings, "wang.li")
    resp = await login(client, "wang.li")
    assert resp.status == 200 and (await resp.json()) == {"ok": True, "user": "wang.li", "role": "agent"}
    cookie = resp.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/console"
    assert int(cookie["max-age"]) == 8 * 3600 and not cookie["secure"]  # plain HTTP here; Secure behind HTTPS
    session = await (await client.get("/console/api/session")).json()
    assert session == {"ok": True, "user": "wang.li", "role": "agent", "via": "session"}
    with _db(base_settings) as db:  # only a hash of the token is kept
        (stored,) = db.execute("SELECT token_hash FROM staff_session").fetchone()
    assert cookie.value not in stored and len(stored) == 64


@pytest.mark.parametrize(("username", "password"), [("wang.li", "wrong password!"), ("nobody", PASSWORD),
                                                    ("wang.li", ""), ("", PASSWORD), ("wang.li", "x" * 300)])
async def test_every_wrong_login_gets_the_same_answer(client: TestClient, base_settings: Settings, username: str,
                                                      password: str) -> None:
    add_staff(base_settings, "wang.li")
    resp = await login(client, username, password)
    assert resp.status in (400, 401)
    body = await resp.json()
    assert body["error"] in ("用户名或密码不正确。", "请填写用户名。", "请填写密码。")
    assert COOKIE not in resp.cookies
    assert (await client.get("/console/api/session")).status == 401


@pytest.mark.parametrize("body", [{"username": "a"}, {"username": "a", "password": "b", "extra": 1}, ["a", "b"],
                                  {"username": 1, "password": 2}])
async def test_bad_login_requests_are_400(client: TestClient, body: object) -> None:
    assert (await client.post("/console/api/login", json=body)).status == 400


async def test_repeated_failures_lock_the_account_then_it_opens_again(make_client: MakeClient,
                                                                     base_settings: Settings) -> None:
    client = await make_client(staff_max_failures=3, staff_lockout_minutes=15)
    add_staff(base_settings, "wang.li")
    assert [(await login(client, "wang.li", "wrong password!")).status for _ in range(3)] == [401, 401, 401]
    locked = await login(client, "wang.li")  # the right password, too late
    assert locked.status == 429 and "锁定" in (await locked.json())["error"]
    assert 14 * 60 < int(locked.headers["Retry-After"]) <= 15 * 60
    with _db(base_settings) as db:  # fifteen minutes later
        db.execute("UPDATE staff SET locked_until = ?", (time.time() - 1,))
    assert (await login(client, "wang.li")).status == 200


async def test_a_session_expires(client: TestClient, base_settings: Settings) -> None:
    add_staff(base_settings, "wang.li")
    await login(client, "wang.li")
    assert (await client.get("/console/api/session")).status == 200
    with _db(base_settings) as db:
        db.execute("UPDATE staff_session SET expires_at = ?", (time.time() - 1,))
    assert (await client.get("/console/api/session")).status == 401


async def test_disabling_an_account_ends_its_sessions_and_logins(client: TestClient, base_settings: Settings) -> None:
    accounts = add_staff(base_settings, "wang.li")
    await login(client, "wang.li")
    accounts.set_disabled("wang.li", True)
    assert (await client.get("/console/api/session")).status == 401
    assert (await login(client, "wang.li")).status == 401
    accounts.set_disabled("wang.li", False)
    assert (await login(client, "wang.li")).status == 200


async def test_logout_ends_the_session(client: TestClient, base_settings: Settings) -> None:
    add_staff(base_settings, "wang.li")
    await login(client, "wang.li")
    resp = await client.post("/console/api/logout")
    assert resp.status == 200 and resp.cookies[COOKIE].value == ""
    assert (await client.get("/console/api/session")).status == 401
    assert (await client.post("/console/api/logout")).status == 200  # twice: harmless


async def test_a_foreign_origin_cannot_use_the_cookie_to_change_things(client: TestClient,
                                                                     base_settings: Settings) -> None:
    add_staff(base_settings, "wang.li")
    await login(client, "wang.li")
    foreign = {"Origin": "https://evil.example.com"}
    resp = await client.post("/console/api/ask", json={"question": "珲春社保局电话"}, headers=foreign)
    assert resp.status == 401
    assert (await client.post("/console/api/ask", json={"question": "珲春社保局电话"})).status == 200


async def test_the_audit_log_is_for_admins(client: TestClient, base_settings: Settings) -> None:
    add_staff(base_settings, "wang.li")
    add_staff(base_settings, "boss", role="admin")
    await login(client, "wang.li")
    assert (await client.get("/console/api/audit")).status == 403
    await login(client, "boss")
    entries = (await (await client.get("/console/api/audit")).json())["entries"]
    assert [(e["username"], e["action"]) for e in entries[:2]] == [("boss", "login"), ("wang.li", "login")]
    assert (await client.get("/console/api/audit?limit=0")).status == 400
    assert (await client.get("/console/api/audit", headers=AUTH)).status == 200  # the machine token may read it


async def test_the_token_stays_the_machine_credential(client: TestClient) -> None:
    body = await (await client.get("/console/api/session", headers=AUTH)).json()
    assert body == {"ok": True, "user": "令牌", "role": "machine", "via": "token"}


async def test_behind_https_the_cookie_is_secure(make_client: MakeClient, base_settings: Settings) -> None:
    client = await make_client(trust_proxy=True)
    add_staff(base_settings, "wang.li")
    resp = await client.post("/console/api/login", json={"username": "wang.li", "password": PASSWORD},
                             headers={"X-Forwarded-Proto": "https"})
    assert resp.cookies[COOKIE]["secure"]


def test_the_cli_adds_disables_and_lists_accounts(base_settings: Settings) -> None:
    settings = replace(base_settings)
    env = {"PATH": "/usr/bin:/bin", "VAR_DIR": str(settings.var_dir), "TRACKER_DB": str(settings.tracker_db),
           "STAFF_ARGON2_MEMORY_KIB": "1024", "STAFF_ARGON2_TIME_COST": "1"}

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot.staff", *args], input=stdin, capture_output=True,
                              text=True, cwd=ROOT, env=env, timeout=60)

    assert cli("add", "li.na", "--password-stdin", stdin=PASSWORD + "\n").returncode == 0
    assert cli("add", "boss", "--admin", "--password-stdin", stdin=PASSWORD + "\n").returncode == 0
    again = cli("add", "li.na", "--password-stdin", stdin=PASSWORD + "\n")
    assert again.returncode == 1 and "已存在" in again.stderr
    short = cli("add", "zhao", "--password-stdin", stdin="short\n")
    assert short.returncode == 1 and "密码须为" in short.stderr and "Traceback" not in short.stderr
    assert cli("add", "Bad Name", "--password-stdin", stdin=PASSWORD + "\n").returncode == 1
    assert cli("disable", "li.na").returncode == 0
    assert cli("disable", "nobody").returncode == 1
    listed = cli("list").stdout.splitlines()
    assert [line.split()[:3] for line in listed] == [["boss", "admin", "正常"], ["li.na", "agent", "停用"]]
    with sqlite3.connect(settings.tracker_db) as db:
        hashes = [h for (h,) in db.execute("SELECT password_hash FROM staff")]
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
