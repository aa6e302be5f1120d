"""Stands in for the `rasa` executable in launcher tests (`run ... --port N`) and for the action server (`python -m
rasa_sdk --actions actions --port N`)."""

from __future__ import annotations

import argparse
import sys

from aiohttp import web

from tests.web.fake_rasa import FakeRasa


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", nargs="*")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--auth-token", default="")
    parser.add_argument("--interface", default="127.0.0.1")
    args, _ = parser.parse_known_args(argv)
    fake = FakeRasa(token=args.auth_token)
    app = fake.app()

    async def status(request: web.Request) -> web.Response:
        if request.query.get("token") != args.auth_token:
            return web.json_response({"status": "failure"}, status=401)
        return web.json_response({"model_file": "models/fake.tar.gz", "model_id": "fake"})

    app.router.add_get("/status", status)
    print(f"fake rasa {' '.join(args.command)} on port {args.port}", flush=True)
    web.run_app(app, host=args.interface, port=args.port, print=None)


if __name__ == "__main__":
    main(sys.argv[1:])
