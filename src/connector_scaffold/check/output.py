"""Findings as text lines like ruff's (`path:line:col: CODE message`) or as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Protocol


class FindingLike(Protocol):
    line: int
    column: int
    code: str
    message: str
    fixable: bool


Located = tuple[str, FindingLike]


def text_lines(findings: Iterable[Located]) -> list[str]:
    """One line per finding; `[*]` marks what `scaffold fix` repairs."""
    return [f"{path}:{f.line}:{f.column}: {f.code}{' [*]' if f.fixable else ''} {f.message}" for path, f in findings]


def json_text(findings: Iterable[Located]) -> str:
    rows: list[dict[str, Any]] = [
        {"path": path, "line": f.line, "column": f.column, "code": f.code, "message": f.message, "fixable": f.fixable}
        for path, f in findings
    ]
    return json.dumps(rows, indent=2)
