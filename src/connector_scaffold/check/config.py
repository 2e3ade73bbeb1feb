"""`[tool.scaffold]` in pyproject.toml, resolved per file like ruff: the nearest pyproject.toml with the table wins.

Globs (`exclude`, `per-file-ignores`, `tests`) are gitwildmatch patterns (pathspec, as .gitignore reads them)
relative to the folder of the pyproject.toml that declares them. `extend = "../pyproject.toml"` inherits another
file's table; keys set here replace the inherited ones, except `per-file-ignores`, which add to them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

from connector_scaffold.check.selection import check_selectors
from connector_scaffold.errors import ScaffoldError

_KEYS = ("extend", "select", "extend-select", "ignore", "exclude", "per-file-ignores", "tests")

# Where tests live by the names pytest and most projects use; the production-only rules stay quiet there.
DEFAULT_TESTS = ("**/tests/**", "**/test/**", "**/test_*.py", "**/*_test.py", "**/conftest.py")


def _spec(patterns: Iterable[str]) -> pathspec.PathSpec[Any]:
    return pathspec.GitIgnoreSpec.from_lines(list(patterns))


@dataclass(frozen=True)
class CheckConfig:
    root: Path
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tests: tuple[str, ...] = DEFAULT_TESTS
    # The pyproject.toml the table came from (None: no table, the defaults).
    source: Path | None = None
    # The globs compiled once per config.
    _exclude: pathspec.PathSpec[Any] = field(init=False, repr=False, compare=False)
    _tests: pathspec.PathSpec[Any] = field(init=False, repr=False, compare=False)
    _per_file: list[tuple[pathspec.PathSpec[Any], tuple[str, ...]]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_exclude", _spec(self.exclude))
        object.__setattr__(self, "_tests", _spec(self.tests))
        compiled = [(_spec([pattern]), codes) for pattern, codes in self.per_file_ignores.items()]
        object.__setattr__(self, "_per_file", compiled)

    def relative(self, path: Path) -> str:
        """The path relative to the config's folder (POSIX), or as given when it lies outside."""
        resolved = path.resolve()
        return (resolved.relative_to(self.root) if resolved.is_relative_to(self.root) else path).as_posix()

    def excluded(self, path: Path) -> bool:
        return bool(self.exclude) and self._exclude.match_file(self.relative(path))

    def is_test(self, path: Path) -> bool:
        return bool(self.tests) and self._tests.match_file(self.relative(path))

    def ignored_codes(self, path: Path) -> tuple[str, ...]:
        """The per-file-ignores selectors (code prefixes) that apply to `path`."""
        relative = self.relative(path)
        return tuple(code for spec, codes in self._per_file if spec.match_file(relative) for code in codes)


def matches(pattern: str, relative: str) -> bool:
    """A gitwildmatch glob against a root-relative POSIX path."""
    return _spec([pattern]).match_file(relative)


def project_root(start: Path) -> Path:
    """The nearest folder at or above `start` with a pyproject.toml or a .git, else `start`'s folder."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() or (folder / ".git").exists():
            return folder
    return here


class ConfigResolver:
    """The config of each file: the nearest pyproject.toml with a [tool.scaffold] table, read once per folder."""

    def __init__(self, known: Sequence[str]) -> None:
        self._known = tuple(known)
        self._by_folder: dict[Path, CheckConfig] = {}
        self._tables: dict[Path, dict[str, object] | None] = {}

    def for_path(self, path: Path) -> CheckConfig:
        here = path.resolve()
        folder = here if here.is_dir() else here.parent
        walked: list[Path] = []
        config: CheckConfig | None = None
        for candidate in (folder, *folder.parents):
            config = self._by_folder.get(candidate)
            if config is not None:
                break
            walked.append(candidate)
            pyproject = candidate / "pyproject.toml"
            if self._table(pyproject) is not None:
                config = self.load(pyproject)
                break
        if config is None:
            config = CheckConfig(project_root(folder))
        for candidate in walked:
            self._by_folder[candidate] = config
        return config

    def _table(self, pyproject: Path) -> dict[str, object] | None:
        if pyproject in self._tables:
            return self._tables[pyproject]
        table: dict[str, object] | None = None
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
                raise ScaffoldError(f"{pyproject}: not valid TOML: {error}") from None
            found = data.get("tool", {}).get("scaffold")
            if found is not None and not isinstance(found, dict):
                raise ScaffoldError(f"{pyproject}: [tool.scaffold] must be a table")
            table = found
        self._tables[pyproject] = table
        return table

    def load(self, pyproject: Path, seen: tuple[Path, ...] = ()) -> CheckConfig:
        """The config of one pyproject.toml, with what it extends."""
        pyproject = pyproject.resolve()
        if pyproject in seen:
            raise ScaffoldError(f"{pyproject}: [tool.scaffold] extend makes a cycle")
        table = self._table(pyproject) or {}
        unknown = sorted(set(table) - set(_KEYS))
        if unknown:
            raise ScaffoldError(f"{pyproject}: unknown key [tool.scaffold] {unknown[0]}; known: {', '.join(_KEYS)}")
        base = CheckConfig(pyproject.parent)
        per_file: dict[str, tuple[str, ...]] = {}
        if "extend" in table:
            extended = table["extend"]
            if not isinstance(extended, str):
                raise ScaffoldError(f"{pyproject}: [tool.scaffold] extend must be the path of a pyproject.toml")
            target = (pyproject.parent / extended).resolve()
            if not target.is_file():
                raise ScaffoldError(f"{pyproject}: [tool.scaffold] extend: no such file {target}")
            base = self.load(target, (*seen, pyproject))
            # Inherited globs are matched relative to this file's folder, like the globs written here.
            per_file.update(base.per_file_ignores)
        raw_per_file = table.get("per-file-ignores", {})
        if not isinstance(raw_per_file, dict):
            raise ScaffoldError(f"{pyproject}: [tool.scaffold] per-file-ignores must map globs to lists of codes")
        for glob, codes in raw_per_file.items():
            per_file[glob] = self._codes(pyproject, f"per-file-ignores.{glob}", codes)
        return CheckConfig(
            root=pyproject.parent,
            select=self._codes(pyproject, "select", table["select"]) if "select" in table else base.select,
            extend_select=self._codes(pyproject, "extend-select", table["extend-select"])
            if "extend-select" in table
            else base.extend_select,
            ignore=self._codes(pyproject, "ignore", table["ignore"]) if "ignore" in table else base.ignore,
            exclude=_strings(pyproject, "exclude", table["exclude"]) if "exclude" in table else base.exclude,
            per_file_ignores=per_file,
            tests=_strings(pyproject, "tests", table["tests"]) if "tests" in table else base.tests,
            source=pyproject,
        )

    def _codes(self, pyproject: Path, key: str, value: object) -> tuple[str, ...]:
        codes = tuple(code.strip().upper() for code in _strings(pyproject, key, value))
        check_selectors(self._known, codes, f"{pyproject}: [tool.scaffold] {key}")
        return codes


def _strings(pyproject: Path, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ScaffoldError(f"{pyproject}: [tool.scaffold] {key} must be a list of strings")
    return tuple(value)
