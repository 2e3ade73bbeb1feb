"""`scaffold check` on real code nobody here wrote: findings per repo, per rule, split into app code and tests.

Not a test. Point it at local checkouts (clone them yourself: the Atlan SDK, public Atlan apps,
lakeflow-community-connectors) and review the sample lines it prints:

  python benchmarks/check_realworld.py --path ~/src/application-sdk --path ~/src/atlan-sample-apps
  python benchmarks/check_realworld.py --path DIR --python /other/venv/bin/python   # another scaffold: before/after
  python benchmarks/check_realworld.py --path DIR --include-tests                    # what the tests would report

Each repo is checked with every rule (`--select ALL --no-cache`) in a fresh process of `--python` (default: this
interpreter), so two versions of scaffold can be compared on the same checkouts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path, PurePosixPath

_TEST_FOLDERS = frozenset({"tests", "test", "testing", "e2e"})


def is_test_path(path: str) -> bool:
    """Test folders and files by the names pytest and most projects use."""
    parts = PurePosixPath(path).parts
    name = parts[-1] if parts else path
    return (
        any(part in _TEST_FOLDERS for part in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def run_check(python: str, repo: Path, include_tests: bool) -> tuple[list[dict[str, object]], float]:
    command = [python, "-m", "connector_scaffold.cli", "check", "--no-cache", "--select", "ALL", "--format", "json"]
    if include_tests:
        command.append("--include-tests")
    command.append(".")
    start = time.perf_counter()
    done = subprocess.run(command, cwd=repo, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{repo}: {' '.join(command)} exited {done.returncode}: {done.stderr.strip()}")
    rows: list[dict[str, object]] = json.loads(done.stdout or "[]")
    return rows, elapsed


def source_line(repo: Path, path: str, line: int) -> str:
    try:
        lines = (repo / path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return lines[line - 1].strip()[:100] if 0 < line <= len(lines) else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", action="append", required=True, help="a local checkout (repeatable)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter whose scaffold runs")
    parser.add_argument("--samples", type=int, default=3, help="sample lines per rule and repo")
    parser.add_argument("--include-tests", action="store_true", help="report production rules in tests too")
    args = parser.parse_args()

    totals: Counter[tuple[str, str]] = Counter()
    print(f"{'repo':<34} {'rule':<7} {'app':>5} {'tests':>5}")
    for given in args.path:
        repo = Path(given).resolve()
        rows, elapsed = run_check(args.python, repo, args.include_tests)
        counts: Counter[tuple[str, str]] = Counter()
        samples: dict[str, list[str]] = {}
        for row in rows:
            path, code, line = str(row["path"]), str(row["code"]), int(str(row["line"]))
            where = "tests" if is_test_path(path) else "app"
            counts[(code, where)] += 1
            totals[(code, where)] += 1
            shown = samples.setdefault(code, [])
            if len(shown) < args.samples:
                shown.append(f"    {path}:{line} [{where}] {source_line(repo, path, line)}")
        name = repo.name[:34]
        for code in sorted({code for code, _ in counts}):
            print(f"{name:<34} {code:<7} {counts[(code, 'app')]:>5} {counts[(code, 'tests')]:>5}")
        app = sum(n for (_, where), n in counts.items() if where == "app")
        print(f"{name:<34} {'total':<7} {app:>5} {len(rows) - app:>5}   ({elapsed:.2f} s)")
        for code in sorted(samples):
            print(f"  {code}")
            print("\n".join(samples[code]))
    app = sum(n for (_, where), n in totals.items() if where == "app")
    print(f"{'all repos':<34} {'total':<7} {app:>5} {sum(totals.values()) - app:>5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
