"""The project a check runs in, and its `[tool.scaffold]` table in pyproject.toml."""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from connector_scaffold.errors import ScaffoldError

_KEYS = ("select", "ignore", "exclude", "per-file-ignores")


@dataclass(frozen=True)
class CheckConfig:
    root: Path
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def relative(self, path: Path) -> str:
        """The path relative to the project root (POSIX), or as given when it lies outside."""
        resolved = path.resolve()
        return (resolved.relative_to(self.root) if resolved.is_relative_to(self.root) else path).as_posix()

    def excluded(self, path: Path) -> bool:
        return any(matches(pattern, self.relative(path)) for pattern in self.exclude)

    def ignored_codes(self, path: Path) -> set[str]:
        relative = self.relative(path)
        return {
            code for pattern, codes in self.per_file_ignores.items() if matches(pattern, relative) for code in codes
        }


def matches(pattern: str, relative: str) -> bool:
    """A glob against the root-relative path or any folder of it; without a `/` it matches any single part."""
    pattern = pattern.rstrip("/")
    if fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(relative, f"{pattern}/*"):
        return True
    return "/" not in pattern and any(fnmatch.fnmatchcase(part, pattern) for part in PurePosixPath(relative).parts)


def project_root(start: Path) -> Path:
    """The nearest folder at or above `start` with a pyproject.toml or a .git, else `start`'s folder."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() or (folder / ".git").exists():
            return folder
    return here


def load_config(root: Path) -> CheckConfig:
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return CheckConfig(root)
    try:
        table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("scaffold", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ScaffoldError(f"{pyproject}: not valid TOML: {error}") from None
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise ScaffoldError(f"{pyproject}: unknown key [tool.scaffold] {unknown[0]}; known: {', '.join(_KEYS)}")
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ScaffoldError(f"{pyproject}: [tool.scaffold] per-file-ignores must map globs to lists of codes")
    return CheckConfig(
        root=root,
        select=_strings(pyproject, "select", table["select"]) if "select" in table else None,
        ignore=_strings(pyproject, "ignore", table.get("ignore", [])),
        exclude=_strings(pyproject, "exclude", table.get("exclude", [])),
        per_file_ignores={
            glob: _strings(pyproject, f"per-file-ignores.{glob}", codes) for glob, codes in per_file.items()
        },
    )


def _strings(pyproject: Path, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ScaffoldError(f"{pyproject}: [tool.scaffold] {key} must be a list of strings")
    return tuple(value)
