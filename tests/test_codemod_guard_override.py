"""codemods/incremental/guard_override.py: an app's fetch_tables/fetch_columns override hands incremental runs to
the SDK's incremental SQL activities."""

from __future__ import annotations

import libcst as cst
import pytest

from connector_scaffold.codemods.errors import NotFound
from connector_scaffold.codemods.incremental import guard_override
from tests.incremental_helpers import Case, before_after_tests


def apply(case: Case, source: str) -> str:
    module = cst.parse_module(source)
    return guard_override.defer_when_incremental(module, case.args["class_name"], case.args["step"]).code


test_before_becomes_after, test_second_run_changes_nothing = before_after_tests("guard_override", apply)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("class A:\n    pass\n", r"A.fetch_columns\(\) is not defined"),
        ("class A:\n    async def fetch_columns(self):\n        pass\n", "takes no workflow_args"),
    ],
)
def test_nothing_to_guard_is_not_found(source: str, message: str) -> None:
    with pytest.raises(NotFound, match=message):
        guard_override.defer_when_incremental(cst.parse_module(source), "A", "fetch_columns")
