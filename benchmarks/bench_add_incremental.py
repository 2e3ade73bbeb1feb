"""`scaffold add-incremental` on the v2 fixture app (fixtures/apps/v2_tableau), as a user runs it.

Each run is a fresh process on a fresh copy of the app; the report is the median wall time of the first run
(everything written) and of a second run on the result (nothing to do), against the target of 2 s. Not a test:
run `python benchmarks/bench_add_incremental.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
APP = Path(__file__).resolve().parents[1] / "fixtures" / "apps" / "v2_tableau"
ARGS = ["--entity", "workbook", "--children", "sheet,dashboard", "--parent", "project", "--allow-dirty"]
TARGET_SECONDS = 2.0


def timed(app: Path) -> float:
    start = time.perf_counter()
    command = [str(BIN / "scaffold"), "add-incremental", "--path", str(app), *ARGS]
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    first: list[float] = []
    again: list[float] = []
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(runs):
            app = Path(scratch) / f"app-{run}"
            shutil.copytree(APP, app, ignore=shutil.ignore_patterns("__pycache__", ".ruff_cache", ".pytest_cache"))
            first.append(timed(app))
            again.append(timed(app))
    for label, times in (("first run (writes every file)", first), ("second run (nothing to do)", again)):
        median = statistics.median(times)
        verdict = "within" if median <= TARGET_SECONDS else "OVER"
        print(f"{label:<30} median {median:.3f}s  min {min(times):.3f}s  over {runs} runs: {verdict} {TARGET_SECONDS}s")


if __name__ == "__main__":
    main()
