"""Faults while a real command applies: SIGKILL at points through staging, renaming and cleanup. The next run
finds the journal, finishes or rolls back, and then does its job: never a mixed tree, never a temp file left."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adversarial.harness import leftovers, scaffold, scaffold_killed_at, snapshot

ARGS = ("new-connector", "acme", "--defaults", "--dest", "out")
# new-connector writes ~50 files: steps 1-2 journal and first stage, ~50 staging, ~50 renames, then cleanup.
KILL_POINTS = [1, 2, 3, 25, 52, 53, 54, 55, 80, 104, 105, 106, 107, 130, 155]


@pytest.fixture(scope="module")
def clean_tree(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    where = tmp_path_factory.mktemp("clean")
    assert scaffold(*ARGS, cwd=where).code == 0
    return snapshot(where / "out")


@pytest.mark.parametrize("step", KILL_POINTS)
def test_new_connector_killed_then_rerun(tmp_path: Path, clean_tree: dict[str, bytes], step: int) -> None:
    killed = scaffold_killed_at(step, *ARGS, cwd=tmp_path)
    dest = tmp_path / "out"
    if killed.code == 0:  # the apply has fewer steps than this point: it simply completed
        assert snapshot(dest) == clean_tree
        return
    assert killed.code == -9, killed.stderr
    # Any command run here recovers first (`check` on an empty folder finds nothing to lint).
    recovered = scaffold("check", str(tmp_path / "nothing"), cwd=tmp_path)
    assert "Traceback" not in recovered.stderr
    tree = snapshot(dest)
    assert tree in ({}, clean_tree), f"kill at step {step}: a mixed tree of {len(tree)} file(s)"
    assert leftovers(tmp_path) == []
    rerun = scaffold(*ARGS, cwd=tmp_path)
    if tree == {}:
        assert rerun.code == 0, rerun.stderr
    assert snapshot(dest) == clean_tree
    assert leftovers(tmp_path) == []
