"""Transactional apply of a ChangeSet: every file is written or none is, whatever fails or kills us.

The model is git's lockfiles plus a write-ahead journal, as pre-commit's stash restore does it:

1. `.scaffold-journal` (at the ChangeSet root) names every temp file, backup and folder before any exists;
2. staging: new bytes go to `.NAME.TOKEN.scaffold-tmp` beside their target, old files are hard-linked (or copied)
   to `.NAME.TOKEN.scaffold-old`; the journal then says `renaming` (written and fsynced before the first rename);
3. each target's bytes are compared with what was read at plan time just before its rename (changed: conflict);
4. after the last rename the journal says `committed`; backups are removed, then the journal.

A run that finds a journal (any command, before anything else) rolls a `staging` or `renaming` one back and
finishes a `committed` one, so no kill point leaves a mixed tree or temp files behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from connector_scaffold.errors import ConflictError, ScaffoldError

JOURNAL = ".scaffold-journal"
TEMP_SUFFIX = ".scaffold-tmp"
BACKUP_SUFFIX = ".scaffold-old"
_VERSION = 1
_SIBLING = re.compile(r"^\.[^/]+\.[0-9a-f]{16}\.scaffold-(tmp|old)\Z")


def _no_checkpoint(step: str) -> None:
    """Tests replace `checkpoint` to fail or SIGKILL the process at a given step; in use it does nothing."""


checkpoint: Callable[[str], None] = _no_checkpoint


@dataclass(frozen=True)
class Write:
    """One file to change: `path` is relative to the (resolved) root; `new` None deletes it."""

    path: str
    old: bytes | None
    new: bytes | None


@dataclass(frozen=True)
class _Entry:
    path: str
    temp: str | None
    backup: str | None
    new_sha: str | None


def apply(root: Path, writes: list[Write]) -> None:
    """Write every change in `writes` under `root` or none of them; raise ScaffoldError/ConflictError otherwise."""
    root = root.resolve()
    recover(root)
    token = secrets.token_hex(8)
    entries = [_entry(w, token) for w in writes]
    made_above = _make_root(root)
    folders = _missing_folders(root, writes)
    journal = _Journal(root, token, entries, folders)
    try:
        journal.write("staging", first=True)
        _stage(root, writes, entries, folders)
        journal.write("renaming")
    except BaseException as error:
        _discard(root, entries, folders, made_above)
        journal.remove()
        if isinstance(error, OSError):
            raise ScaffoldError(f"cannot write under {root}: {_reason(error)}; nothing written") from None
        raise
    try:
        for write, entry in zip(writes, entries, strict=True):
            checkpoint("rename")
            _expect_unchanged(root, write)
            _rename(root, entry)
        journal.write("committed")
    except BaseException as error:
        try:
            _roll_back(root, entries)
            _remove_folders(root, folders, made_above)
            journal.remove()
        except (OSError, ScaffoldError) as failed:
            raise ScaffoldError(
                f"cannot write under {root}: {_reason(error)}, and rolling back failed too ({_reason(failed)}); "
                f"the next scaffold run in {root} finishes the roll-back"
            ) from None
        if isinstance(error, ConflictError):
            raise
        if isinstance(error, OSError):
            raise ScaffoldError(f"cannot write under {root}: {_reason(error)}; nothing written") from None
        raise
    with contextlib.suppress(OSError):
        # The tree is complete; a backup that cannot be removed now is removed by the next run (the journal stays).
        _finish(root, entries)
        journal.remove()


def recover(root: Path) -> bool:
    """Complete or roll back an interrupted apply under root; True when there was one. Runs before anything else."""
    root = root.resolve()
    journal_path = root / JOURNAL
    _remove_stray_journal_temps(root)
    if not journal_path.is_file():
        return False
    state, entries, folders, pid = _read_journal(journal_path)
    if pid != os.getpid() and _alive(pid):
        raise ConflictError(
            f"{journal_path}: another scaffold (pid {pid}) is writing here; wait for it (or, if it is gone, "
            "delete the journal)"
        )
    if state == "committed":
        _finish(root, entries)
    elif state == "renaming":
        _roll_back(root, entries)
        _remove_folders(root, folders, [])
    else:
        _discard(root, entries, folders, [])
    journal_path.unlink(missing_ok=True)
    _fsync_folder(root)
    return True


def recover_around(paths: Iterable[Path]) -> None:
    """Recover any interrupted apply at each path, its parents, and (for a folder) its direct subfolders: where a
    command may have been applying when it was killed, found without knowing which command it was."""
    seen: set[Path] = set()
    for start in paths:
        with contextlib.suppress(OSError):
            start = start.resolve()
            candidates = [start, *start.parents]
            if start.is_dir():
                candidates += [child for child in start.iterdir() if (child / JOURNAL).is_file()]
            for folder in candidates:
                if folder not in seen:
                    seen.add(folder)
                    if (folder / JOURNAL).is_file():
                        recover(folder)


class _Journal:
    def __init__(self, root: Path, token: str, entries: list[_Entry], folders: list[str]) -> None:
        self.path = root / JOURNAL
        self.token = token
        self.entries = entries
        self.folders = folders
        self.ours = False

    def write(self, state: str, *, first: bool = False) -> None:
        checkpoint(f"journal-{state}")
        body = {
            "version": _VERSION,
            "pid": os.getpid(),
            "state": state,
            "folders": self.folders,
            "entries": [asdict(e) for e in self.entries],
        }
        temp = self.path.with_name(f"{JOURNAL}.{self.token}{TEMP_SUFFIX}")
        _write_file(temp, json.dumps(body, indent=1).encode("utf-8"), mode=0o666)
        if first:
            # link, not replace: a journal that appeared meanwhile is another run's, never ours to overwrite.
            try:
                os.link(temp, self.path)
                self.ours = True
            except FileExistsError:
                raise ConflictError(f"{self.path}: another scaffold run is writing here") from None
            finally:
                temp.unlink(missing_ok=True)
        else:
            try:
                os.replace(temp, self.path)
            except BaseException:
                temp.unlink(missing_ok=True)
                raise
        _fsync_folder(self.path.parent)

    def remove(self) -> None:
        if not self.ours:
            return
        self.path.unlink(missing_ok=True)
        _fsync_folder(self.path.parent)


def _entry(write: Write, token: str) -> _Entry:
    folder, _, name = write.path.rpartition("/")
    prefix = f"{folder}/" if folder else ""
    return _Entry(
        path=write.path,
        temp=f"{prefix}.{name}.{token}{TEMP_SUFFIX}" if write.new is not None else None,
        backup=f"{prefix}.{name}.{token}{BACKUP_SUFFIX}" if write.old is not None else None,
        new_sha=hashlib.sha256(write.new).hexdigest() if write.new is not None else None,
    )


def _make_root(root: Path) -> list[Path]:
    """Create root (the journal lives in it); the folders made, outermost first, to remove on failure."""
    made: list[Path] = []
    probe = root
    while not probe.exists():
        made.append(probe)
        probe = probe.parent
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        for folder in made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise ScaffoldError(f"cannot create {root}: {_reason(error)}; nothing written") from None
    return list(reversed(made))


def _missing_folders(root: Path, writes: list[Write]) -> list[str]:
    missing: set[str] = set()
    for write in writes:
        parts = write.path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            relative = "/".join(parts[:depth])
            if not (root / relative).exists():
                missing.add(relative)
    return sorted(missing, key=lambda f: (f.count("/"), f))


def _stage(root: Path, writes: list[Write], entries: list[_Entry], folders: list[str]) -> None:
    for folder in folders:
        (root / folder).mkdir(exist_ok=True)
    for write, entry in zip(writes, entries, strict=True):
        checkpoint("stage")
        target = root / write.path
        if entry.temp is not None and write.new is not None:
            mode = target.stat().st_mode & 0o7777 if write.old is not None else None
            _write_file(root / entry.temp, write.new, mode=0o666, chmod=mode)
        if entry.backup is not None and entry.temp is not None:
            # The old file stays reachable under a second name, so the rename that replaces it can be undone.
            try:
                os.link(target, root / entry.backup)
            except OSError:
                shutil.copy2(target, root / entry.backup)


def _write_file(path: Path, data: bytes, *, mode: int, chmod: int | None = None) -> None:
    """Create path exclusively (the umask applies to `mode`), write, fsync; a partial file never survives."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if chmod is not None:
            os.fchmod(fd, chmod)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


def _expect_unchanged(root: Path, write: Write) -> None:
    """The target must still hold what the plan read: a file edited or created meanwhile is the user's."""
    target = root / write.path
    try:
        current: bytes | None = target.read_bytes() if os.path.lexists(target) else None
    except OSError:
        current = b"\0unreadable"
    if current != write.old:
        what = "appeared" if write.old is None else "changed"
        raise ConflictError(f"{write.path}: {what} while scaffold was running; nothing written")


def _rename(root: Path, entry: _Entry) -> None:
    target = root / entry.path
    if entry.temp is not None:
        os.replace(root / entry.temp, target)
    elif entry.backup is not None:
        os.replace(target, root / entry.backup)


def _roll_back(root: Path, entries: list[_Entry]) -> None:
    """Put every renamed target back as it was (the journal's `renaming` state)."""
    for entry in reversed(entries):
        target = root / entry.path
        temp = root / entry.temp if entry.temp is not None else None
        backup = root / entry.backup if entry.backup is not None else None
        renamed = temp is None or not temp.exists()
        if backup is not None and backup.exists():
            if temp is not None and (not renamed or _same_file(backup, target)):
                backup.unlink()  # never replaced: the backup is a second name of the file in place
            else:
                if temp is not None and _sha(target) not in (entry.new_sha, None):
                    raise ScaffoldError(
                        f"{target}: changed after an interrupted scaffold run; its old bytes are in {backup}"
                    )
                os.replace(backup, target)
        elif backup is None and renamed and entry.new_sha is not None and _sha(target) == entry.new_sha:
            target.unlink()
        if temp is not None:
            temp.unlink(missing_ok=True)


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _discard(root: Path, entries: list[_Entry], folders: list[str], made_above: list[Path]) -> None:
    """Nothing was renamed yet: remove what staging made."""
    for entry in entries:
        for name in (entry.temp, entry.backup):
            if name is not None:
                with contextlib.suppress(OSError):
                    (root / name).unlink(missing_ok=True)
    _remove_folders(root, folders, made_above)


def _finish(root: Path, entries: list[_Entry]) -> None:
    for entry in entries:
        checkpoint("finish")
        for name in (entry.backup, entry.temp):
            if name is not None:
                (root / name).unlink(missing_ok=True)


def _remove_folders(root: Path, folders: list[str], made_above: list[Path]) -> None:
    for folder in [*(root / f for f in reversed(folders)), *reversed(made_above)]:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _remove_stray_journal_temps(root: Path) -> None:
    """A journal temp whose run died before linking it: nothing was staged yet."""
    with contextlib.suppress(OSError):
        for stray in root.glob(f"{JOURNAL}.*{TEMP_SUFFIX}"):
            stray.unlink(missing_ok=True)


def _read_journal(path: Path) -> tuple[str, list[_Entry], list[str], int]:
    problem = f"{path}: not a journal this scaffold wrote; inspect it and the files it names, then delete it"
    try:
        data: Any = json.loads(path.read_bytes())
        state, pid, folders = data["state"], data["pid"], data["folders"]
        entries = [_Entry(**raw) for raw in data["entries"]]
    except (OSError, ValueError, TypeError, KeyError):
        raise ScaffoldError(problem) from None
    valid = (
        data.get("version") == _VERSION
        and state in ("staging", "renaming", "committed")
        and isinstance(pid, int)
        and isinstance(folders, list)
        and all(isinstance(f, str) and _inside(f) for f in folders)
        and all(_valid_entry(e) for e in entries)
    )
    if not valid:
        raise ScaffoldError(problem)
    return state, entries, folders, pid


def _valid_entry(entry: _Entry) -> bool:
    """A hostile journal (committed to a repo) must not make recovery touch anything but our own siblings."""
    if not isinstance(entry.path, str) or not _inside(entry.path):
        return False
    folder = entry.path.rpartition("/")[0]
    for name in (entry.temp, entry.backup):
        if name is None:
            continue
        if not isinstance(name, str) or name.rpartition("/")[0] != folder:
            return False
        if not _SIBLING.match(name.rpartition("/")[2]):
            return False
    return entry.new_sha is None or isinstance(entry.new_sha, str)


def _inside(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and ".." not in parts and "" not in parts and "\0" not in path


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX: the folder entry, not the file, records it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        return f"{error.strerror or error}{where}"
    return str(error) or type(error).__name__
