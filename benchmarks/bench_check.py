"""`scaffold check` on a real medium tree (the installed SDK's source) against libcst and Fixit, in one run.

Every timing is one fresh process, as a user or pre-commit runs it, on a copy of the tree's .py files:

  parse      a libcst parse of every file (the floor: the engine parses each file once)
  no-cache   scaffold check --no-cache TREE                      target <= 1.5x parse
  cold/warm  scaffold check TREE with an empty, then a full cache   target warm <= 0.1x cold
  5 files    scaffold check --no-cache on five files of spread sizes   target <= 0.5 s
  fixit      Fixit's default rules, single process                target >= 10x no-cache

The fast ones run --runs times, interleaved, and are judged on their best run (as timeit advises: other load on the
machine only ever adds time); the median is printed beside it. Fixit runs once (it takes minutes). Not a test: run
`python benchmarks/bench_check.py [--sdk-python /path/to/venv/bin/python | --tree DIR] [--fixit-python PY]`.
It exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PARSE = """
import sys
from pathlib import Path
import libcst
for path in sorted(Path(sys.argv[1]).rglob("*.py")):
    libcst.parse_module(path.read_bytes())
"""

FIXIT = """
import json, sys
from pathlib import Path
from fixit.api import fixit_paths
results = list(fixit_paths([Path(sys.argv[1])], parallel=False))
print(json.dumps({"violations": sum(1 for r in results if r.violation), "errors": sum(1 for r in results if r.error)}))
"""

FIND_SDK = "import importlib.util; print(importlib.util.find_spec('application_sdk').submodule_search_locations[0])"


def timed(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, done


def locate_tree(args: argparse.Namespace) -> Path:
    if args.tree:
        return Path(args.tree)
    done = subprocess.run([args.sdk_python, "-c", FIND_SDK], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"application_sdk is not importable by {args.sdk_python}; pass --sdk-python or --tree")
    return Path(done.stdout.strip())


def copy_python_files(tree: Path, into: Path) -> list[Path]:
    copied = []
    for source in sorted(tree.rglob("*.py")):
        if "__pycache__" in source.parts:
            continue
        target = into / source.relative_to(tree)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied.append(target)
    return copied


def five_files(files: list[Path]) -> list[Path]:
    """Files at the 10th, 30th, 50th, 70th and 90th percentile of size: a typical commit's mix."""
    by_size = sorted(files, key=lambda path: (path.stat().st_size, path.as_posix()))
    return [by_size[int(len(by_size) * share)] for share in (0.1, 0.3, 0.5, 0.7, 0.9)]


def scaffold_command() -> list[str]:
    script = Path(sys.executable).with_name("scaffold")
    return [str(script)] if script.exists() else [sys.executable, "-m", "connector_scaffold.cli"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", help="A source tree to check instead of the installed SDK.")
    parser.add_argument("--sdk-python", default=sys.executable, help="Interpreter whose application_sdk to use.")
    parser.add_argument("--fixit-python", default=sys.executable, help="Interpreter with fixit installed.")
    parser.add_argument("--no-fixit", action="store_true", help="Skip the Fixit baseline (it takes minutes).")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    scaffold = scaffold_command()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        tree = work / "tree"
        files = copy_python_files(locate_tree(args), tree)
        sample = [str(path) for path in five_files(files)]
        lines = sum(len(path.read_bytes().splitlines()) for path in files)
        times: dict[str, list[float]] = {"parse": [], "no-cache": [], "cold": [], "warm": [], "5 files": []}
        findings = 0
        for _ in range(args.runs):
            times["parse"].append(timed([sys.executable, "-c", PARSE, str(tree)], work)[0])
            elapsed, done = timed([*scaffold, "check", "--no-cache", str(tree)], work)
            times["no-cache"].append(elapsed)
            findings = len(done.stdout.splitlines())
            shutil.rmtree(tree / ".scaffold_cache", ignore_errors=True)
            times["cold"].append(timed([*scaffold, "check", str(tree)], work)[0])
            times["warm"].append(timed([*scaffold, "check", str(tree)], work)[0])
            times["5 files"].append(timed([*scaffold, "check", "--no-cache", *sample], work)[0])
        best = {name: min(values) for name, values in times.items()}
        median = {name: statistics.median(values) for name, values in times.items()}
        fixit = None if args.no_fixit else run_fixit(args.fixit_python, tree, work)

    print(f"tree: {len(files)} files, {lines} lines")
    for name, seconds in best.items():
        print(f"  {name:<9} {seconds:7.3f} s   (best of {args.runs}; median {median[name]:.3f} s)")
    print(f"  scaffold findings: {findings}")
    checks = [
        ("no-cache / parse", best["no-cache"] / best["parse"], "<=", 1.5),
        ("warm / cold", best["warm"] / best["cold"], "<=", 0.1),
        ("5-file latency (s)", best["5 files"], "<=", 0.5),
    ]
    if fixit is not None:
        seconds, summary = fixit
        print(
            f"  fixit     {seconds:7.3f} s   (one run; {summary['violations']} violations, {summary['errors']} errors)"
        )
        checks.insert(0, ("fixit / no-cache", seconds / best["no-cache"], ">=", 10.0))
    missed = 0
    for label, value, relation, target in checks:
        met = value <= target if relation == "<=" else value >= target
        missed += not met
        print(f"{label:<20} {value:8.3f}   target {relation} {target:<5} {'ok' if met else 'MISSED'}")
    return 1 if missed else 0


def run_fixit(python: str, tree: Path, work: Path) -> tuple[float, dict[str, int]] | None:
    probe = subprocess.run([python, "-c", "import fixit"], capture_output=True, check=False)
    if probe.returncode != 0:
        print(f"fixit is not importable by {python}: pip install '.[bench]' or pass --fixit-python", file=sys.stderr)
        return None
    elapsed, done = timed([python, "-c", FIXIT, str(tree)], work)
    return elapsed, json.loads(done.stdout.splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
