"""Three-way merge of generated trees: (old template, new template, the user's tree) -> what to write.

The text merge is git's own `git merge-file` rather than a hand-written diff3: it is the merge every user already
trusts and reads conflicts of, Copier's `update` uses it for the same job, and it is present wherever an app lives
in git (which `update` expects anyway). Only files changed on both sides reach it; everything else is decided by
comparing bytes.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from connector_scaffold import subprocesses
from connector_scaffold.errors import ScaffoldError

# The labels Copier writes, so a conflict reads the same whichever tool made it.
LABELS = ("before updating", "last update", "after updating")


class Outcome(StrEnum):
    unchanged = "unchanged"  # nothing to do: the template did not change it, or the user already has the new bytes
    take = "take"  # the new template's bytes (the user never changed the file)
    merged = "merged"  # both changed it, without overlap
    conflict = "conflict"  # both changed the same lines (or one deleted what the other changed)
    delete = "delete"  # the new template no longer renders it and the user never changed it
    kept = "kept"  # the new template no longer renders it, but the user changed it: kept, reported


@dataclass(frozen=True)
class FileMerge:
    path: str
    outcome: Outcome
    data: bytes | None  # what the file becomes (None: absent)
    rejected: bytes | None = None  # the template's change that did not apply, as a unified diff (`--conflict rej`)
    reason: str = ""


def merge_trees(
    base: dict[str, bytes], theirs: dict[str, bytes], ours: dict[str, bytes | None], *, inline: bool
) -> list[FileMerge]:
    """Merge every path the old or new template renders. `ours` maps those paths to the user's bytes (None: the
    user has no such file). `inline`: conflict markers in the file; otherwise the user's side stays in the file and
    the template's change goes to `<path>.rej`."""
    results: list[FileMerge] = []
    for path in sorted(set(base) | set(theirs)):
        old, new, mine = base.get(path), theirs.get(path), ours.get(path)
        results.append(_merge_one(path, old, new, mine, inline=inline))
    return results


def _merge_one(path: str, old: bytes | None, new: bytes | None, mine: bytes | None, *, inline: bool) -> FileMerge:
    if old == new or mine == new:
        return FileMerge(path, Outcome.unchanged, mine)
    if new is None:
        if mine == old:
            return FileMerge(path, Outcome.delete, None)
        return FileMerge(path, Outcome.kept, mine, reason="no longer in the template; you changed it, so it is kept")
    if mine == old:
        return FileMerge(path, Outcome.take, new)
    if mine is None:
        return FileMerge(
            path,
            Outcome.conflict,
            None,
            rejected=unified(path, old or b"", new),
            reason="you deleted it and the template changed it; its change is in the .rej file",
        )
    merged, conflicts = merge_file(old or b"", mine, new, favor_ours=not inline)
    if merged is None:
        return FileMerge(
            path,
            Outcome.conflict,
            mine,
            rejected=new,
            reason="binary file changed on both sides; the template's is in the .rej file",
        )
    if conflicts == 0:
        return FileMerge(path, Outcome.merged, merged)
    reason = f"{conflicts} conflicting hunk(s)"
    if inline:
        return FileMerge(path, Outcome.conflict, merged, reason=reason + ", marked in the file")
    return FileMerge(
        path, Outcome.conflict, merged, rejected=unified(path, old or b"", new), reason=reason + ", see the .rej file"
    )


def merge_file(base: bytes, ours: bytes, theirs: bytes, *, favor_ours: bool = False) -> tuple[bytes | None, int]:
    """`git merge-file -p`: (merged bytes, number of conflicts), or (None, 1) for binary input. `favor_ours`
    resolves each conflicting hunk to our side (what `--conflict rej` leaves in the file)."""
    if any(b"\0" in data for data in (base, ours, theirs)):
        return None, 1
    git = shutil.which("git")
    if git is None:
        raise ScaffoldError("`scaffold update` merges with `git merge-file`: install git")
    with tempfile.TemporaryDirectory(prefix="scaffold-merge3-") as scratch:
        names = []
        for label, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            file = Path(scratch) / label
            file.write_bytes(data)
            names.append(str(file))
        labels = [arg for label in LABELS for arg in ("-L", label)]
        done = subprocesses.run(
            [git, "merge-file", "-p", *(["--ours"] if favor_ours else []), *labels, *names],
            capture_output=True,
            check=False,
            timeout=subprocesses.TOOL_TIMEOUT,
        )
    if done.returncode < 0 or done.returncode > 127:
        raise ScaffoldError(f"git merge-file failed: {done.stderr.decode(errors='replace').strip()}")
    # favor_ours resolves every conflict, so git reports none; count them from an ordinary run instead.
    conflicts = done.returncode if not favor_ours else merge_file(base, ours, theirs)[1]
    return done.stdout, conflicts


def unified(path: str, old: bytes, new: bytes) -> bytes:
    """The template's own change to `path` (old template -> new template) as a unified diff."""
    import difflib

    lines = difflib.unified_diff(
        old.decode("utf-8", "replace").splitlines(keepends=True),
        new.decode("utf-8", "replace").splitlines(keepends=True),
        fromfile=f"a/{path} (last update)",
        tofile=f"b/{path} (after updating)",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines).encode()
