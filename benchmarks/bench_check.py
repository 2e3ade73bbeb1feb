"""`scaffold check` on a real medium tree (the installed SDK's source) against ruff, in one run, plus the ast path's
equivalence with the libcst engine on real corpora and its per-file cost against today's engine on every fixture.

Every timing is one fresh process, as a user or pre-commit runs it, on a copy of the tree's .py files; the commands
run --runs times, interleaved, so that load from other processes falls on all of them alike. Each row gives the
median and best wall time and the median CPU time (the process and its workers):

  ruff       ruff check --no-cache TREE                            the reference
  python     python -c pass                                        the floor of any Python tool's run
  baseline   --baseline-src's scaffold check --no-cache TREE         today's engine, when given
  no-cache   scaffold check --no-cache TREE                        target: cold <= 10x ruff
  cold/warm  scaffold check TREE with an empty, then a full cache   target: warm <= 0.1x cold
  5 files    scaffold check --no-cache on five files of spread sizes   target: <= 0.25 s

Then, in this process: every fixture file and rule example linted by the new path (ast, libcst where it hands a file
back) and by the libcst engine alone (today's), the best of --repeat each, in alternating order (load only ever
adds time): files where the new path is slower (target 0); and every .py file under each --corpus, the two
compared finding by finding (target: 0 differing).

Not a test: `python benchmarks/bench_check.py [--tree DIR | --sdk-python PY] [--corpus DIR ...] [--baseline-src DIR]`
(--baseline-src: a checkout's src/ of the scaffold to compare with, e.g. `git worktree add /tmp/base integ`).
It exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from textwrap import dedent

REPO = Path(__file__).resolve().parents[1]
FIND_SDK = "import importlib.util; print(importlib.util.find_spec('application_sdk').submodule_search_locations[0])"
SDK = "/work/sdkcache/sdk-venv-py311/lib/python3.11/site-packages/application_sdk"
CORPORA = (
    SDK,
    "/work/clones/atlanhq+atlan-sample-apps",
    "/work/clones/databrickslabs+lakeflow-community-connectors/src",
)


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (children included) and stdout of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


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
    return [sys.executable, "-m", "connector_scaffold.cli"]


def ruff_command() -> list[str]:
    script = Path(sys.executable).with_name("ruff")
    return [str(script)] if script.exists() else ["ruff"]


def command_timings(args: argparse.Namespace, tree: Path, files: list[Path], work: Path) -> dict[str, list]:
    scaffold = scaffold_command()
    sample = [str(path) for path in five_files(files)]
    base_env = None
    if args.baseline_src:
        base_env = {**os.environ, "PYTHONPATH": str(Path(args.baseline_src).resolve())}
    times: dict[str, list[tuple[float, float]]] = {}
    outputs: dict[str, str] = {}

    def run(name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        wall, cpu, out = timed(command, work, env)
        times.setdefault(name, []).append((wall, cpu))
        outputs[name] = out

    for _ in range(args.runs):
        run("ruff", [*ruff_command(), "check", "--no-cache", "--exit-zero", "--quiet", str(tree)])
        # The floor of any run of a Python tool: starting the interpreter.
        run("python", [sys.executable, "-c", "pass"])
        if base_env is not None:
            run("baseline", [*scaffold, "check", "--no-cache", str(tree)], base_env)
        run("no-cache", [*scaffold, "check", "--no-cache", str(tree)])
        shutil.rmtree(tree / ".scaffold_cache", ignore_errors=True)
        run("cold", [*scaffold, "check", str(tree)])
        run("warm", [*scaffold, "check", str(tree)])
        run("5 files", [*scaffold, "check", "--no-cache", *sample])
    return {"times": times, "outputs": outputs}  # type: ignore[dict-item]


def _today(data: bytes) -> object:
    from connector_scaffold.codemods.lint import engine

    return engine.lint(data, engine.load_rules())


def fixture_costs(repeat: int) -> tuple[int, int, float]:
    """(files, files slower than today's engine, the worst new/today ratio) over fixtures and rule examples."""
    from connector_scaffold.check.lint_pool import lint_source
    from connector_scaffold.codemods.lint import engine

    rules = engine.load_rules()
    sources = [path.read_bytes() for path in sorted((REPO / "fixtures").rglob("*.py"))]
    sources += [dedent(s).encode() for r in rules for s in (*r.VALID, *(c.code for c in r.INVALID))]
    for data in sources[:3]:  # imports and first-call caches are not a file's cost
        lint_source(data)
        engine.lint(data, rules)
    slower, worst = 0, 0.0
    for data in sources:
        new, old = [], []
        for number in range(repeat):
            pairs = [(lint_source, new), (_today, old)]
            for linted, times in pairs[::-1] if number % 2 else pairs:
                start = time.perf_counter()
                linted(data)
                times.append(time.perf_counter() - start)
        ratio = min(new) / min(old)
        worst = max(worst, ratio)
        slower += ratio > 1.0
    return len(sources), slower, worst


def corpus_equivalence(roots: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Per corpus: files, files the ast path decided, files handed to libcst, files whose findings differ, findings."""
    from connector_scaffold.codemods.fast import engine as fast
    from connector_scaffold.codemods.lint import engine

    rules = engine.load_rules()
    rows = []
    for root in roots:
        files = decided = handed = differing = findings = 0
        for path in sorted(Path(root).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            data = path.read_bytes()
            files += 1
            expected = engine.lint(data, rules)
            findings += len(expected)
            found = fast.lint(data)
            if found is None:
                handed += 1
                continue
            decided += 1
            if found != expected:
                differing += 1
                print(f"  DIFFERS {path}: ast {found} libcst {expected}", file=sys.stderr)
        rows.append((root, files, decided, handed, differing, findings))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", help="A source tree to check instead of the installed SDK.")
    parser.add_argument("--sdk-python", default=sys.executable, help="Interpreter whose application_sdk to use.")
    parser.add_argument("--baseline-src", help="src/ of another scaffold checkout: today's engine, for comparison.")
    parser.add_argument("--corpus", action="append", help="A tree for the equivalence check (repeatable).")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5, help="Repetitions per fixture file.")
    args = parser.parse_args()

    tree_source = Path(SDK) if not args.tree and Path(SDK).is_dir() else locate_tree(args)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        tree = work / "tree"
        files = copy_python_files(tree_source, tree)
        lines = sum(len(path.read_bytes().splitlines()) for path in files)
        measured = command_timings(args, tree, files, work)
    times, outputs = measured["times"], measured["outputs"]
    wall = {name: statistics.median(w for w, _ in runs) for name, runs in times.items()}
    best = {name: min(w for w, _ in runs) for name, runs in times.items()}
    cpu = {name: statistics.median(c for _, c in runs) for name, runs in times.items()}

    print(f"tree: {len(files)} files, {lines} lines; {args.runs} interleaved runs; {os.cpu_count()} cpus")
    print(f"  {'command':<9} {'median s':>9} {'best s':>8} {'cpu s':>8} {'x ruff':>7} {'cpu x ruff':>11}")
    for name in times:
        print(
            f"  {name:<9} {wall[name]:9.3f} {best[name]:8.3f} {cpu[name]:8.3f} "
            f"{wall[name] / wall['ruff']:7.1f} {cpu[name] / cpu['ruff']:11.1f}"
        )
    summary = outputs["no-cache"].strip().splitlines()[-1]
    print(f"  scaffold: {summary}")
    if "baseline" in outputs:
        same = outputs["baseline"] == outputs["no-cache"]
        print(f"  output identical to the baseline's: {'yes' if same else 'NO'}")
    count, slower, worst = fixture_costs(args.repeat)
    print(f"fixtures and examples: {count} files, {slower} slower than today's engine (worst new/today {worst:.2f})")
    roots = args.corpus or [root for root in CORPORA if Path(root).is_dir()]
    differing = 0
    for root, files_seen, decided, handed, differs, findings in corpus_equivalence(roots):
        differing += differs
        print(
            f"corpus {root}: {files_seen} files, {decided} on the ast path, {handed} handed to libcst, "
            f"{differs} differing; {findings} findings"
        )
    checks = [
        ("cold / ruff (median wall)", wall["cold"] / wall["ruff"], 10.0),
        ("warm / cold (median wall)", wall["warm"] / wall["cold"], 0.1),
        ("5-file run (median s)", wall["5 files"], 0.25),
        ("fixtures slower than today", float(slower), 0.0),
        ("corpus files differing", float(differing), 0.0),
    ]
    missed = 0
    for label, value, target in checks:
        met = value <= target
        missed += not met
        print(f"{label:<28} {value:8.3f}   target <= {target:<5} {'ok' if met else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
