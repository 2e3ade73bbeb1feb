"""Shared fixtures: the repo paths, a CLI runner, and renders of the atlan-app template."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from connector_scaffold.cli import main

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO / "fixtures" / "specs"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run `scaffold ARGS` in-process with tmp_path as the working directory."""
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


def scaffold_process(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the real `scaffold` console entry point in a subprocess (stdin is a pipe, not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "connector_scaffold.cli", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".pytest_cache" not in p.parts
    }


@pytest.fixture(scope="session")
def rendered_apps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Apps rendered once per session through the real CLI, keyed by answers-file stem."""
    root = tmp_path_factory.mktemp("apps")
    apps: dict[str, Path] = {}
    for answers in sorted(SPECS.glob("*.answers.yml")):
        name = answers.name.removesuffix(".answers.yml")
        source = _source_name(answers)
        dest = root / name
        done = scaffold_process("new-connector", source, "--data-file", str(answers), "--dest", str(dest), cwd=root)
        assert done.returncode == 0, done.stderr
        apps[name] = dest
    return apps


def _source_name(answers: Path) -> str:
    import yaml

    return yaml.safe_load(answers.read_text())["source_name"]


@pytest.fixture(scope="session")
def sdk3_venv(rendered_apps: dict[str, Path]) -> Path:
    """The one SDK v3 venv of a test run: what a generated app and the v3 fixture app declare, merged."""
    from tests.sdk_venv import app_requirements, default_location, ensure_sdk_venv

    v3_fixture = REPO / "fixtures" / "apps" / "v3_rest"
    return ensure_sdk_venv(default_location(REPO), app_requirements(rendered_apps["stripe"], v3_fixture))
