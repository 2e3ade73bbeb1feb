"""codemods/incremental/workflow_json.py: the UI toggles join workflow.json; every existing line stays."""

from __future__ import annotations

import json

import pytest

from connector_scaffold.codemods.incremental import workflow_json
from tests.incremental_helpers import Case, before_after_tests, cases

TOGGLES = ["incremental-enabled", "force-full-extraction", "marker-offset-hours"]


test_before_becomes_after, test_second_run_changes_nothing = before_after_tests(
    "workflow_json", lambda case, text: workflow_json.add_toggles(text, 2.0)
)


@pytest.mark.parametrize("name", cases("workflow_json"))
def test_existing_keys_keep_their_order_and_every_old_line_survives(name: str) -> None:
    case = Case("workflow_json", name)
    before, after = json.loads(case.before), json.loads(case.after)
    old_keys = list(before["config"]["properties"])
    assert list(after["config"]["properties"])[: len(old_keys)] == old_keys
    assert set(TOGGLES) <= after["config"]["properties"].keys()
    listed = [p for step in after["config"]["steps"] for p in step.get("properties", [])]
    assert all(listed.count(t) == 1 for t in TOGGLES)
    # Every old line survives up to its closing brackets: it gains a comma, or its container gains entries.
    after_lines = case.after.splitlines()
    for line in set(case.before.splitlines()) - set(after_lines):
        core = line.rstrip().removesuffix(",").rstrip("]}")
        assert any(new.startswith(core) for new in after_lines), line


def test_the_toggles_go_to_the_metadata_step() -> None:
    after = json.loads(Case("workflow_json", "compact_arrays").after)
    metadata = next(s for s in after["config"]["steps"] if s["id"] == "metadata")
    assert metadata["properties"][-3:] == TOGGLES


def test_the_offset_default_is_the_one_asked_for() -> None:
    after = json.loads(workflow_json.add_toggles(Case("workflow_json", "empty_properties").before, 6.5))
    assert after["config"]["properties"]["marker-offset-hours"]["default"] == 6.5


@pytest.mark.parametrize("text", ['{"config": {"steps": []}}', '{"id": "x"}', "[]"])
def test_a_config_without_properties_and_steps_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"no config\.properties and config\.steps"):
        workflow_json.add_toggles(text, 2.0)
