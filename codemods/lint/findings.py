"""What a lint run reports, without libcst, so that cached results load without importing it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

PARSE_ERROR = "SCF000"

# Rules about production behaviour (timeouts, http://, swallowed errors, secrets, persisted paths, ...): test code
# fakes servers, plants secrets and swallows errors on purpose, so these stay quiet in test files unless the
# config's `tests` globs are emptied or `--include-tests` is given. The others (the incremental flags, deprecated
# helpers, unsafe yaml) apply to tests as well.
PRODUCTION_ONLY = frozenset(
    {
        "SCF003",
        "SCF004",
        "SCF005",
        "SCF006",
        "SCF008",
        "SCF009",
        "SCF010",
        "SCF011",
        "SCF012",
        "SCF013",
        "SCF014",
        "SCF016",
    }
)

_IGNORE = re.compile(r"#\s*scaffold:\s*ignore(?!-)(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
_IGNORE_FILE = re.compile(rb"#\s*scaffold:\s*ignore-file(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)


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
        if codes is None or code in {part.strip().upper() for part in codes.split(",")}:
            return True
    return False


def file_ignores(source: bytes) -> frozenset[str] | None:
    """The codes a `# scaffold: ignore-file[CODE, ...]` comment silences in the whole file ("ALL" for a bare one);
    None without such a comment."""
    codes: set[str] = set()
    found = False
    for match in _IGNORE_FILE.finditer(source):
        found = True
        listed = match.group("codes")
        if listed is None:
            codes.add("ALL")
        else:
            codes.update(part.strip().decode("ascii", "replace").upper() for part in listed.split(b","))
    return frozenset(codes) if found else None


def silenced_by_file(code: str, ignores: frozenset[str]) -> bool:
    return "ALL" in ignores or any(code.startswith(prefix) for prefix in ignores if prefix)
