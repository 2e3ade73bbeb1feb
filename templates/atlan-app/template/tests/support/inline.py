"""Helpers for calling app code outside an SDK activity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson


async def run_inline(func: Any, *args: Any, **kwargs: Any) -> Any:
    """What the task's run_in_thread does, minus the thread: enough for a test."""
    return func(*args, **kwargs)


def read_lines(path: str | Path | None) -> list[Any]:
    """The JSON lines of a file written by the app."""
    text = Path(path or "").read_bytes()
    return [orjson.loads(line) for line in text.splitlines() if line.strip()]
