"""ChangeSet: every file a command wants to write, checked in memory, then shown or applied atomically."""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from connector_scaffold import subprocesses, transaction
from connector_scaffold.errors import ConflictError, ScaffoldError

GIT_TIMEOUT = subprocesses.GIT_TIMEOUT


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
    reason: str = "exists with different content"

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

    def __post_init__(self) -> None:
        # An earlier run killed while applying here is finished or rolled back before anything is read.
        transaction.recover(self.root)

    def put(self, path: str, new: bytes, *, overwrite: bool = True) -> None:
        """Record the new bytes of `path`; an existing different file without `overwrite` is a conflict."""
        old = self._read(path)
        conflict = old is not None and old != new and not overwrite
        self.changes[path] = FileChange(path, old, new, conflict)

    def put_replacing(self, path: str, expected: bytes, new: bytes) -> None:
        """Record new bytes computed from `expected`: a file that no longer holds them was changed by someone else
        since it was read (an editor, a formatter on save) and becomes a conflict, not an overwrite."""
        old = self._read(path)
        if old != expected:
            self.changes[path] = FileChange(path, old, new, True, "changed since scaffold read it")
        else:
            self.changes[path] = FileChange(path, old, new)

    def delete(self, path: str) -> None:
        old = self._read(path)
        if old is not None:
            self.changes[path] = FileChange(path, old, None)

    def _read(self, path: str) -> bytes | None:
        """What `path` holds now (None: nothing); refuses paths, links and special files that are not ours to write."""
        _check_relative(path)
        target = self.root / path
        _check_link(self.root, path)
        if target.is_file():
            return target.read_bytes()
        if os.path.lexists(target):
            raise ScaffoldError(f"{target}: exists and is not a regular file; refusing to replace it")
        return None

    def protect_untracked(self) -> None:
        """Files git does not track (or ignores) that a change would replace become conflicts: git cannot give them
        back. Outside git this does nothing, as the dirty-tree check does."""
        candidates = [c.path for c in self.pending if c.old is not None and not c.conflict]
        if not candidates:
            return
        for path in _git_untracked(self.root, candidates):
            change = self.changes[path]
            self.changes[path] = FileChange(
                path, change.old, change.new, True, "exists and is not tracked by git; commit or move it first"
            )

    def sorted_changes(self) -> list[FileChange]:
        return [self.changes[key] for key in sorted(self.changes)]

    def by_status(self, status: Status) -> list[str]:
        return [c.path for c in self.sorted_changes() if c.status == status]

    @property
    def pending(self) -> list[FileChange]:
        return [c for c in self.sorted_changes() if c.status in (Status.create, Status.update, Status.delete)]

    def validate(self) -> None:
        """Every Python file must compile, and every TOML, YAML and JSON file parse, before anything is written."""
        for change in self.sorted_changes():
            if change.new is not None:
                problem = _parse_problem(change.path, change.new, str(self.root / change.path))
                if problem is not None:
                    raise ScaffoldError(f"{change.path}:{problem}")

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
        """Write every pending change or none (see transaction.py): a failure, a kill or a file changed under us
        leaves the tree as it was."""
        conflicts = [c for c in self.sorted_changes() if c.conflict]
        if conflicts:
            raise ConflictError(f"{conflicts[0].path}: {conflicts[0].reason}; nothing written")
        self.validate()
        pending = self.pending
        writes = [transaction.Write(self._real(c.path), c.old, c.new) for c in pending]
        transaction.apply(self.root, writes)
        return [c.path for c in pending]

    def _real(self, path: str) -> str:
        """Where `path` is written: a symlink inside the root is written through (it stays a link)."""
        return (self.root / path).resolve().relative_to(self.root.resolve()).as_posix()


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


def _check_link(root: Path, path: str) -> None:
    """A symlink on the way to `path` (or `path` itself) must not lead out of the root."""
    real_root = root.resolve()
    real = (root / path).resolve()
    if real != real_root and real_root not in real.parents:
        raise ScaffoldError(f"{path}: a symlink leads outside {root} (to {real}); refusing to write through it")


def _parse_problem(path: str, data: bytes, filename: str) -> str | None:
    """Why `data` is not valid for the language its name says (None when it parses), as `LINE: message`."""
    suffix = path.rpartition(".")[2].lower()
    try:
        if suffix == "py":
            compile(data, filename, "exec", dont_inherit=True)
        elif suffix == "toml":
            tomllib.loads(data.decode("utf-8"))
        elif suffix == "json":
            json.loads(data.decode("utf-8"))
        elif suffix in ("yml", "yaml"):
            import yaml

            # compose, not load: syntax only, so a CI file's custom tags (`!reference`) are still fine.
            for _ in yaml.compose_all(data.decode("utf-8"), Loader=yaml.SafeLoader):
                pass
        else:
            return None
    except SyntaxError as error:
        return f"{error.lineno}: generated code does not compile: {error.msg}"
    except UnicodeDecodeError as error:
        return f"1: generated file is not UTF-8: {error.reason}"
    except ValueError as error:  # tomllib.TOMLDecodeError and json.JSONDecodeError
        # tomllib names the line only in its message before Python 3.14.
        found = re.search(r"at line (\d+)", str(error))
        line = getattr(error, "lineno", None) or (int(found.group(1)) if found else 1)
        return f"{line}: generated {suffix.upper()} does not parse: {_first_line(error)}"
    except Exception as error:  # yaml.YAMLError: yaml is imported lazily, so it cannot be named here
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return f"{line}: generated YAML does not parse: {_first_line(error)}"
    return None


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _git_untracked(root: Path, paths: list[str]) -> list[str]:
    """Those of `paths` (relative to root, all existing) that git does not track; [] outside git."""
    try:
        inside = subprocesses.run(
            ["git", "rev-parse", "--is-inside-work-tree"],
            cwd=root,
            capture_output=True,
            check=False,
            timeout=GIT_TIMEOUT,
        )
        if inside.returncode != 0:
            return []
        done = subprocesses.run(
            ["git", "--literal-pathspecs", "ls-files", "--cached", "-z", "--", *paths],
            cwd=root,
            capture_output=True,
            check=False,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, ScaffoldError):
        return []
    if done.returncode != 0:
        return []
    tracked = set(done.stdout.decode("utf-8", "surrogateescape").split("\0"))
    return [p for p in paths if p not in tracked]
