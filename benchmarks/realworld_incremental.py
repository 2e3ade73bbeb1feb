"""`scaffold add-incremental` on real Atlan apps: every REST app of a corpus folder and every plausible entity.

    python benchmarks/realworld_incremental.py --corpus /work/corpus [--sdk2 VENV] [--sdk3 VENV] [--no-tests]

Per app and entity, on a scratch git copy (the corpus is never written): a dry run (must write nothing), the
real run (patched, or refused with its one-line reason; a refusal naming --persist-after is retried once with
the orchestration's last step, as a user would), a second run (must change 0 bytes) and the generated tests
(`tests/unit/test_incremental_*.py`) in the SDK venv of the app's major version. Prints a Markdown table.
Not a test: real apps need packages the SDK venvs may lack, and the table says so.
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
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from connector_scaffold.cli import main
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.targets.atlan.incremental.anchors import called_steps
from connector_scaffold.targets.atlan.project import AppProject, load_project, task_names

LIST_PREFIXES = ("extract_", "fetch_", "list_")
SKIP = {"extract_metadata", "extract_lineage", "fetch_question_queries_activity"}
# What a user passes after reading the refusal, for the corpus apps whose README or code says it (a second row).
HINTS: dict[tuple[str, str], list[str]] = {
    ("anaplan", "app"): ["--children", "page", "--detail-step", "extract_pages"],
    ("atlan-metabase-app", "dashboard"): ["--entrypoint", "extract_metadata", "--list-step", "filter_data"],
}


@dataclass
class Row:
    app: str
    entity: str
    result: str
    dry_run: str = "-"
    second_run: str = "-"
    tests: str = "-"


def singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def entities(project: AppProject) -> tuple[list[str], list[str]]:
    """Plausible entities (from list-like steps of every orchestrating method) and the orchestration's steps."""
    holder = project.workflow if project.shape == "v2" else project.app
    if holder is None:
        return [], []
    names = project.entrypoints() or ["run"]
    steps: list[str] = []
    for name in names:
        method = holder.method(name)
        if method is not None:
            steps += called_steps(method)
    owner = project.activities if project.shape == "v2" else project.app
    tasks = set(task_names(owner.node)) if owner is not None else set()
    steps = [s for s in steps if s in tasks]
    found = []
    for step in steps:
        if step.startswith(LIST_PREFIXES) and step not in SKIP and "individual" not in step and "detail" not in step:
            body = step.split("_", 1)[1]
            if body.endswith("s"):
                found.append(singular(body))
    return list(dict.fromkeys(found)), steps


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def scratch_copy(app: Path, dest: Path) -> Path:
    shutil.copytree(app, dest, ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "frontend"))
    for command in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        ["git", "-c", "user.name=b", "-c", "user.email=b@example.com", "commit", "-qm", "corpus"],
    ):
        subprocess.run(command, cwd=dest, check=True, capture_output=True)
    return dest


def scaffold(app: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["add-incremental", "--path", str(app), *args])
    return result.exit_code, result.output


def reason(output: str) -> str:
    line = next((ln for ln in output.splitlines() if ln.startswith("error:")), output.strip().splitlines()[-1:])
    text = line if isinstance(line, str) else " ".join(line)
    return re.sub(r"\s+", " ", text.removeprefix("error: "))[:160]


def run_tests(venv: Path | None, app: Path) -> str:
    if venv is None:
        return "not run"
    tests = sorted(str(p.relative_to(app)) for p in (app / "tests" / "unit").glob("test_incremental_*.py"))
    env = {**os.environ, "PYTHONPATH": str(app)}
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *tests],
        cwd=app,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    lines = [ln for ln in done.stdout.splitlines() if re.search(r"\d+ (passed|failed|error)", ln)]
    if lines:
        return lines[-1].strip("= ")
    errors = [ln for ln in done.stdout.splitlines() if "Error" in ln]
    return (errors[0] if errors else done.stdout.strip().splitlines()[-1:] or ["no output"])[0][:120]


def one(
    app: Path, entity: str, steps: list[str], venvs: dict[int, Path | None], work: Path, hint: list[str] | None = None
) -> Row:
    copy = scratch_copy(app, work / f"{app.name}-{entity}{'-hinted' if hint else ''}")
    before = tree_digest(copy)
    extra: list[str] = list(hint or [])
    code, output = scaffold(copy, "--entity", entity, "--dry-run", *extra)
    if code != 0 and "--persist-after" in output and steps:
        extra += ["--persist-after", steps[-1]]
        code, output = scaffold(copy, "--entity", entity, "--dry-run", *extra)
    dry = "nothing written" if tree_digest(copy) == before else "WROTE FILES"
    label = f"{entity} {' '.join(hint)}" if hint else entity
    if code != 0:
        return Row(app.name, label, f"refused: {reason(output)}", dry)
    code, output = scaffold(copy, "--entity", entity, *extra)
    if code != 0:
        return Row(app.name, label, f"refused on apply: {reason(output)}", dry)
    patched = tree_digest(copy)
    scaffold(copy, "--entity", entity, "--allow-dirty", *extra)
    second = "0 bytes" if tree_digest(copy) == patched else "CHANGED"
    project = load_project(copy)
    how = "patched" + (f" ({' '.join(extra)})" if extra else "")
    return Row(app.name, label, how, dry, second, run_tests(venvs.get(project.sdk_major), copy))


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--sdk2", type=Path, default=os.environ.get("SCAFFOLD_SDK2_VENV"))
    parser.add_argument("--sdk3", type=Path, default=os.environ.get("SCAFFOLD_SDK_VENV"))
    parser.add_argument("--no-tests", action="store_true")
    options = parser.parse_args(argv)
    venvs: dict[int, Path | None] = {} if options.no_tests else {2: options.sdk2, 3: options.sdk3}
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="realworld-incremental-") as scratch:
        for app in sorted(p for p in options.corpus.iterdir() if (p / "pyproject.toml").is_file()):
            try:
                project = load_project(app)
            except ScaffoldError as error:
                rows.append(Row(app.name, "-", f"not an app: {error}"))
                continue
            if project.kind != "REST":
                rows.append(Row(app.name, "-", "SQL app: not in scope"))
                continue
            names, steps = entities(project)
            if not names:
                rows.append(Row(app.name, "-", "no list step"))
            for entity in names:
                rows.append(one(app, entity, steps, venvs, Path(scratch)))
                hint = HINTS.get((app.name, entity))
                if hint:
                    rows.append(one(app, entity, steps, venvs, Path(scratch), hint))
    print("| app | entity | add-incremental | dry run | second run | generated tests |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r.app} | {r.entity} | {r.result} | {r.dry_run} | {r.second_run} | {r.tests} |")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
