"""The last two steps every command shares: show the ChangeSet (dry run) or apply it, then report.

spec -> render / codemods -> ChangeSet -> show_or_apply -> report: the commands differ only in what comes before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from connector_scaffold.changeset import ChangeSet, Status

Echo = Callable[[str], None]


def show_or_apply(
    changes: ChangeSet,
    dry_run: bool,
    out: Echo,
    *,
    dest: Path | None = None,
    diff: bool = False,
    before_apply: Callable[[], None] | None = None,
    protect_untracked: bool = False,
) -> list[str] | None:
    """Dry run: print the unified diff (with `diff`) and every file's status, write nothing and return None.
    Otherwise run `before_apply` (a last refusal, e.g. a dirty tree), write every pending file atomically and
    return their paths. `protect_untracked`: a file git does not track is a conflict, not replaced (for commands
    that add files to a user's project, which git alone can undo)."""
    if protect_untracked:
        changes.protect_untracked()
    if dry_run:
        if diff and changes.pending:
            out(changes.diff().rstrip("\n"))
        for line in changes.report():
            out(line)
        where = f" under {dest}" if dest is not None else ""
        out(f"dry run: would write {len(changes.pending)} file(s){where}; nothing written")
        return None
    if before_apply is not None and changes.pending:
        before_apply()
    return changes.apply()


def written_lines(changes: ChangeSet, written: list[str]) -> list[str]:
    """`  created   path` / `  modified  path` for each written file, creations first."""
    return [
        f"  {verb:<8}  {path}"
        for status, verb in ((Status.create, "created"), (Status.update, "modified"))
        for path in changes.by_status(status)
        if path in written
    ]
