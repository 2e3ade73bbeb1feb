"""codemods/incremental/register_activities.py: new activities join the workflow's get_activities() list."""

from __future__ import annotations

import libcst as cst
import pytest

from connector_scaffold.codemods.incremental import register_activities as register
from tests.incremental_helpers import Case, before_after_tests


def apply(case: Case, source: str) -> str:
    module = cst.parse_module(source)
    return register.register_activities(module, case.args["class_name"], case.args["names"]).code


test_before_becomes_after, test_second_run_changes_nothing = before_after_tests("register_activities", apply)


def test_an_activity_already_listed_is_not_listed_twice() -> None:
    case = Case("register_activities", "multiline_trailing_comma")
    assert apply(case, case.before).count("activities.extract_items") == 1


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("class W:\n    pass\n", r"W.get_activities\(\) is not defined"),
        ("class W:\n    def get_activities(a):\n        return tuple(a.x)\n", "does not return one list literal"),
    ],
)
def test_no_list_to_extend_is_a_lookup_error(source: str, message: str) -> None:
    with pytest.raises(LookupError, match=message):
        register.register_activities(cst.parse_module(source), "W", ["read_marker"])
