"""The adversarial matrix of issue 16 (item 7): every case of tests/adversarial/, by class, and how it ended.

Runs the suite in-process with a small pytest plugin that records each case's outcome and prints one row per class:
cases, handled (refused cleanly with one line and the right exit code, or, where the input is legitimate, written
correctly), wrote wrongly (a case failed on what was written: a mixed tree, injected code, a lost edit, a temp
file) and crashed (a case failed with a traceback, a signal, a hang or a recursion error). The goal is 0 in the last
two columns. Not a test: `python benchmarks/adversarial_matrix.py [-k EXPR]`.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
CLASSES = {
    "test_spec_inputs": "hostile spec values and options (new-connector)",
    "test_incremental_inputs": "hostile add-incremental options and stored answers",
    "test_template_escaping": "values escaped into Python, TOML, YAML, Markdown",
    "test_bad_input": "unreadable input, impossible names and destinations, EROFS mid-apply",
    "test_apply_faults": "SIGKILL at points through an apply, then a re-run",
    "test_check_cache_trust": "corrupt, partial, foreign or forged check cache",
    "test_check_fix_faults": "check/fix: symlinks out, edits mid-run, FIFOs, deep nesting",
    "test_subprocesses": "hanging git, tool killed (SIGTERM/SIGKILL), git missing",
}
# What marks a failure as a crash rather than a wrong write: the tool (or the test's run of it) died or hung.
CRASH_MARKS = ("Traceback (most recent call last)", "Segmentation fault", "RecursionError", "TimeoutExpired", "-11")


class Recorder:
    def __init__(self) -> None:
        self.outcomes: dict[str, str] = {}

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when == "call" or (report.when == "setup" and not report.passed):
            if report.passed:
                outcome = "handled"
            elif report.skipped:
                outcome = "skipped"
            else:
                text = str(report.longrepr)
                outcome = "crashed" if any(mark in text for mark in CRASH_MARKS) else "wrote wrongly"
            self.outcomes.setdefault(report.nodeid, outcome)


def matrix(outcomes: dict[str, str]) -> list[list[str]]:
    per_class: dict[str, Counter[str]] = {}
    for nodeid, outcome in outcomes.items():
        module = Path(nodeid.split("::", 1)[0]).stem
        per_class.setdefault(CLASSES.get(module, module), Counter())[outcome] += 1
    rows = []
    total: Counter[str] = Counter()
    for name in [*CLASSES.values(), *sorted(set(per_class) - set(CLASSES.values()))]:
        counts = per_class.get(name)
        if counts is None:
            continue
        total.update(counts)
        rows.append(_row(name, counts))
    rows.append(_row("all", total))
    return rows


def _row(name: str, counts: Counter[str]) -> list[str]:
    cells = [name, str(sum(counts.values()))]
    cells += [str(counts[key]) for key in ("handled", "wrote wrongly", "crashed")]
    return [*cells, str(counts["skipped"]) if counts["skipped"] else ""]


def print_table(rows: list[list[str]]) -> None:
    header = ["class", "cases", "refused cleanly / written right", "wrote wrongly", "crashed", "skipped"]
    table = [header, *rows]
    if not any(row[-1] for row in rows):  # nothing skipped: no column for it
        table = [line[:-1] for line in table]
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    for n, line in enumerate(table):
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-k", dest="keyword", help="only the cases pytest -k selects")
    args = parser.parse_args(argv)
    recorder = Recorder()
    options = [str(REPO / "tests" / "adversarial"), "-q", "-p", "no:cacheprovider", "--no-header", "-rN"]
    if args.keyword:
        options += ["-k", args.keyword]
    sys.path.insert(0, str(REPO))
    pytest.main(options, plugins=[recorder])
    print()
    print_table(matrix(recorder.outcomes))
    bad = sum(1 for outcome in recorder.outcomes.values() if outcome in ("wrote wrongly", "crashed"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
