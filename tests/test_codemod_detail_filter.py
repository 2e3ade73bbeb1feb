"""codemods/incremental/detail_filter.py: the detail step's loop over the listed records is limited."""

from __future__ import annotations

import libcst as cst
import pytest

from connector_scaffold.codemods.incremental import detail_filter as detail
from tests.incremental_helpers import Case, before_after_tests


def apply(case: Case, source: str) -> str:
    module = cst.parse_module(source)
    wrap = case.snippet_function(case.args["snippet"])
    return detail.limit_detail_loop(module, case.args["class_name"], case.args["method"], wrap).code


test_before_becomes_after, test_second_run_changes_nothing = before_after_tests("detail_filter", apply)


def test_only_the_outer_loop_is_limited() -> None:
    case = Case("detail_filter", "v2_activity")
    patched = apply(case, case.before)
    assert "for view in await fetch_views(" in patched
    assert patched.count("select_changed_workbook(") == 1


@pytest.mark.parametrize(
    ("source", "method", "message"),
    [
        ("class A:\n    async def step(self, args):\n        return 1\n", "step", "has no loop"),
        ("class A:\n    async def step(self, args):\n        return 1\n", "other", r"A.other is not defined"),
        ("class A:\n    async def step(self):\n        for x in y:\n            pass\n", "step", "takes no step input"),
    ],
)
def test_no_loop_to_limit_is_a_lookup_error(source: str, method: str, message: str) -> None:
    wrap = Case("detail_filter", "v2_activity").snippet_function("loop_workbook")
    with pytest.raises(LookupError, match=message):
        detail.limit_detail_loop(cst.parse_module(source), "A", method, wrap)
