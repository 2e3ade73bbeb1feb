"""`scaffold new-connector stripe` against a plain `copier copy` of the same template, in one run.

Both are run as fresh processes, as a user runs them, with the same answers; the report is the ratio
of medians (target: at most 1.3). Not a test: run `python benchmarks/bench_new_connector.py [--runs N]`.
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

import yaml

from connector_scaffold.paths import template
from connector_scaffold.spec_sources import resolve_spec

BIN = Path(sys.executable).parent


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        answers = work / "answers.yml"
        answers.write_text(yaml.safe_dump(resolve_spec("stripe").spec.to_answers(), sort_keys=False))
        copier = [str(BIN / "copier"), "copy", "--quiet", "--defaults", "--data-file", str(answers)]
        scaffold_times: list[float] = []
        copier_times: list[float] = []
        for run in range(runs):
            # Interleave the two so machine noise hits both alike.
            copier_times.append(timed([*copier, str(template("atlan-app")), f"copier-{run}"], work))
            scaffold_times.append(timed([str(BIN / "scaffold"), "new-connector", "stripe", "--dest", f"s-{run}"], work))
            shutil.rmtree(work / f"copier-{run}")
            shutil.rmtree(work / f"s-{run}")
    baseline = statistics.median(copier_times)
    ours = statistics.median(scaffold_times)
    print(f"copier copy (baseline)       median {baseline:.3f}s over {runs} runs")
    print(f"scaffold new-connector stripe median {ours:.3f}s over {runs} runs")
    print(f"overhead ratio {ours / baseline:.2f} (target <= 1.30)")


if __name__ == "__main__":
    main()
