"""Programs scaffold starts never outlive it and never hang it: a git that hangs is stopped at its time limit
(one line, exit 2), and killed when scaffold is terminated (SIGTERM) or killed outright (SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.adversarial.harness import assert_refused, scaffold

# A `git` that records its pid and hangs: what a git blocked on a network mount or a lock looks like.
HANGING_GIT = '#!/bin/sh\necho $$ > "$HANG_PIDFILE"\nexec sleep 300\n'


@pytest.fixture()
def hanging_git(tmp_path: Path) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    git = bin_dir / "git"
    git.write_text(HANGING_GIT)
    git.chmod(0o755)
    pidfile = tmp_path / "git.pid"
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "HANG_PIDFILE": str(pidfile)}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead but not yet reaped by its new parent.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())


def _wait_for(path: Path) -> int:
    for _ in range(600):
        if path.exists() and path.read_text().strip():
            return int(path.read_text())
        time.sleep(0.05)
    raise AssertionError(f"{path} never appeared")


def _gone(pid: int) -> bool:
    for _ in range(200):
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_a_hanging_git_is_stopped_at_its_time_limit(tmp_path: Path, hanging_git: dict[str, str]) -> None:
    code = (
        "import sys\n"
        "from connector_scaffold import subprocesses\n"
        "from connector_scaffold.cli import main\n"
        "subprocesses.GIT_TIMEOUT = 1.0\n"
        "sys.argv[0] = 'scaffold'\n"
        "main(['check', '.'])\n"
    )
    (tmp_path / "run.py").write_text("x = 1\n")
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **hanging_git},
    )
    from tests.adversarial.harness import Outcome

    assert_refused(Outcome(done.returncode, done.stdout, done.stderr))
    assert "git did not finish within 1s" in done.stderr
    assert _gone(int(Path(hanging_git["HANG_PIDFILE"]).read_text()))


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_the_child_dies_with_scaffold(tmp_path: Path, hanging_git: dict[str, str], signal_number: int) -> None:
    (tmp_path / "run.py").write_text("x = 1\n")
    tool = subprocess.Popen(
        [sys.executable, "-c", "import sys; from connector_scaffold.cli import main; main(['check', '.'])"],
        cwd=tmp_path,
        env={**os.environ, **hanging_git},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        child = _wait_for(Path(hanging_git["HANG_PIDFILE"]))
        tool.send_signal(signal_number)
        _, stderr = tool.communicate(timeout=60)
    finally:
        tool.kill()
    assert tool.returncode == (128 + signal.SIGTERM if signal_number == signal.SIGTERM else -signal.SIGKILL)
    assert b"Traceback" not in stderr
    assert _gone(child), "git outlived scaffold"


def test_git_missing_is_one_line(tmp_path: Path) -> None:
    """add-incremental asks git whether the tree is clean; without git on PATH that is one line, not a traceback."""
    from tests.incremental_helpers import copy_app

    app = copy_app("v3_rest", tmp_path / "app", git=False)
    (app / ".git").mkdir()
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    outcome = scaffold(
        "add-incremental", "--entity", "dashboard", "--timestamp-field", "t", cwd=app, env={"PATH": str(empty)}
    )
    assert outcome.code in (0, 2) and "Traceback" not in outcome.stderr
