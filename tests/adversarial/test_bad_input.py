"""Unreadable, malformed or impossible input: one line, exit 2, never a traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adversarial.harness import assert_refused, leftovers, scaffold, scaffold_killed_at, snapshot


def _answers(tmp_path: Path, data: bytes | None) -> str:
    path = tmp_path / "answers.yml"
    if data is None:
        path.mkdir()
    else:
        path.write_bytes(data)
    return str(path)


ANSWERS = {
    "invalid YAML": b"spec: [1\n",
    "not UTF-8": b"\xff\xfe\x00spec: 1\n",
    "a list, not a mapping": b"- 1\n- 2\n",
    "a folder": None,
    "deeply nested": b"spec: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "a YAML bomb": b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nspec: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
}


@pytest.mark.parametrize("data", list(ANSWERS.values()), ids=list(ANSWERS))
def test_unusable_answers_files(tmp_path: Path, data: bytes | None) -> None:
    answers = _answers(tmp_path, data)
    before = snapshot(tmp_path)
    outcome = scaffold("new-connector", "acme", "--data-file", answers, "--dest", "out", cwd=tmp_path, timeout=120)
    assert_refused(outcome)
    assert snapshot(tmp_path) == before and not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["new-connector", "a" * 300, "--defaults"],
        ["new-connector", "acme", "--defaults", "--dest", "x/" + "b" * 300],
        ["new-connector", "acme", "--defaults", "--dest", "file.txt/inner"],
    ],
    ids=["name over 255", "dest component over 255", "dest under a file"],
)
def test_impossible_names_and_destinations(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "file.txt").write_text("a file")
    before = snapshot(tmp_path)
    outcome = scaffold(*args, cwd=tmp_path)
    assert_refused(outcome)
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


@pytest.mark.parametrize("step", [2, 30, 60, 100])
def test_a_file_system_turning_read_only_mid_apply_is_rolled_back(tmp_path: Path, step: int) -> None:
    """EROFS (or EIO, ENOSPC) at a staging or rename step: one line, exit 2, an empty destination."""
    fault = "raise OSError(30, 'Read-only file system')"
    outcome = scaffold_killed_at(
        step, "new-connector", "acme", "--defaults", "--dest", "out", cwd=tmp_path, fault=fault
    )
    assert_refused(outcome)
    assert "Read-only file system" in outcome.stderr
    assert snapshot(tmp_path) == {} and leftovers(tmp_path) == []


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    answers = _answers(tmp_path, b"\xff\xfe")
    outcome = scaffold("--debug", "new-connector", "acme", "--data-file", answers, cwd=tmp_path)
    assert outcome.code == 2
    assert "Traceback" in outcome.stderr and outcome.stderr.rstrip().splitlines()[-1].startswith("error: ")


def test_no_leftovers_after_any_refusal(tmp_path: Path) -> None:
    scaffold("new-connector", "acme", "--defaults", "--dest", "x/" + "b" * 300, cwd=tmp_path)
    assert leftovers(tmp_path) == []
