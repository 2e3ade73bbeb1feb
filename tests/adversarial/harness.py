"""Running `scaffold` as a user would (a subprocess) and judging the result the way the adversarial suite does:
one line on stderr, the exit code, the tree unchanged or completely changed, no temp files, no injected code."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Hostile values try to create this file when the generated code is imported or run.
PWNED = "PWNED"
LEFTOVER_MARKS = (".scaffold-tmp", ".scaffold-old", ".scaffold-journal", ".tmp")


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str


def scaffold(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> Outcome:
    code = "import sys; from connector_scaffold.cli import main; sys.argv[0] = 'scaffold'; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    return Outcome(done.returncode, done.stdout, done.stderr)


def snapshot(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if any(mark in p.name for mark in LEFTOVER_MARKS))


def assert_refused(outcome: Outcome, code: int = 2) -> None:
    """Refused cleanly: the exit code, and exactly one line on stderr that says `error:` (no traceback)."""
    lines = [line for line in outcome.stderr.splitlines() if not line.startswith("note: ")]
    assert outcome.code == code, outcome.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), outcome.stderr
    assert "Traceback" not in outcome.stderr


def assert_no_injection(root: Path) -> None:
    assert not list(root.rglob(PWNED)), "injected code ran"
    for path, data in snapshot(root).items():
        assert b"__import__" not in data, f"{path} carries injected code"


def scaffold_killed_at(
    step: int, *args: str, cwd: Path, fault: str = "os.kill(os.getpid(), signal.SIGKILL)"
) -> Outcome:
    """`scaffold ARGS` SIGKILLed (or given another `fault`) at the `step`-th step of its apply (staging a file, a
    journal write, a rename...)."""
    code = (
        "import os, signal, sys\n"
        "from connector_scaffold import transaction\n"
        "from connector_scaffold.cli import main\n"
        "steps = 0\n"
        "def kill(name):\n"
        "    global steps\n"
        "    steps += 1\n"
        f"    if steps == {step}:\n"
        f"        {fault}\n"
        "transaction.checkpoint = kill\n"
        "sys.argv[0] = 'scaffold'\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=300
    )
    return Outcome(done.returncode, done.stdout, done.stderr)
