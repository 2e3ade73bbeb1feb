"""`scaffold add-incremental` (SQL path) on the SQL apps of a real checkout nobody here wrote.

Not a test. Each SQL metadata app under --path (a folder with a pyproject.toml declaring atlan-application-sdk whose
app/ subclasses the SDK's SQL classes) is copied to a scratch folder, committed in a fresh git repo, and the command
is run there twice; the generated tests run in an SDK 2.x venv that has the `[incremental]` extra:

  python benchmarks/realworld_incremental_sql.py --path ~/src/atlan-sample-apps
  python benchmarks/realworld_incremental_sql.py --path DIR --upgrade-sdk 2.5.0 --sdk-venv .cache/sdk2-sql-venv-py311

--upgrade-sdk rewrites the SDK pin of the scratch copy first (what the command asks an app below 2.4.1 to do); the
table says so. Prints a Markdown table: app, dialect, files written, second run changes 0 bytes, generated tests.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The SDK's SQL base classes, as add-incremental's classification knows them.
SQL_CLASSES = {
    "BaseSQLMetadataExtractionActivities",
    "IncrementalSQLMetadataExtractionActivities",
    "BaseSQLMetadataExtractionWorkflow",
    "IncrementalSQLMetadataExtractionWorkflow",
    "SqlApp",
    "SqlMetadataExtractor",
    "IncrementalSqlMetadataExtractor",
}


def sql_apps(root: Path) -> list[Path]:
    """App roots under root (sorted) whose pyproject declares the SDK and a class of whose app/ subclasses an SDK
    SQL class (read with libcst, as the command classifies apps: a docstring naming one does not count)."""
    found = []
    for pyproject in sorted(root.rglob("pyproject.toml")):
        app = pyproject.parent
        if ".venv" in app.parts or "atlan-application-sdk" not in pyproject.read_text(errors="replace"):
            continue
        if SQL_CLASSES & set(_bases(app)):
            found.append(app)
    return found


def _bases(app: Path) -> list[str]:
    import libcst as cst

    from connector_scaffold.codemods.cst_helpers import base_names, classes

    names: list[str] = []
    for path in sorted((app / "app").rglob("*.py")) if (app / "app").is_dir() else []:
        try:
            module = cst.parse_module(path.read_bytes())
        except cst.ParserSyntaxError:
            continue
        names += [b for c in classes(module) for b in sorted(base_names(c))]
    return names


def scaffold(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "connector_scaffold.cli", "add-incremental", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.relative_to(root).parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def generated_tests(venv: Path | None, app: Path) -> str:
    if venv is None:
        return "not run (no --sdk-venv)"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PYTHONPATH=str(app), PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/unit/test_incremental_sql.py",
        ],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    summary = next((line for line in reversed(done.stdout.splitlines()) if " passed" in line or " failed" in line), "")
    verdict = "pass" if done.returncode == 0 else "FAIL"
    return f"{verdict} ({re.sub(r' in [0-9.]+s.*', '', summary.strip('= '))})"


def run_one(app: Path, checkout: Path, scratch: Path, upgrade: str | None, venv: Path | None) -> list[str]:
    name = app.relative_to(checkout).as_posix()
    copy = scratch / name.replace("/", "__")
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns(".venv", "__pycache__", ".git"))
    git(copy, "init", "--quiet")
    notes = []
    if upgrade:
        pyproject = copy / "pyproject.toml"
        text = pyproject.read_text()
        pinned = re.sub(r"(atlan-application-sdk(?:\[[^\]]*\])?)==[0-9.]+", rf"\g<1>=={upgrade}", text)
        if pinned != text:
            pyproject.write_text(pinned)
            notes.append(f"SDK pin rewritten to =={upgrade}")
    git(copy, "add", "--all")
    git(copy, "commit", "--quiet", "-m", "copy")
    first = scaffold(cwd=copy)
    if first.returncode != 0:
        reason = (first.stderr.strip().splitlines() or ["?"])[-1]
        return [name, "-", f"refused (exit {first.returncode}): {reason}", "-", "-", "; ".join(notes)]
    dialect = re.search(r"dialect (\w+)", first.stdout)
    written = [line.split()[-1] for line in first.stdout.splitlines() if re.match(r"\s+(created|modified) ", line)]
    git(copy, "add", "--all")
    git(copy, "commit", "--quiet", "-m", "add-incremental")
    before = tree_hash(copy)
    second = scaffold(cwd=copy)
    unchanged = "yes" if second.returncode == 0 and tree_hash(copy) == before else f"NO (exit {second.returncode})"
    return [
        name,
        dialect.group(1) if dialect else "?",
        f"{len(written)}: " + ", ".join(written),
        unchanged,
        generated_tests(venv, copy),
        "; ".join(notes),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", type=Path, required=True, action="append", help="A local checkout (repeatable).")
    parser.add_argument("--upgrade-sdk", metavar="VERSION", help="Rewrite an exact SDK pin to this version first.")
    default_venv = REPO / ".cache" / f"sdk2-sql-venv-py{sys.version_info.major}{sys.version_info.minor}"
    parser.add_argument("--sdk-venv", type=Path, default=default_venv if default_venv.is_dir() else None)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="scaffold-sql-bench-") as scratch:
        for checkout in args.path:
            for app in sql_apps(checkout.resolve()):
                rows.append(run_one(app, checkout.resolve(), Path(scratch), args.upgrade_sdk, args.sdk_venv))
    header = ["app", "dialect", "files written", "second run changes 0 bytes", "generated tests", "notes"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    if not rows:
        print("| (no SQL app found) |" + " |" * (len(header) - 1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
