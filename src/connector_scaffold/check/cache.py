"""Findings per file content, in `.scaffold_cache/` at the project root (like ruff's `.ruff_cache/`).

An entry is keyed by the SHA-256 of the file's bytes, inside a file named for the rule-set version (a hash of
the engine and rule sources), so editing a rule or the engine invalidates everything at once. Entries hold every
rule's findings; --select, --ignore and per-file-ignores filter them afterwards, so the key needs no config.

The file is trusted only after it is checked on read: its own `version` must be this rule set's, every entry must
have the shape findings have, and a digest over the entries must match (a truncated, hand-edited or foreign file
fails it). Anything off makes the whole file a miss: the check runs cold, never crashes and never hides a finding.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from contextlib import suppress
from pathlib import Path
from typing import Any

from connector_scaffold.paths import codemods_dir

FOLDER = ".scaffold_cache"
_FORMAT = "2"
_KEY = re.compile(r"\A[0-9a-f]{64}\Z")
_CODE = re.compile(r"\ASCF[0-9]{3}\Z")
# Enough for a large monorepo; beyond it the entries this run did not touch are dropped.
_MAX_ENTRIES = 20_000


def content_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ruleset_version() -> str:
    digest = hashlib.sha256(f"{_FORMAT}:{sys.version_info[:2]}".encode())
    # The rules read the tree through the shared CST helpers, so a change there changes findings too.
    paths = [codemods_dir() / "cst_helpers.py"]
    for folder in ("lint", "rules", "fast", "fast/rules"):
        paths.extend(sorted((codemods_dir() / folder).glob("*.py")))
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


class Cache:
    """A dict of content key -> findings (as JSON rows); `path` None means --no-cache."""

    def __init__(self, path: Path | None, entries: dict[str, Any]) -> None:
        self.path = path
        self._entries = entries
        self._touched: set[str] = set()
        self._changed = False

    @classmethod
    def disabled(cls) -> Cache:
        return cls(None, {})

    @classmethod
    def open(cls, root: Path) -> Cache:
        path = root / FOLDER / f"{ruleset_version()}.json"
        entries: dict[str, Any] = {}
        # An unreadable, corrupt or foreign cache is an empty one: the check just runs cold.
        with suppress(OSError, ValueError, RecursionError):
            entries = _checked(json.loads(path.read_bytes()), path.stem)
        return cls(path, entries)

    def get(self, key: str) -> list[list[Any]] | None:
        rows = self._entries.get(key)
        if rows is not None:
            self._touched.add(key)
        return rows

    def put(self, key: str, rows: list[list[Any]]) -> None:
        if self.path is None:
            return
        self._touched.add(key)
        if self._entries.get(key) != rows:
            self._entries[key] = rows
            self._changed = True

    def save(self) -> None:
        if self.path is None or not self._changed:
            return
        entries = self._entries
        if len(entries) > _MAX_ENTRIES:
            entries = {key: rows for key, rows in entries.items() if key in self._touched}
        import tempfile  # only a run that changed the cache writes it

        # A cache that cannot be written (read-only checkout, full disk) only costs the next run its speed.
        with suppress(OSError):
            _prepare(self.path.parent)
            handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".json")
            document = {"format": _FORMAT, "version": self.path.stem, "digest": _digest(entries), "entries": entries}
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(document, stream, separators=(",", ":"))
            os.replace(temp, self.path)
            for stale in self.path.parent.glob("*.json"):
                if stale != self.path:
                    stale.unlink(missing_ok=True)


def _digest(entries: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(entries, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _checked(document: object, version: str) -> dict[str, Any]:
    """The entries of a cache file that passes every check, else {}."""
    if not (
        isinstance(document, dict)
        and document.get("format") == _FORMAT
        and document.get("version") == version
        and isinstance(document.get("entries"), dict)
    ):
        return {}
    entries: dict[str, Any] = document["entries"]
    if document.get("digest") != _digest(entries):
        return {}
    if not all(_KEY.match(key) and _valid_rows(rows) for key, rows in entries.items()):
        return {}
    return entries


def _valid_rows(rows: object) -> bool:
    """A list of findings as Finding.to_json writes them: [line, column, code, message, fixable]."""
    return isinstance(rows, list) and all(
        isinstance(row, list)
        and len(row) == 5
        and all(type(n) is int and n >= 0 for n in row[:2])
        and isinstance(row[2], str)
        and _CODE.match(row[2]) is not None
        and isinstance(row[3], str)
        and type(row[4]) is bool
        for row in rows
    )


def _prepare(folder: Path) -> None:
    """The cache folder ignores itself in git and is tagged as a cache for backup tools, as ruff's is."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Automatically created by scaffold.\n*\n", encoding="utf-8")
    tag = folder / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n", encoding="utf-8")
