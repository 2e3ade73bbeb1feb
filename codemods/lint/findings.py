"""What a lint run reports, without libcst, so that cached results load without importing it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

PARSE_ERROR = "SCF000"

_IGNORE = re.compile(r"#\s*scaffold:\s*ignore(?:\[(?P<codes>[^\]]*)\])?")


@dataclass(frozen=True, order=True)
class Finding:
    """One finding in one file: 1-based line and column, like ruff."""

    line: int
    column: int
    code: str
    message: str
    fixable: bool = False

    def to_json(self) -> list[object]:
        return [self.line, self.column, self.code, self.message, self.fixable]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> Finding:
        line, column, code, message, fixable = data
        return cls(int(line), int(column), str(code), str(message), bool(fixable))


def suppressed(lines: list[str], first: int, last: int, code: str) -> bool:
    """`# scaffold: ignore` or `# scaffold: ignore[CODE, ...]` on the first or last line of the flagged node.

    The last line counts so that a multi-line string or call can carry the comment where Python allows one.
    """
    for number in {first, last}:
        if not 0 < number <= len(lines):
            continue
        match = _IGNORE.search(lines[number - 1])
        if match is None:
            continue
        codes = match.group("codes")
        if codes is None or code in {part.strip() for part in codes.split(",")}:
            return True
    return False
