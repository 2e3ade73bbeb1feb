"""`scaffold add-table` on every source of the real lakeflow-community-connectors that has a simulator spec.

Not a test. In a fresh `git clone` of a local checkout it adds one table nobody wrote to each source in turn
(`workflow_statuses`: a list path, four fields, an ISO `updated_at` cursor) and reports what happened:

- refused: exit 2 with one line naming file, line and reason, and `git status` clean (nothing written);
- added: exit 0, then the lines the change adds and removes (`git diff --numstat`: a pure addition removes none),
  and the source's own tests as upstream CI runs them (`pytest tests/unit/sources/<s>/`, honouring
  test_exclude.txt), which must stay green with the new table in them;
- anything else (a traceback, exit 1, a file written on refusal) is a failure.

    python benchmarks/lakeflow_add_table_upstream.py --checkout /path/to/clone --python /tmp/ci/bin/python
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = "src/databricks/labs/community_connector"
TABLE = "workflow_statuses"
OPTIONS = [
    *("--list-path", "/api/v1/workflow-statuses", "--records-key", "data"),
    *("--field", "id:string", "--field", "name:string", "--field", "position:integer"),
    *("--field", "updated_at:datetime", "--cursor", "updated_at"),
]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


def _reset(root: Path) -> None:
    _run(["git", "checkout", "--quiet", "--", "."], root)
    _run(["git", "clean", "-fdq", "-e", "*.egg-info"], root)


def _excludes(root: Path, source: str) -> list[str]:
    path = root / ".github/workflows/test_exclude.txt"
    lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines()] if path.is_file() else []
    return [f"--ignore={x}" for x in lines if x.startswith(f"tests/unit/sources/{source}/")]


def _tests(root: Path, python: str, source: str) -> str:
    if not (root / "tests/unit/sources" / source).is_dir():
        return "no tests"
    done = _run([python, "-m", "pytest", f"tests/unit/sources/{source}/", *_excludes(root, source), "-q",
                 "-p", "no:cacheprovider", "-x"], root)  # fmt: skip
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "no output"
    return re.sub(r"=+|\s+in [\d.]+s.*", "", last).strip()


def survey(root: Path, python: str, scaffold: str, sources: list[str]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for source in sources:
        _reset(root)
        before = _tests(root, python, source)
        done = _run([scaffold, "add-table", TABLE, "--source", source, "--dest", str(root), *OPTIONS], root)
        status = _run(["git", "status", "--porcelain"], root).stdout.splitlines()
        stderr = done.stderr.strip()
        if done.returncode == 2 and stderr.count("\n") == 0 and not status:
            rows.append((source, before, "refused", stderr.replace(str(root) + "/", "")[:150], "-", "-"))
            continue
        if done.returncode != 0:
            kind = "TRACEBACK" if "Traceback" in stderr else f"exit {done.returncode}"
            tail = stderr.splitlines()[-1] if stderr else ""
            rows.append((source, before, kind, tail[:150], f"{len(status)} file(s) written", "-"))
            continue
        numstat = _run(["git", "diff", "--numstat"], root).stdout.split("\n")
        added = sum(int(x.split()[0]) for x in numstat if x.strip() and x.split()[0].isdigit())
        removed = sum(int(x.split()[1]) for x in numstat if x.strip() and x.split()[1].isdigit())
        created = sum(1 for line in status if line.startswith("??"))
        after = _tests(root, python, source)
        rows.append((source, before, "added", f"+{added}/-{removed} lines, {created} new path(s)", after, "-"))
    _reset(root)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkout", type=Path, required=True)
    parser.add_argument("--python", default=sys.executable, help="interpreter with upstream CI's requirements")
    parser.add_argument("--source", action="append", help="only these sources (repeatable)")
    args = parser.parse_args()
    scaffold = str(Path(sys.executable).with_name("scaffold"))
    with tempfile.TemporaryDirectory(prefix="lakeflow-add-table-") as scratch:
        root = Path(scratch) / "upstream"
        subprocess.run(["git", "clone", "--quiet", str(args.checkout.resolve()), str(root)], check=True)
        subprocess.run([args.python, "-m", "pip", "install", "-q", "-e", ".", "--no-deps"], cwd=root, check=True)
        specs = root / PACKAGE / "source_simulator" / "specs"
        sources = args.source or sorted(
            p.name
            for p in (root / PACKAGE / "sources").iterdir()
            if (p / f"{p.name}.py").is_file() and (specs / p.name).is_dir()
        )
        for source in sources:
            if (root / PACKAGE / "sources" / source / "pyproject.toml").is_file():
                _run(
                    [args.python, "-m", "pip", "install", "-q", "-e", f"{PACKAGE}/sources/{source}", "--no-deps"], root
                )
        rows = survey(root, args.python, scaffold, sources)
    header = ("source", "its tests before", "add-table", "message / change", "its tests after", "")
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(5)]
    for line in (header, tuple("-" * w for w in widths), *rows):
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=False)) + " |")
    bad = [
        r
        for r in rows
        if r[2] not in ("refused", "added") or (r[2] == "added" and ("failed" in r[4] or "error" in r[4]))
    ]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
