"""The base of the web app's errors whose message a citizen or a hotline worker may read (Chinese, no internals)."""

from __future__ import annotations


class ReadableError(Exception):
    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail  # for the log only
