"""codemods/incremental/imports.py: a patched module imports the snippet names it now uses, once."""

from __future__ import annotations

import libcst as cst

from connector_scaffold.codemods.incremental import imports
from tests.incremental_helpers import Case, before_after_tests


def apply(case: Case, source: str) -> str:
    return imports.ensure_imports(cst.parse_module(source), case.snippet()).code


test_before_becomes_after, test_second_run_changes_nothing = before_after_tests("imports", apply)


def test_names_the_module_does_not_use_are_not_imported() -> None:
    case = Case("imports", "merge_and_add")
    assert "unused_here" not in apply(case, case.before)


def test_several_snippets_in_one_pass() -> None:
    module = cst.parse_module("print(a, b)\n")
    first = cst.parse_module("from x import a\n")
    second = cst.parse_module("from y import b\n")
    assert imports.ensure_imports(module, first, second).code == "from x import a\nfrom y import b\nprint(a, b)\n"
