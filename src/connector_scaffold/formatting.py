"""ruff as the formatter of everything a command writes: a rendered tree, or new files laid into a user's project."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from connector_scaffold import subprocesses
from connector_scaffold.errors import ScaffoldError

RUFF_CONFIGS = ("pyproject.toml", "ruff.toml", ".ruff.toml")
# Seconds one ruff run may take: ruff is quadratic on some huge modules, and a hang is worse than a clear refusal.
RUFF_TIMEOUT = 300
# Never part of an app's module layout; pruned so that mirroring a big checkout stays cheap.
_SKIP_DIRS = {".git", ".hg", "node_modules", "__pycache__", ".ruff_cache", ".pytest_cache", ".mypy_cache", ".tox"}


def format_python(root: Path) -> None:
    """One `ruff format` over the rendered tree, so what we show and write is what ruff would keep.

    `--no-cache`: a `.ruff_cache/` inside the scratch folder would be read back as rendered files.
    """
    _run_ruff([_ruff_executable(), "format", "--no-cache", "--quiet", "."], root)


def format_like(root: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    """`files` (relative to root) with their Python files import-sorted and formatted as ruff would once written.

    Done in a scratch mirror of root, never in root: ruff counts `app.extracts.x` as first-party only when
    app/extracts/x.py exists, so the mirror holds the app's ruff configs, an empty stand-in for each of its
    Python files and the new bytes of `files`.
    """
    python = sorted(path for path in files if path.endswith(".py"))
    if not python:
        return dict(files)
    ruff = _ruff_executable()
    with tempfile.TemporaryDirectory(prefix="scaffold-format-") as scratch:
        mirror = Path(scratch)
        _mirror_layout(root, mirror)
        for path in python:
            target = mirror / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[path])
        for command in (["check", "--select", "I", "--fix"], ["format"]):
            _run_ruff([ruff, *command, "--no-cache", "--quiet", "--", *python], mirror)
        return {path: (mirror / path).read_bytes() if path in python else data for path, data in files.items()}


def _mirror_layout(root: Path, mirror: Path) -> None:
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if d not in _SKIP_DIRS and not (here / d / "pyvenv.cfg").exists())
        target = mirror / here.relative_to(root)
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            if name in RUFF_CONFIGS:
                shutil.copyfile(here / name, target / name)
            elif name.endswith((".py", ".pyi")):
                (target / name).touch()
    if _ruff_config(root) is None:
        # The config ruff would find above root (a monorepo's), which the mirror in /tmp cannot see.
        inherited = next((c for folder in root.resolve().parents if (c := _ruff_config(folder))), None)
        if inherited is not None:
            shutil.copyfile(inherited, mirror / inherited.name)


def _ruff_config(folder: Path) -> Path | None:
    for name in ("ruff.toml", ".ruff.toml"):
        if (folder / name).is_file():
            return folder / name
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and "[tool.ruff" in pyproject.read_text(encoding="utf-8", errors="replace"):
        return pyproject
    return None


def _run_ruff(command: list[str], cwd: Path) -> None:
    """Run ruff with a time limit (subprocess.run kills it when the limit passes)."""
    subprocesses.run(
        command, cwd=cwd, capture_output=True, check=False, timeout=RUFF_TIMEOUT, what=f"ruff {command[1]}"
    )


def _ruff_executable() -> str:
    beside = Path(sys.executable).with_name("ruff")
    if beside.is_file():
        return str(beside)
    found = shutil.which("ruff")
    if found is None:
        raise ScaffoldError("ruff is not installed next to scaffold; reinstall connector-scaffold")
    return found
