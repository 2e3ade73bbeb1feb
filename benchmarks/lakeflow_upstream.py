"""`new-connector --target lakeflow` against the real lakeflow-community-connectors, run as its CI runs it.

Not a test. In a fresh `git clone` of a local checkout of databrickslabs/lakeflow-community-connectors it generates
stripe, github (upstream's own hand-written github source is removed first) and a custom spec (next-token paging,
an api-key header, an ISO datetime cursor), then for each source runs what upstream CI runs:

- tests.yml: `pip install -e . --no-deps`, `pip install -e <source> --no-deps`, `pytest tests/unit/sources/<s>/`
  with `--ignore` for the lines of .github/workflows/test_exclude.txt (the generated test class adds the
  offset-advance check, reported in its own column);
- pylint.yml: pylint at the workflow's flags over the source's non-generated files (tests excluded, as there);
- ruff at the version .pre-commit-config.yaml pins, with the checkout's pyproject config, on every generated file
  that is not the merged one (check and format --check);
- generate-merged-source-file.yml: the merge script is re-run and `git diff` on the merged file must be empty.

    python benchmarks/lakeflow_upstream.py --checkout /path/to/lakeflow-community-connectors --python /tmp/ci/bin/python

`--python` is an interpreter with what upstream CI installs (requirements/pylint.txt: pyspark, pytest, pylint)
plus ruff at the pinned version; the checkout and each source are installed into it editable, as CI does.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

PACKAGE = "src/databricks/labs/community_connector"
PYLINT_FLAGS = [
    "--max-line-length=100",
    "--max-locals=25",
    "--max-branches=20",
    "--max-module-lines=1500",
    "--disable=W,C0114,C0115,C0116,C0415,R0801,R0902,R0903,R0911,R0913,R0917,R1705",
    "--ignore-long-lines=^\\s*(#|f?\".*\"|f?'.*')$",
]
CUSTOM = {
    "source_name": "helpdesk",
    "spec": {
        "source_name": "helpdesk",
        "display_name": "Helpdesk",
        "base_url": "https://api.helpdesk.example.com",
        "auth": {"type": "api_key_header", "header_name": "X-Api-Key"},
        "pagination": {
            "style": "next_token",
            "page_size": 50,
            "page_size_param": "limit",
            "cursor_param": "page_token",
            "next_token_field": "next_page_token",
        },
        "entities": [
            {
                "name": "ticket",
                "list_path": "/v2/tickets",
                "records_path": "data",
                "timestamp_field": "updated_at",
                "fields": [
                    {"name": "id", "type": "string"},
                    {"name": "subject", "type": "string"},
                    {"name": "status", "type": "string"},
                    {"name": "priority", "type": "integer"},
                    {"name": "updated_at", "type": "datetime"},
                ],
            },
            {
                "name": "agent",
                "list_path": "/v2/agents",
                "records_path": "data",
                "fields": [{"name": "id", "type": "string"}, {"name": "email", "type": "string"}],
            },
        ],
    },
}


@dataclass
class Row:
    source: str
    tables: str = ""
    harness: str = "-"
    advance: str = "-"
    pylint: str = "-"
    ruff: str = "-"
    merge: str = "-"


def _run(args: list[str], cwd: Path, check: bool = False) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done


def _scaffold() -> list[str]:
    return [str(Path(sys.executable).with_name("scaffold"))]


def _pinned_ruff(root: Path) -> str:
    config = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    for repo in config.get("repos", []):
        if "ruff" in str(repo.get("repo", "")):
            return str(repo.get("rev", "")).lstrip("v")
    return "?"


def _excludes(root: Path, source: str) -> list[str]:
    path = root / ".github/workflows/test_exclude.txt"
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    wanted = [x.strip() for x in lines if x.strip() and not x.strip().startswith("#")]
    return [f"--ignore={x}" for x in wanted if x.startswith(f"tests/unit/sources/{source}/")]


def _generate(root: Path, name: str, extra: list[str]) -> str:
    done = _run(
        [*_scaffold(), "new-connector", name, "--target", "lakeflow", "--defaults", "--dest", str(root), *extra], root
    )
    if done.returncode != 0:
        raise SystemExit(f"new-connector {name} failed: {done.stderr or done.stdout}")
    found = re.search(r"^tables: (.*)$", done.stdout, re.M)
    return found.group(1) if found else ""


def _check(root: Path, python: str, source: str, tables: str, pinned: str) -> Row:
    row = Row(source, tables)
    folder = f"{PACKAGE}/sources/{source}"
    _run([python, "-m", "pip", "install", "-q", "-e", ".", "--no-deps"], root, check=True)
    _run([python, "-m", "pip", "install", "-q", "-e", folder, "--no-deps"], root, check=True)
    tests = _run([python, "-m", "pytest", f"tests/unit/sources/{source}/", *_excludes(root, source), "-rA", "-q",
                  "-p", "no:cacheprovider"], root)  # fmt: skip
    last = tests.stdout.strip().splitlines()[-1] if tests.stdout.strip() else tests.stderr.strip()[-200:]
    row.harness = re.sub(r"=+|\s+in [\d.]+s.*", "", last).strip()
    row.advance = "passed" if "PASSED" in _line(tests.stdout, "test_non_empty_batch_advances_offset") else "FAILED"
    _run(["git", "add", "-A"], root, check=True)
    files = [
        f
        for f in _run(["git", "ls-files", "*.py"], root, check=True).stdout.split()
        if (f.startswith(f"{folder}/") or f.startswith(f"{PACKAGE}/source_simulator/specs/{source}/"))
        and "_generated_" not in f
    ]
    lint = _run([python, "-m", "pylint", *PYLINT_FLAGS, *files], root)
    score = re.search(r"rated at (-?[\d.]+)/10", lint.stdout)
    row.pylint = score.group(1) if score else "error"
    ruffed = [*files, *_run(["git", "ls-files", f"tests/unit/sources/{source}/*.py"], root).stdout.split()]
    version = _run([python, "-m", "ruff", "--version"], root).stdout.split()[-1:] or ["?"]
    check = _run([python, "-m", "ruff", "check", "--no-cache", *ruffed], root)
    fmt = _run([python, "-m", "ruff", "format", "--check", "--no-cache", *ruffed], root)
    verdict = "clean" if check.returncode == 0 and fmt.returncode == 0 else "FINDINGS"
    row.ruff = f"{verdict} ({version[0]}{'' if version[0] == pinned else f', pinned {pinned}'})"
    merged = f"{folder}/_generated_{source}_python_source.py"
    _run([python, "tools/scripts/merge_python_source.py", source], root, check=True)
    diff = _run(["git", "diff", "--quiet", "--", merged], root)
    row.merge = "no diff" if diff.returncode == 0 else "DIFF"
    return row


def _line(output: str, test: str) -> str:
    return next((line for line in output.splitlines() if test in line), "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkout", type=Path, required=True, help="a local clone of lakeflow-community-connectors")
    parser.add_argument("--python", default=sys.executable, help="interpreter with upstream CI's requirements")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lakeflow-upstream-") as scratch:
        root = Path(scratch) / "upstream"
        _run(["git", "clone", "--quiet", str(args.checkout.resolve()), str(root)], Path(scratch), check=True)
        head = _run(["git", "rev-parse", "--short=8", "HEAD"], root, check=True).stdout.strip()
        for own in (
            f"{PACKAGE}/sources/github",
            "tests/unit/sources/github",
            f"{PACKAGE}/source_simulator/specs/github",
        ):
            if (root / own).exists():
                _run(["git", "rm", "-rq", own], root, check=True)
        _run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-qm", "no github"], root)
        answers = Path(scratch) / "helpdesk.answers.yml"
        answers.write_text(yaml.safe_dump(CUSTOM, sort_keys=False), encoding="utf-8")
        pinned = _pinned_ruff(root)
        rows = []
        for name, extra in (("stripe", []), ("github", []), ("helpdesk", ["--data-file", str(answers)])):
            tables = _generate(root, name, extra)
            rows.append(_check(root, args.python, name, tables, pinned))
        shutil.rmtree(root, ignore_errors=True)
    print(f"upstream {args.checkout} at {head}; ruff pinned by .pre-commit-config.yaml: {pinned}\n")
    header = ("source", "tables (ingestion)", "harness (pytest)", "offset advance", "pylint", "ruff", "merge check")
    body = [(r.source, r.tables, r.harness, r.advance, r.pylint, r.ruff, r.merge) for r in rows]
    widths = [max(len(str(c)) for c in column) for column in zip(header, *body, strict=True)]
    for line in (header, tuple("-" * w for w in widths), *body):
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) + " |")
    good = all(
        "failed" not in r.harness and "error" not in r.harness and r.advance == "passed" and r.pylint == "10.00"
        and r.ruff.startswith("clean") and r.merge == "no diff"
        for r in rows
    )  # fmt: skip
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
