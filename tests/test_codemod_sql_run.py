"""codemods/incremental/sql_run.py: a SQL workflow's run() under the SDK's incremental SQL workflow."""

from __future__ import annotations

import libcst as cst
import pytest

from connector_scaffold.codemods.errors import NotFound
from connector_scaffold.codemods.incremental import sql_run
from tests.incremental_helpers import Case, before_after_tests


def apply(case: Case, source: str) -> str:
    return sql_run.incremental_run(cst.parse_module(source), case.args["class_name"], case.snippet_class()).code


test_before_becomes_after, test_second_run_changes_nothing = before_after_tests("sql_run", apply)


@pytest.mark.parametrize(
    ("run_body", "message"),
    [
        ("        await self.fetch(workflow_config)\n", "no `workflow_args = await ...get_workflow_args...` step"),
        (
            "        args = await workflow.execute_activity_method(A.get_workflow_args, workflow_config)\n"
            "        if not args:\n            return None\n        await self.fetch(args)\n",
            "returns from more than its last line",
        ),
    ],
)
def test_a_run_it_cannot_follow_is_not_found(run_body: str, message: str) -> None:
    source = f"class W:\n    async def run(self, workflow_config):\n{run_body}"
    with pytest.raises(NotFound, match=message):
        sql_run.incremental_run(cst.parse_module(source), "W", Case("sql_run", "own_run").snippet_class())
