"""ChangeSet: every file a command wants to write, checked in memory, then shown or applied atomically."""

from __future__ import annotations

import contextlib
import difflib
import os
import tempfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from connector_scaffold.errors import ConflictError, ScaffoldError


class Status(StrEnum):
    create = "create"
    update = "update"
    identical = "identical"
    delete = "delete"
    conflict = "conflict"


@dataclass(frozen=True)
class FileChange:
    path: str
    old: bytes | None
    new: bytes | None
    conflict: bool = False

    @property
    def status(self) -> Status:
        if self.conflict:
            return Status.conflict
        if self.new is None:
            return Status.delete
        if self.old is None:
            return Status.create
        return Status.identical if self.old == self.new else Status.update


@dataclass
class ChangeSet:
    """Changes under one root; paths are POSIX and relative to that root."""

    root: Path
    changes: dict[str, FileChange] = field(default_factory=dict)

    def put(self, path: str, new: bytes, *, overwrite: bool = True) -> None:
        """Record the new bytes of `path`; an existing different file without `overwrite` is a conflict."""
        _check_relative(path)
        target = self.root / path
        old = target.read_bytes() if target.is_file() else None
        conflict = old is not None and old != new and not overwrite
        self.changes[path] = FileChange(path, old, new, conflict)

    def delete(self, path: str) -> None:
        _check_relative(path)
        target = self.root / path
        if target.is_file():
            self.changes[path] = FileChange(path, target.read_bytes(), None)

    def sorted_changes(self) -> list[FileChange]:
        return [self.changes[key] for key in sorted(self.changes)]

    def by_status(self, status: Status) -> list[str]:
        return [c.path for c in self.sorted_changes() if c.status == status]

    @property
    def pending(self) -> list[FileChange]:
        return [c for c in self.sorted_changes() if c.status in (Status.create, Status.update, Status.delete)]

    def validate(self) -> None:
        """Every Python file must compile before anything is written."""
        for change in self.sorted_changes():
            if change.new is None or not change.path.endswith(".py"):
                continue
            try:
                compile(change.new, str(self.root / change.path), "exec", dont_inherit=True)
            except SyntaxError as error:
                raise ScaffoldError(
                    f"{change.path}:{error.lineno}: generated code does not compile: {error.msg}"
                ) from None

    def diff(self) -> str:
        """A unified diff of every pending change (binary files are named, not shown)."""
        chunks: list[str] = []
        for change in self.pending:
            old_text = _text(change.old)
            new_text = _text(change.new)
            if old_text is None or new_text is None:
                chunks.append(f"Binary file {change.path} {change.status.value}d\n")
                continue
            chunks.extend(
                difflib.unified_diff(
                    old_text.splitlines(keepends=True),
                    new_text.splitlines(keepends=True),
                    fromfile="/dev/null" if change.old is None else f"a/{change.path}",
                    tofile="/dev/null" if change.new is None else f"b/{change.path}",
                )
            )
        return "".join(line if line.endswith("\n") else line + "\n" for line in chunks)

    def report(self) -> list[str]:
        """One line per file: `status  path`."""
        width = max((len(s.value) for s in Status), default=0)
        return [f"{c.status.value:<{width}}  {c.path}" for c in self.sorted_changes()]

    def apply(self) -> list[str]:
        """Write every pending change or none: stage temp files first, then rename them into place."""
        conflicts = self.by_status(Status.conflict)
        if conflicts:
            raise ConflictError(f"{conflicts[0]}: exists with different content; nothing written")
        self.validate()
        staged: list[tuple[Path, Path]] = []
        created_dirs: list[Path] = []
        try:
            for change in self.pending:
                if change.new is None:
                    continue
                target = self.root / change.path
                created_dirs.extend(_make_parents(target.parent))
                handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
                with os.fdopen(handle, "wb") as stream:
                    stream.write(change.new)
                if target.exists():
                    os.chmod(temp, target.stat().st_mode & 0o7777)
                staged.append((Path(temp), target))
        except OSError as error:
            for staged_temp, _ in staged:
                staged_temp.unlink(missing_ok=True)
            for folder in reversed(created_dirs):
                _remove_if_empty(folder)
            raise ScaffoldError(f"cannot write under {self.root}: {error.strerror or error}; nothing written") from None
        for staged_temp, target in staged:
            os.replace(staged_temp, target)
        for change in self.pending:
            if change.new is None:
                (self.root / change.path).unlink()
        return [c.path for c in self.pending]


def _check_relative(path: str) -> None:
    parts = Path(path).parts
    if Path(path).is_absolute() or ".." in parts or not parts:
        raise ScaffoldError(f"refusing to write outside the target folder: {path}")


def _text(data: bytes | None) -> str | None:
    if data is None:
        return ""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _make_parents(folder: Path) -> list[Path]:
    missing: list[Path] = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    folder.mkdir(parents=True, exist_ok=True)
    return list(reversed(missing))


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()
