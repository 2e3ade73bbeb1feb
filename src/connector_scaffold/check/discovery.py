"""The Python files under the given paths, minus virtualenvs, build output, caches and what git ignores."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path

from connector_scaffold import subprocesses
from connector_scaffold.check.config import CheckConfig

SKIPPED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".direnv",
        "__pypackages__",
        "site-packages",
        "node_modules",
        "build",
        "dist",
        "_build",
        ".eggs",
        "__pycache__",
        ".cache",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".scaffold_cache",
    }
)
SUFFIXES = (".py", ".pyi")


def discover(paths: Iterable[Path], config_of: Callable[[Path], CheckConfig]) -> list[Path]:
    """Files named on the command line are always checked, unless their config excludes them (as pre-commit
    passes them); folders are searched."""
    found: set[Path] = set()
    for path in paths:
        # FIFOs, sockets and devices are skipped even when named: reading one blocks or never ends.
        found.update(_python_files(path) if path.is_dir() else [path] if path.is_file() else [])
    return sorted(path for path in found if not config_of(path).excluded(path))


def _python_files(folder: Path) -> Iterator[Path]:
    listed = _git_listed(folder)
    candidates = listed if listed is not None else _walked(folder)
    for relative in candidates:
        if relative.endswith(SUFFIXES) and not _in_skipped_folder(folder, relative):
            path = folder / relative
            if path.is_file():  # git lists deleted files that are still tracked
                yield path


def _git_listed(folder: Path) -> list[str] | None:
    """Tracked and untracked files that git does not ignore, relative to `folder`; None outside a git repo."""
    try:
        done = subprocesses.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=folder,
            capture_output=True,
            check=False,
            timeout=subprocesses.GIT_TIMEOUT,
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    return sorted({name for name in done.stdout.decode("utf-8", "surrogateescape").split("\0") if name})


def _walked(folder: Path) -> Iterator[str]:
    for current, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not _skipped(Path(current, name))]
        relative = Path(current).relative_to(folder)
        yield from ((relative / name).as_posix() for name in files)


def _in_skipped_folder(folder: Path, relative: str) -> bool:
    parts = relative.split("/")[:-1]
    return any(_skipped(folder.joinpath(*parts[: depth + 1])) for depth in range(len(parts)))


@cache
def _skipped(folder: Path) -> bool:
    name = folder.name
    return name in SKIPPED_FOLDERS or name.endswith(".egg-info") or (folder / "pyvenv.cfg").is_file()


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file; a file replaced by a FIFO or a device since discovery raises OSError instead
    of blocking (opened non-blocking, checked with fstat before the first read)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return stream.read()
    finally:
        os.close(fd)
