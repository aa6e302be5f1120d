"""Where the built knowledge base lives (OFFICES_KB_DB, default offices_kb/build/offices.sqlite). Apart from the
builder, so that a process that only reads the file (the web app in its own virtualenv) need not install the
builder's dependencies (sqlite-utils, jieba's dictionary)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = Path(os.environ.get("OFFICES_KB_DB", Path(__file__).resolve().parent / "build" / "offices.sqlite"))
