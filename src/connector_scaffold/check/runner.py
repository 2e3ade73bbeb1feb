"""The lint driver of `scaffold check` and `scaffold fix`: find the files, lint what the cache misses, report or fix.

Detection runs on CPython's `ast` (codemods/fast); libcst is imported only for a file the fast path hands back
(see fast.engine) or a fix, so a warm run costs the hashing and a cold one mostly the C parser. Many cache misses
are linted in worker processes (see lint_pool).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from connector_scaffold.check.cache import Cache, content_key
from connector_scaffold.check.config import CheckConfig, ConfigResolver, project_root
from connector_scaffold.check.discovery import discover, read_regular
from connector_scaffold.check.lint_pool import lint_many
from connector_scaffold.check.output import diff_json, json_text, summary, text_lines
from connector_scaffold.check.selection import enabled_codes, known_codes, matching
from connector_scaffold.codemods.lint.findings import PARSE_ERROR, PRODUCTION_ONLY, Finding
from connector_scaffold.errors import ScaffoldError

if TYPE_CHECKING:
    from connector_scaffold.changeset import ChangeSet

Echo = Callable[[str], None]


@dataclass(frozen=True)
class CheckRequest:
    paths: tuple[Path, ...]
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    output_format: str = "text"
    diff: bool = False
    fix: bool = False
    use_cache: bool = True
    # Report the production-only rules in test files too (the config's `tests = []` does the same per project).
    include_tests: bool = False


@dataclass
class _File:
    path: Path
    data: bytes
    codes: frozenset[str]
    findings: list[Any]


class _Linter:
    """The libcst engine, imported on first use, for fixes."""

    def fix(self, data: bytes, codes: frozenset[str]) -> tuple[bytes, list[Finding]]:
        from connector_scaffold.codemods.lint import engine

        return engine.fix(data, engine.load_rules(), codes)


def run(request: CheckRequest, echo: Echo, echo_err: Echo) -> int:
    for path in request.paths:
        if not path.exists():
            raise ScaffoldError(f"{path}: no such file or folder")
    known = known_codes()
    resolver = ConfigResolver(known)
    codes_of: dict[int, frozenset[str]] = {}

    def codes_for(config: CheckConfig) -> frozenset[str]:
        codes = codes_of.get(id(config))
        if codes is None:
            codes = codes_of[id(config)] = enabled_codes(
                known,
                config.select,
                config.ignore,
                extend_select=config.extend_select,
                cli_select=request.select,
                cli_ignore=request.ignore,
            )
        return codes

    # Fail on a bad --select / --ignore before reading any file.
    codes_for(CheckConfig(Path.cwd()))
    cache = Cache.open(project_root(request.paths[0])) if request.use_cache else Cache.disabled()
    linter = _Linter()

    selected: list[tuple[Path, frozenset[str]]] = []
    for path in discover(request.paths, resolver.for_path):
        config = resolver.for_path(path)
        file_codes = codes_for(config) - matching(known, config.ignored_codes(path), "per-file-ignores")
        if not request.include_tests and config.is_test(path):
            file_codes -= PRODUCTION_ONLY
        if file_codes:
            selected.append((path, file_codes))
    files = []
    for (path, file_codes), (data, findings) in zip(selected, _all_findings(selected, cache), strict=True):
        kept = [f for f in findings if f.code in file_codes]
        # Only a file with something to fix needs its bytes again.
        files.append(_File(path, data if any(f.fixable for f in kept) else b"", file_codes, kept))

    if request.diff:
        changes = _changes(_fixed(files, cache, linter), files)
        if request.output_format == "json":
            echo(diff_json([(c.path, type(changes)(changes.root, {c.path: c}).diff()) for c in changes.pending]))
        elif changes.pending:
            echo(changes.diff().rstrip("\n"))
        code = 1 if changes.pending else 0
    elif request.fix:
        fixed = _fixed(files, cache, linter)
        _refuse_links_leaving_the_project(list(fixed))
        _changes(fixed, files).apply()
        if fixed:
            echo_err(f"fixed {len(fixed)} file{'' if len(fixed) == 1 else 's'}")
        _report(files, "text", echo)
        code = 0
    else:
        code = _report(files, request.output_format, echo)
    cache.save()
    return code


def _all_findings(selected: list[tuple[Path, frozenset[str]]], cache: Cache) -> list[tuple[bytes, list[Any]]]:
    """Each file's bytes and findings, from the cache or from linting the misses (in processes when many)."""
    results: list[tuple[bytes, list[Any]]] = []
    misses: list[tuple[int, str]] = []
    for path, _ in selected:
        try:
            data = read_regular(path)
        except OSError as error:
            results.append((b"", [Finding(1, 1, PARSE_ERROR, f"could not read: {error.strerror or error}")]))
            continue
        key = content_key(data)
        rows = cache.get(key)
        if rows is None:
            misses.append((len(results), key))
        results.append((data, [] if rows is None else [Finding.from_json(row) for row in rows]))
    linted = lint_many([results[index][0] for index, _ in misses])
    for (index, key), findings in zip(misses, linted, strict=True):
        results[index] = (results[index][0], findings)
        cache.put(key, [f.to_json() for f in findings])
    return results


def _report(files: list[_File], output_format: str, echo: Echo) -> int:
    located = [(_shown(file.path), finding) for file in files for finding in file.findings]
    if output_format == "json":
        echo(json_text(located))
    else:
        for line in text_lines(located):
            echo(line)
        echo(summary([finding for _, finding in located]))
    return 1 if located else 0


def _fixed(files: list[_File], cache: Cache, linter: _Linter) -> dict[Path, bytes]:
    """The new bytes of every file a fix changes; each file's findings become what is left after fixing."""
    fixed: dict[Path, bytes] = {}
    for file in files:
        if not any(f.fixable for f in file.findings):
            continue
        new, remaining = linter.fix(file.data, file.codes)
        if new != file.data:
            fixed[file.path] = new
            cache.put(content_key(new), [f.to_json() for f in remaining])
            file.findings = [f for f in remaining if f.code in file.codes]
    return fixed


def _changes(fixed: dict[Path, bytes], files: list[_File]) -> ChangeSet:
    """The fixes as a ChangeSet; each file must still hold the bytes its fix was computed from (checked here and
    again just before its rename), so an edit made while scaffold ran is a conflict, never lost."""
    from connector_scaffold.changeset import ChangeSet

    read = {file.path: file.data for file in files}
    root = _common_root(list(fixed))
    changes = ChangeSet(root=root)
    for path, new in fixed.items():
        changes.put_replacing(path.resolve().relative_to(root).as_posix(), read[path], new)
    return changes


def _refuse_links_leaving_the_project(paths: list[Path]) -> None:
    """`fix` writes through a symlink only when it stays inside the project that holds the link."""
    for path in paths:
        project = _lexical_project(path)
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(os.path.realpath(project)):
            raise ScaffoldError(f"{_shown(path)}: a symlink leads outside {project} (to {real}); nothing written")


def _lexical_project(path: Path) -> Path:
    """project_root for the link itself, not for what it points to (no symlink is resolved on the way up)."""
    here = Path(os.path.abspath(path)).parent
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() or (folder / ".git").exists():
            return folder
    return here


def _common_root(paths: list[Path]) -> Path:
    """The working directory when every fixed file is under it (so diffs read a/app/x.py), else their common folder."""
    cwd = Path.cwd().resolve()
    resolved = [path.resolve() for path in paths]
    if all(path.is_relative_to(cwd) for path in resolved):
        return cwd
    return Path(os.path.commonpath([path.parent for path in resolved]))


def _shown(path: Path) -> str:
    """Paths print relative to the working directory when under it, as ruff prints them."""
    resolved = path.resolve()
    cwd = Path.cwd().resolve()
    return (resolved.relative_to(cwd) if resolved.is_relative_to(cwd) else resolved).as_posix()
