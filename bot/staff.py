"""`python -m bot.staff add|disable|enable|list`: the console's staff accounts, kept in the tracker store's database
(the web app's settings: TRACKER_STORE_URL, else TRACKER_DB / VAR_DIR). Run it where the web app runs, as its user.

    python -m bot.staff add wang.li [--admin]     asks for the password twice (or --password-stdin)
    python -m bot.staff disable wang.li            ends the account's sessions at once
    python -m bot.staff enable wang.li
    python -m bot.staff list
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime

from bot.accounts import AccountError, Accounts, Policy
from bot.settings import Settings
from envsettings import SettingError
from stores.db import Lazy, describe


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码（至少 10 个字符）: ")
    if getpass.getpass("再输入一次: ") != first:
        raise AccountError("两次输入的密码不一致。")
    return first


def _when(timestamp: float | None) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M") if timestamp else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.staff", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create an account")
    add.add_argument("username")
    add.add_argument("--admin", action="store_true", help="may read the audit log")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    for name, text in (("disable", "disable an account (its sessions end)"), ("enable", "enable it again")):
        commands.add_parser(name, help=text).add_argument("username")
    commands.add_parser("list", help="every account")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        database = Lazy(lambda: settings.database_url)
        accounts = Accounts(database.get, Policy.of(settings))
        if args.command == "add":
            staff = accounts.add(args.username, _password(args.password_stdin), "admin" if args.admin else "agent")
            print(f"账号 {staff.username}（{staff.role}）已创建：{describe(database.get())}")
        elif args.command in ("disable", "enable"):
            accounts.set_disabled(args.username, args.command == "disable")
            print(f"账号 {args.username} 已{'停用' if args.command == 'disable' else '启用'}。")
        else:
            for staff in accounts.list():
                state = "正常"
                if staff.disabled:
                    state = "停用"
                elif staff.locked_until:
                    state = f"锁定至 {_when(staff.locked_until)}"
                print(f"{staff.username:<24} {staff.role:<6} {state:<22} 创建于 {_when(staff.created_at)}")
    except (AccountError, SettingError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
