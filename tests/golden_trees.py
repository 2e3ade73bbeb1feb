"""Golden trees: what every command writes for the fixture specs and fixture apps, as sha256 per file.

`python -m tests.golden_trees --write` records tests/golden/trees.json; `test_golden_trees.py` re-runs the same
scenarios and compares byte for byte, so a refactor that changes any output fails with the file that changed.
A deliberate template change re-records it (and the diff of trees.json shows exactly which files moved).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden" / "trees.json"
SPECS = REPO / "fixtures" / "specs"
APPS = REPO / "fixtures" / "apps"
CHECKOUT = REPO / "fixtures" / "lakeflow-checkout"
ZOO = REPO / "fixtures" / "lakeflow-sources" / "zoo_table_driven.py"
SKIP = (".git/", "__pycache__", ".pytest_cache", ".ruff_cache", ".scaffold_cache")


def scaffold(cwd: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "connector_scaffold.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONDONTWRITEBYTECODE": "1", "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin"},
    )
    if done.returncode != 0:
        raise AssertionError(f"scaffold {' '.join(args)}: exit {done.returncode}\n{done.stdout}\n{done.stderr}")


def hashes(root: Path) -> dict[str, str]:
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not any(part in rel for part in SKIP):
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _git(root: Path) -> None:
    for command in (
        ["git", "init", "--quiet", "--initial-branch=main"],
        ["git", "add", "--all"],
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "base"],
    ):
        subprocess.run(command, cwd=root, check=True, capture_output=True)


def _atlan(spec: Path) -> Callable[[Path], Path]:
    def make(base: Path) -> Path:
        import yaml

        name = yaml.safe_load(spec.read_text())["source_name"]
        scaffold(base, "new-connector", name, "--data-file", str(spec), "--dest", str(base / "app"))
        return base / "app"

    return make


def _lakeflow(*args: str) -> Callable[[Path], Path]:
    def make(base: Path) -> Path:
        root = base / "checkout"
        shutil.copytree(CHECKOUT, root)
        scaffold(base, "new-connector", *args, "--target", "lakeflow", "--defaults", "--dest", str(root))
        return root

    return make


def _lakeflow_add_table(base: Path) -> Path:
    root = base / "checkout"
    shutil.copytree(CHECKOUT, root)
    four = ("--table", "customers", "--table", "charges", "--table", "invoices", "--table", "products")
    scaffold(base, "new-connector", "stripe", "--target", "lakeflow", *four, "--dest", str(root))
    scaffold(base, "add-table", "subscriptions", "--dest", str(root))
    scaffold(
        base,
        "add-table",
        "refunds",
        "--dest",
        str(root),
        "--list-path",
        "/v1/refunds",
        "--records-key",
        "data",
        "--field",
        "id:string",
        "--field",
        "created:integer",
        "--cursor",
        "created",
    )
    return root


def _zoo_add_table(base: Path) -> Path:
    root = base / "checkout"
    shutil.copytree(CHECKOUT, root)
    source = root / "src/databricks/labs/community_connector/sources/zoo"
    source.mkdir(parents=True)
    (source / "__init__.py").write_text("")
    shutil.copyfile(ZOO, source / "zoo.py")
    scaffold(
        base,
        "add-table",
        "feedings",
        "--dest",
        str(root),
        "--list-path",
        "/v1/feedings",
        "--field",
        "id:string",
        "--field",
        "fed_at:datetime",
        "--cursor",
        "fed_at",
    )
    return root


def _incremental(app: str, *args: str) -> Callable[[Path], Path]:
    def make(base: Path) -> Path:
        root = base / app
        shutil.copytree(APPS / app, root)
        _git(root)
        scaffold(base, "add-incremental", "--path", str(root), *args)
        return root

    return make


def _stripe_incremental(base: Path) -> Path:
    root = base / "stripe"
    scaffold(base, "new-connector", "stripe", "--defaults", "--dest", str(root))
    _git(root)
    scaffold(
        base,
        "add-incremental",
        "--path",
        str(root),
        "--entity",
        "invoice",
        "--children",
        "invoice_line_item",
        "--timestamp-field",
        "created",
    )
    return root


SCENARIOS: dict[str, Callable[[Path], Path]] = {
    **{f"atlan/{p.name.removesuffix('.answers.yml')}": _atlan(p) for p in sorted(SPECS.glob("*.answers.yml"))},
    "lakeflow/stripe": _lakeflow("stripe"),
    "lakeflow/github": _lakeflow("github"),
    "lakeflow/add_table_stripe": _lakeflow_add_table,
    "lakeflow/add_table_zoo": _zoo_add_table,
    "incremental/v2_tableau": _incremental(
        "v2_tableau", "--entity", "workbook", "--children", "sheet,dashboard", "--parent", "project"
    ),
    "incremental/v3_rest": _incremental(
        "v3_rest", "--entity", "dashboard", "--children", "chart", "--timestamp-field", "changed_on_utc"
    ),
    "incremental/v2_two_entities": _incremental("v2_two_entities", "--entity", "app", "--children", "page"),
    "incremental/stripe": _stripe_incremental,
    "incremental/v2_sql_mysql": _incremental("v2_sql_mysql"),
    "incremental/v2_sql_postgres": _incremental("v2_sql_postgres"),
}


def record(names: list[str] | None = None) -> dict[str, dict[str, str]]:
    trees: dict[str, dict[str, str]] = {}
    for name in names or sorted(SCENARIOS):
        with tempfile.TemporaryDirectory(prefix="golden-") as scratch:
            trees[name] = hashes(SCENARIOS[name](Path(scratch)))
    return trees


if __name__ == "__main__":
    result = record()
    if "--write" in sys.argv:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(json.dumps({k: len(v) for k, v in result.items()}, indent=1))
