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


def summary(findings: list[FindingLike]) -> str:
    """The closing line, as ruff prints it: what was found and how much `scaffold fix` repairs."""
    if not findings:
        return "All checks passed!"
    fixable = sum(1 for f in findings if f.fixable)
    found = f"Found {len(findings)} finding{'' if len(findings) == 1 else 's'}"
    if not fixable:
        return f"{found}."
    return f"{found} ({fixable} fixable with `scaffold fix`; marked [*])."


def diff_json(diffs: Iterable[tuple[str, str]]) -> str:
    """`--diff --format json`: the fixes of each file as a unified diff."""
    return json.dumps([{"path": path, "diff": diff} for path, diff in diffs], indent=2)


def json_text(findings: Iterable[Located]) -> str:
    rows: list[dict[str, Any]] = [
        {"path": path, "line": f.line, "column": f.column, "code": f.code, "message": f.message, "fixable": f.fixable}
        for path, f in findings
    ]
    return json.dumps(rows, indent=2)
