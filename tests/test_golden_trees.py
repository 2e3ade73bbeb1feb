"""Every command's output for the fixture specs and apps is byte-identical to the recorded golden trees.

Guards refactors: a moved module or a renamed seam must not change one byte a user gets. A deliberate output change
re-records with `python -m tests.golden_trees --write` and the diff of tests/golden/trees.json is reviewed with it.
"""

from __future__ import annotations

import json

import pytest

from tests.golden_trees import GOLDEN, SCENARIOS, record

RECORDED: dict[str, dict[str, str]] = json.loads(GOLDEN.read_text())


def test_every_scenario_is_recorded() -> None:
    assert sorted(RECORDED) == sorted(SCENARIOS)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_tree_is_byte_identical_to_the_golden_one(name: str) -> None:
    now = record([name])[name]
    was = RECORDED[name]
    changed = sorted(p for p in now.keys() & was.keys() if now[p] != was[p])
    assert (sorted(now.keys() - was.keys()), sorted(was.keys() - now.keys()), changed) == ([], [], [])
