"""codemods/incremental/add_methods.py: the snippet's methods join a class, once each."""

from __future__ import annotations

import libcst as cst
import pytest

from connector_scaffold.codemods.incremental import add_methods
from tests.incremental_helpers import Case, before_after_tests


def apply(case: Case, source: str) -> str:
    module = cst.parse_module(source)
    if case.args.get("function") == "add_functions":
        return add_methods.add_functions(module, case.snippet()).code
    return add_methods.add_methods(module, case.args["class_name"], case.snippet_class()).code


test_before_becomes_after, test_second_run_changes_nothing = before_after_tests("add_methods", apply)


def test_a_method_the_class_has_is_not_replaced() -> None:
    case = Case("add_methods", "v3_app_partly_there")
    patched = apply(case, case.before)
    assert patched.count("async def read_marker") == 1
    assert "verbose=True" in patched


def test_an_edited_function_is_kept_and_only_new_ones_are_added() -> None:
    case = Case("add_methods", "module_functions")
    patched = apply(case, case.before)
    assert patched.startswith(case.before)
    assert patched.count("def is_false_positive_app(") == 1
    assert "def is_false_positive_report(" in patched


def test_a_missing_class_names_itself() -> None:
    case = Case("add_methods", "v2_activities")
    with pytest.raises(LookupError, match="class Missing is not defined"):
        add_methods.add_methods(cst.parse_module(case.before), "Missing", case.snippet_class())
