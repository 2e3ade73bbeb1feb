"""`scaffold check` and `fix` against hostile trees: a symlink out of the project, a file edited while fix runs, a
FIFO named like a module, modules nested deeper than any parser should be given. One line (or one SCF000 finding),
the right exit code, nothing outside the project touched, the user's edit kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.adversarial.harness import Outcome, assert_refused, leftovers, scaffold

YAML_LOAD = "import yaml\nconfig = yaml.load(f)\n"


def _project(root: Path) -> Path:
    (root / "app").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "p"\n')
    return root


def test_fix_refuses_a_symlink_leading_out_of_the_project(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "shared.py"
    outside.parent.mkdir()
    outside.write_text(YAML_LOAD)
    project = _project(tmp_path / "project")
    (project / "app/shared.py").symlink_to(outside)
    outcome = scaffold("fix", cwd=project)
    assert_refused(outcome)
    assert "symlink leads outside" in outcome.stderr
    assert outside.read_text() == YAML_LOAD and leftovers(tmp_path) == []


def test_fix_writes_through_a_symlink_that_stays_inside(tmp_path: Path) -> None:
    project = _project(tmp_path / "project")
    (project / "lib").mkdir()
    (project / "lib/real.py").write_text(YAML_LOAD)
    (project / "app/alias.py").symlink_to(project / "lib/real.py")
    assert scaffold("fix", cwd=project).code == 0
    assert "safe_load" in (project / "lib/real.py").read_text() and (project / "app/alias.py").is_symlink()


def _fix_with_an_edit(project: Path, when: str) -> Outcome:
    """`scaffold fix` where the user appends a line to every file being fixed: after the fixes are computed
    (`planned`) or at the last moment, just before the first rename (`rename`)."""
    code = (
        "import sys\n"
        "from connector_scaffold import transaction\n"
        "from connector_scaffold.check import runner\n"
        "from connector_scaffold.cli import main\n"
        "def edit(path):\n"
        "    with open(path, 'a') as stream:\n"
        "        stream.write('# the user typed this\\n')\n"
        f"if {when!r} == 'planned':\n"
        "    original = runner._fixed\n"
        "    def fixed_then_edited(*args):\n"
        "        fixed = original(*args)\n"
        "        for path in fixed:\n"
        "            edit(path)\n"
        "        return fixed\n"
        "    runner._fixed = fixed_then_edited\n"
        "else:\n"
        "    def at_rename(step):\n"
        "        if step == 'rename':\n"
        "            edit('app/run.py')\n"
        "            transaction.checkpoint = lambda step: None\n"
        "    transaction.checkpoint = at_rename\n"
        "sys.argv[0] = 'scaffold'\n"
        "main(['fix'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=300)
    return Outcome(done.returncode, done.stdout, done.stderr)


@pytest.mark.parametrize("when", ["planned", "rename"])
def test_fix_keeps_an_edit_made_while_it_runs(tmp_path: Path, when: str) -> None:
    project = _project(tmp_path / "project")
    (project / "app/run.py").write_text(YAML_LOAD)
    outcome = _fix_with_an_edit(project, when)
    assert_refused(outcome, code=1)
    assert "changed" in outcome.stderr
    assert (project / "app/run.py").read_text() == YAML_LOAD + "# the user typed this\n"
    assert leftovers(project) == []


@pytest.mark.parametrize("named", [True, False], ids=["named", "in a folder"])
def test_a_fifo_named_like_a_module_is_skipped(tmp_path: Path, named: bool) -> None:
    project = _project(tmp_path / "project")
    os.mkfifo(project / "app/pipe.py")
    (project / "app/run.py").write_text("value = eval(text)\n")
    outcome = scaffold("check", *(["app/pipe.py", "app/run.py"] if named else []), cwd=project, timeout=60)
    assert outcome.code == 1 and "app/run.py:1" in outcome.stdout and "pipe.py" not in outcome.stdout
    assert "Traceback" not in outcome.stderr


DEEP = {
    "2,000 nested brackets": "x = " + "[" * 2000 + "]" * 2000 + "\n",
    "1,000-term expression": "x = " + " + ".join(["1"] * 1000) + "\n",
    "500 nested calls": "x = " + "f(" * 500 + ")" * 500 + "\n",
}


@pytest.mark.parametrize("source", list(DEEP.values()), ids=list(DEEP))
@pytest.mark.parametrize("command", ["check", "fix"])
def test_check_and_fix_report_deep_nesting_as_one_finding(tmp_path: Path, source: str, command: str) -> None:
    project = _project(tmp_path / "project")
    (project / "app/deep.py").write_text(source)
    outcome = scaffold(command, "--no-cache", cwd=project, timeout=120)
    assert "Traceback" not in outcome.stderr
    assert (project / "app/deep.py").read_text() == source
    if source == DEEP["1,000-term expression"]:
        # CPython parses it, so the ast path checks it whole; it has nothing to fix, so libcst (with its depth
        # limit) never sees it.
        assert outcome.code == 0 and outcome.stdout == "All checks passed!\n", outcome.stdout + outcome.stderr
        return
    assert outcome.code == (1 if command == "check" else 0), outcome.stderr  # fix reports what is left, exit 0
    assert "SCF000 not checked:" in outcome.stdout


def test_a_module_within_the_documented_depth_is_checked(tmp_path: Path) -> None:
    project = _project(tmp_path / "project")
    (project / "app/ok.py").write_text("x = " + " + ".join(["1"] * 300) + "\nvalue = eval(text)\n")
    outcome = scaffold("check", "--no-cache", cwd=project)
    assert outcome.code == 1 and "SCF016" in outcome.stdout and "SCF000" not in outcome.stdout


@pytest.mark.parametrize("source", list(DEEP.values()), ids=list(DEEP))
def test_add_incremental_refuses_a_deeply_nested_module(tmp_path: Path, source: str) -> None:
    from tests.incremental_helpers import copy_app, git_commit

    app = copy_app("v3_rest", tmp_path / "app")
    (app / "app/deep.py").write_text(source)
    git_commit(app, "deep")
    outcome = scaffold("add-incremental", "--entity", "dashboard", "--timestamp-field", "t", cwd=app, timeout=120)
    assert_refused(outcome)
    assert "app/deep.py:1:" in outcome.stderr
