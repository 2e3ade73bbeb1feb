"""What git says about a tree: the commands that overwrite a user's files ask it first."""

from __future__ import annotations

from pathlib import Path

from connector_scaffold import subprocesses

# git status on a huge or network-mounted tree: bounded, so scaffold never hangs on it.
GIT_TIMEOUT = subprocesses.GIT_TIMEOUT


def uncommitted(root: Path) -> list[str] | None:
    """Tracked files with uncommitted changes under root, or None when root is not in git.

    Untracked files are not counted: the merge itself never overwrites one (it is a conflict)."""
    done = subprocesses.run(
        ["git", "status", "--porcelain", "--untracked-files=no", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=GIT_TIMEOUT,
    )
    if done.returncode != 0:
        return None
    return [line[3:] for line in done.stdout.splitlines() if line.strip()]
