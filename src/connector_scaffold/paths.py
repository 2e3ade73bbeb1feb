"""Where the templates and codemods live: inside the wheel, or beside src/ in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    # The wheel force-includes them into the package; an editable checkout keeps them at the top.
    for candidate in (_PACKAGE / name, _PACKAGE.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"connector-scaffold is installed without its {name}/ folder; reinstall it")


def templates_dir() -> Path:
    return _bundled("templates")


def template(name: str) -> Path:
    path = templates_dir() / name
    if not (path / "copier.yml").is_file():
        raise RuntimeError(f"template {name!r} is missing from {templates_dir()}")
    return path


def codemods_dir() -> Path:
    return _bundled("codemods")
