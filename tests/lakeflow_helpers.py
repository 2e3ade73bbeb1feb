"""Shared by the tests/test_lakeflow_*.py modules: stand-in checkouts, the CLI, and running a source's own gates."""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from click.testing import CliRunner, Result

from connector_scaffold.cli import main

REPO = Path(__file__).resolve().parents[1]
CHECKOUT = REPO / "fixtures" / "lakeflow-checkout"
HANDWRITTEN = REPO / "fixtures" / "lakeflow-sources"
PACKAGE = "src/databricks/labs/community_connector"
# The flags of upstream's pylint.yml (self-review A11).
PYLINT_FLAGS = [
    "--max-line-length=100",
    "--max-locals=25",
    "--max-branches=20",
    "--max-module-lines=1500",
    "--disable=W,C0114,C0115,C0116,C0415,R0801,R0902,R0903,R0911,R0913,R0917,R1705",
]
STRIPE_FIRST_FOUR = ("--table", "customers", "--table", "charges", "--table", "invoices", "--table", "products")


def new_checkout(dest: Path) -> Path:
    """A fresh copy of the stand-in lakeflow-community-connectors checkout."""
    shutil.copytree(CHECKOUT, dest, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", ".ruff_cache"))
    return dest


def scaffold(*args: str) -> Result:
    """`scaffold ARGS` in-process; stdout and stderr apart."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def refused(cwd: Path, *args: str) -> str:
    """Run `scaffold ARGS` in a subprocess in `cwd`; it must exit 2 with one line on stderr and change no file."""
    from tests.conftest import scaffold_process

    before = tree(cwd)
    done = scaffold_process(*args, cwd=cwd)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert tree(cwd) == before
    return done.stderr


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not {"__pycache__", ".pytest_cache", ".ruff_cache"} & set(p.parts)
    }


def offline_env() -> dict[str, str]:
    """The environment of a run that must not reach the network: a dead proxy, as the reference runs used."""
    dead = "http://127.0.0.1:9"
    return {**os.environ, "HTTP_PROXY": dead, "HTTPS_PROXY": dead, "PYTHONDONTWRITEBYTECODE": "1"}


def run_source_tests(root: Path, *sources: str) -> subprocess.CompletedProcess[str]:
    """`pytest tests/unit/sources/<s>/` in the checkout, as upstream CI runs it (its own rootdir and config)."""
    folders = [f"tests/unit/sources/{s}/" for s in sources]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *folders, "-q", "-p", "no:cacheprovider"],
        cwd=root,
        capture_output=True,
        text=True,
        env=offline_env(),
        check=False,
    )


def ruff(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    ruff_bin = Path(sys.executable).with_name("ruff")
    return subprocess.run(
        [str(ruff_bin), *args, "--no-cache", "."], cwd=root, capture_output=True, text=True, check=False
    )


def pylint_score(root: Path, *paths: str) -> tuple[float, str]:
    done = subprocess.run(
        [sys.executable, "-m", "pylint", *PYLINT_FLAGS, "--ignore-patterns=_generated_.*", *paths],
        cwd=root,
        capture_output=True,
        text=True,
        env={**offline_env(), "PYTHONPATH": str(root / "src")},
        check=False,
    )
    found = re.search(r"rated at (-?[\d.]+)/10", done.stdout)
    return (float(found.group(1)) if found else -1.0), done.stdout


def passed_counts(output: str) -> tuple[int, int, int]:
    """(passed, failed, skipped) from pytest's closing line."""
    counts = {kind: int(n) for n, kind in re.findall(r"(\d+) (passed|failed|skipped)", output.splitlines()[-1])}
    return counts.get("passed", 0), counts.get("failed", 0), counts.get("skipped", 0)


def connector_classes(path: Path) -> list[str]:
    """Names of the classes in `path` that subclass LakeflowConnect."""
    tree_ = ast.parse(path.read_text())
    return [
        node.name
        for node in tree_.body
        if isinstance(node, ast.ClassDef) and any(ast.unparse(b).endswith("LakeflowConnect") for b in node.bases)
    ]


def module_dict_keys(path: Path, name: str) -> list[str]:
    """The keys of the module-level dict literal `name` in `path`."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return [ast.literal_eval(k) for k in node.value.keys]  # type: ignore[attr-defined]
    raise AssertionError(f"{path} has no module-level {name}")


@contextlib.contextmanager
def checkout_imports(root: Path) -> Iterator[None]:
    """Import from the checkout's src/ (and its stand-in harness) in-process; forget every module afterwards."""
    before = set(sys.modules)
    sys.path.insert(0, str(root / "src"))
    try:
        yield
    finally:
        sys.path.remove(str(root / "src"))
        for name in set(sys.modules) - before:
            if name.startswith(("databricks", "lakeflow_", "checkout_")):
                del sys.modules[name]


def load_module(path: Path, alias: str) -> ModuleType:
    """A module of the checkout loaded by file path under `alias` (its package-relative imports are absolute)."""
    spec = importlib.util.spec_from_file_location(alias, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[alias] = module
    spec.loader.exec_module(module)
    return module


class FakeTime:
    """Stands in for the `time` module inside a generated source: `sleep` advances `monotonic`, so pacing and
    Retry-After waits are asserted exactly, whatever the machine's load."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        import time

        return time.time()

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
