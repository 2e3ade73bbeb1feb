"""Lint one file's source with CPython's `ast`: one C parse, one walk for every rule, no libcst.

`lint` returns None where the libcst engine must decide instead: a file that does not parse (SCF000 is worded and
placed by the libcst engine), a BOM or a non-UTF-8 encoding (columns), a rule that is CST_ONLY (SCF007, whose fix
decides what it reports), and a file with a `# scaffold: ignore` comment (the span a comment may sit on is
libcst's, block footers included). All but the parse are decided on the bytes, before parsing, so such a file
costs what the libcst engine costs. Everything else gets the libcst engine's findings, positions and [*].
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Sequence

from ..lint.findings import Finding, file_ignores, silenced_by_file
from .rule import FastReport, FastRule
from .rules import FAST_RULES
from .source import Source
from .walk import handler_tables, walk

_LINE_IGNORE = re.compile(rb"#\s*scaffold:\s*ignore(?!-)", re.IGNORECASE)


def lint(source: bytes, rules: Sequence[type[FastRule]] = FAST_RULES) -> list[Finding] | None:
    reports = run_rules(source, rules)
    if reports is None:
        return None
    if not reports:
        return []
    whole_file = file_ignores(source)
    if whole_file is not None:
        reports = [report for report in reports if not silenced_by_file(report.code, whole_file)]
        if not reports:
            return []
    messages = {rule.CODE: rule.MESSAGE for rule in rules}
    found = {Finding(r.line, r.column + 1, r.code, messages[r.code], r.fixable) for r in reports}
    return sorted(found)


def run_rules(source: bytes, rules: Sequence[type[FastRule]]) -> list[FastReport] | None:
    """Every report of the rules whose keywords occur in `source`; None when the libcst engine must decide."""
    if source.startswith(b"\xef\xbb\xbf"):
        return None
    if not source.isascii():
        try:
            source.decode("utf-8")
        except UnicodeDecodeError:
            return None
    active = [rule for rule in rules if rule.applies_to(source)]
    if not active:
        # Only SCF000 is left to find: compiling to bytecode checks the syntax at a third of the cost of building
        # the tree. The compiler refuses a little more than the parser (`await` outside a function), so a refusal
        # is asked of the parser again.
        return [] if _compiles(source, flags=0) or _compiles(source, flags=ast.PyCF_ONLY_AST) else None
    if any(rule.CST_ONLY for rule in active) or _LINE_IGNORE.search(source):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes and the like are not findings
            tree = compile(source, "<file>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    reports: list[FastReport] = []
    text = Source(source)
    visit, leave = handler_tables(rule(reports, text) for rule in active)
    try:
        walk(tree, visit, leave)
    except RecursionError:
        return None
    return reports


def _compiles(source: bytes, flags: int) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, "<file>", "exec", flags=flags, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
