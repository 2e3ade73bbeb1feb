"""Every program scaffold starts (ruff, git, a checkout's merge script) runs through `run`: with a time limit, and
never outliving scaffold.

subprocess.run already kills the child when the wait is interrupted by an exception (a timeout, Ctrl-C, and the
SystemExit the CLI raises on SIGTERM). A SIGKILLed scaffold runs no Python at all, so on Linux the child also asks
the kernel to kill it when its parent dies (PR_SET_PDEATHSIG), as pre-commit's and Bazel's children do.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from connector_scaffold.errors import ScaffoldError

# git on a huge repository and ruff on a very large module finish well within these; beyond them it hangs.
GIT_TIMEOUT = 60.0
TOOL_TIMEOUT = 120.0

_PR_SET_PDEATHSIG = 1


def run(
    command: Sequence[str | Path], *, timeout: float, what: str | None = None, **options: Any
) -> subprocess.CompletedProcess[Any]:
    """subprocess.run(command, timeout=timeout, **options) with the child tied to scaffold's life; a timeout is a
    one-line ScaffoldError naming `what` (default: the program)."""
    try:
        return subprocess.run(
            [str(part) for part in command], timeout=timeout, preexec_fn=_die_with_parent(), **options
        )
    except subprocess.TimeoutExpired:
        name = what or Path(str(command[0])).name
        raise ScaffoldError(f"{name} did not finish within {timeout:g}s; stopped it; nothing written") from None


def _die_with_parent() -> Callable[[], None] | None:
    if not sys.platform.startswith("linux"):
        return None
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return None
    libc = ctypes.CDLL(libc_name, use_errno=True)

    def set_death_signal() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    return set_death_signal


def exit_on_sigterm() -> None:
    """SIGTERM (and SIGHUP) become SystemExit in the main thread, so `finally` blocks, the ChangeSet's roll-back
    and subprocess.run's kill of its child all run, as they do for Ctrl-C."""

    def terminate(number: int, _frame: object) -> None:
        raise SystemExit(128 + number)

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is signal.SIG_DFL:
            signal.signal(number, terminate)
