"""Lint or fix one file's source: one parse, one traversal for all rules, metadata only when a rule asks."""

from __future__ import annotations

import ast
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import libcst as cst

from ..nesting import NestedTooDeeply, check_depth
from ..rules import RULES
from .findings import PARSE_ERROR, Finding, file_ignores, silenced_by_file, suppressed
from .positions import spans
from .rule import LintRule, Report
from .walk import handler_tables, walk

RULES_DIR = Path(__file__).resolve().parents[1] / "rules"

# A fix that replaces a node also replaced by another fix is redone on the next pass; real files settle in two.
MAX_FIX_PASSES = 4

_UNPARSABLE = (cst.ParserSyntaxError, SyntaxError, UnicodeDecodeError, ValueError, RecursionError)


@cache
def load_rules() -> tuple[type[LintRule], ...]:
    """The built-in rules in code order: the `rules` package's list, checked against the rule files' names (which
    the check driver reads its codes from)."""
    for rule in RULES:
        expected = rule.__module__.rpartition(".")[2][:6].upper()
        if expected != rule.CODE:
            raise RuntimeError(f"{rule.__module__}: its rule's CODE must be {expected}")
    files = [path.stem[:6].upper() for path in sorted(RULES_DIR.glob("scf[0-9][0-9][0-9]_*.py"))]
    if [rule.CODE for rule in RULES] != files:
        raise RuntimeError(f"codemods/rules/__init__.py must list one rule per rule file, in code order: {files}")
    return RULES


def parse(source: bytes) -> cst.Module | Finding:
    """The module, or an SCF000 finding saying why it does not parse (or is too deep to parse safely)."""
    try:
        check_depth(source)
    except NestedTooDeeply as error:
        return Finding(error.line, 1, PARSE_ERROR, f"not checked: {error}")
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        found = _python_syntax_error(source)
        if found is not None:
            return found
        return Finding(error.editor_line, error.editor_column, PARSE_ERROR, f"could not parse: {error.message}")
    except _UNPARSABLE as error:
        found = _python_syntax_error(source)
        if found is not None:
            return found
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return Finding(1, 1, PARSE_ERROR, f"could not parse: {reason}")


def _python_syntax_error(source: bytes) -> Finding | None:
    """CPython's own syntax error, where it is: libcst's parser reports the token after a missing one (a line or
    more below the mistake), and its message lists expected tokens instead of saying what is wrong."""
    try:
        compile(source, "<file>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        line = error.lineno or 1
        return Finding(line, max(error.offset or 1, 1), PARSE_ERROR, f"could not parse: {error.msg}")
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


def run_rules(module: cst.Module, rules: Sequence[type[LintRule]], source: bytes) -> list[Report]:
    """Every report of the rules whose keywords occur in `source`, from one walk of `module`."""
    rules = [rule for rule in rules if not rule.KEYWORDS or any(word in source for word in rule.KEYWORDS)]
    reports: list[Report] = []
    providers = {provider for rule in rules for provider in rule.METADATA_DEPENDENCIES}
    metadata = _resolve(module, providers) if providers else {}
    visit, leave = handler_tables(rule(reports, metadata) for rule in rules)
    walk(module, visit, leave)
    return reports


def _resolve(module: cst.Module, providers: set[type[Any]]) -> Mapping[Any, Mapping[cst.CSTNode, Any]]:
    from libcst.metadata import MetadataWrapper

    # Without unsafe_skip_copy the wrapper deep-copies the module, and rules report nodes of the tree they walk.
    return MetadataWrapper(module, unsafe_skip_copy=True).resolve_many(providers)


def _located(source: bytes, module: cst.Module, reports: list[Report]) -> list[tuple[Report, Finding]]:
    """Each report with its finding, minus those silenced by a `# scaffold: ignore` comment."""
    if not reports:
        return []
    whole_file = file_ignores(source)
    if whole_file is not None:
        reports = [report for report in reports if not silenced_by_file(report.code, whole_file)]
        if not reports:
            return []
    found = spans(module, (report.node for report in reports))
    lines = source.decode(module.encoding, "replace").splitlines()
    located = []
    for report in reports:
        line, column, last = found.get(id(report.node), (1, 0, 1))
        if not suppressed(lines, line, last, report.code):
            fixable = report.replacement is not None
            located.append((report, Finding(line, column + 1, report.code, report.message, fixable)))
    return located


def lint(source: bytes, rules: Sequence[type[LintRule]]) -> list[Finding]:
    module = parse(source)
    if isinstance(module, Finding):
        return [module]
    return sorted({finding for _, finding in _located(source, module, run_rules(module, rules, source))})


def fix(source: bytes, rules: Sequence[type[LintRule]], codes: Collection[str]) -> tuple[bytes, list[Finding]]:
    """Apply the fixes of the rules in `codes` until none is left; the new source and what remains in it."""
    current = source
    for _ in range(MAX_FIX_PASSES):
        module = parse(current)
        if isinstance(module, Finding):
            return current, [module]
        located = _located(current, module, run_rules(module, rules, current))
        fixes = {id(r.target): r for r, _ in located if r.replacement is not None and r.code in codes}
        updated = module.visit(_Replacer(fixes)).bytes if fixes else current
        if updated == current:
            return current, sorted({finding for _, finding in located})
        current = updated
    return current, lint(current, rules)


class _Replacer(cst.CSTTransformer):
    def __init__(self, fixes: dict[int, Report]) -> None:
        super().__init__()
        self._fixes = fixes

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        report = self._fixes.get(id(original_node))
        if report is None:
            return updated_node
        replacement = report.replacement
        return replacement(updated_node) if callable(replacement) else replacement
