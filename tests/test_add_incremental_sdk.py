"""The fixture apps' own suites against the real SDK, before and after `scaffold add-incremental` (slow).

Each SDK major gets its own venv, built once per machine through tests/sdk_venv.py and reused while the
requirements (read from the fixture app's pyproject) stay the same.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import REPO, scaffold_process
from tests.incremental_helpers import APPS, add_incremental, copy_app, git_commit, snapshot
from tests.sdk_venv import app_requirements, default_location, ensure_sdk_venv

pytestmark = pytest.mark.sdk

STRIPE_E2E = REPO / "fixtures" / "incremental" / "stripe_incremental_e2e.py"
FIXTURES = {
    "v2_tableau": ("sdk2", ["--entity", "workbook", "--children", "sheet,dashboard", "--parent", "project"]),
    "v3_rest": ("sdk3", ["--entity", "dashboard", "--children", "chart", "--timestamp-field", "changed_on_utc"]),
}


def fixture_requirements(app: Path) -> list[str]:
    """What the fixture app declares to run its tests: its dependencies and its `test` extra."""
    project = tomllib.loads((app / "pyproject.toml").read_text())["project"]
    return sorted({*project["dependencies"], *project.get("optional-dependencies", {}).get("test", [])})


def venv_location(kind: str) -> Path:
    # One folder per SDK major and Python: the generated-app venv (sdk-venv-py3XX) keeps its own requirements.
    configured = os.environ.get(f"SCAFFOLD_{kind.upper()}_INCREMENTAL_VENV")
    if configured:
        return Path(configured)
    return REPO / ".cache" / f"{kind}-incremental-venv-py{sys.version_info.major}{sys.version_info.minor}"


@pytest.fixture(scope="session")
def sdk_venvs() -> dict[str, Path]:
    return {
        kind: ensure_sdk_venv(venv_location(kind), fixture_requirements(APPS / name))
        for name, (kind, _) in FIXTURES.items()
    }


def app_suite(venv: Path, app: Path) -> tuple[int, str]:
    """(passed count, summary line) of the app's own pytest run in the venv; fails the test when it is not green."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PYTHONPATH=str(app), PATH=f"{venv / 'bin'}:{env.get('PATH', '')}", PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    lines = [line for line in done.stdout.strip().splitlines() if " passed" in line or " failed" in line]
    summary = lines[-1] if lines else ""
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "skipped" not in summary and "failed" not in summary, summary
    found = re.search(r"(\d+) passed", summary)
    assert found, summary
    return int(found.group(1)), summary


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_app_suite_is_green_before_and_after(name: str, sdk_venvs: dict[str, Path], tmp_path: Path) -> None:
    kind, args = FIXTURES[name]
    app = copy_app(name, tmp_path / name)
    before, _ = app_suite(sdk_venvs[kind], app)

    result = add_incremental(app, *args)
    assert result.exit_code == 0, result.output
    after, summary = app_suite(sdk_venvs[kind], app)

    generated = sorted(p.name for p in (app / "tests" / "unit").glob("test_incremental_*.py"))
    assert generated == ["test_incremental_modules.py", "test_incremental_scenarios.py"]
    assert after > before + 40, summary  # the new unit, lifecycle and state tests ran too

    written = snapshot(app)
    again = add_incremental(app, *args, "--allow-dirty")
    assert "nothing to do" in again.output
    assert snapshot(app) == written


def test_the_generated_stripe_app_suite_is_green_before_and_after(tmp_path: Path) -> None:
    """new-connector's stripe app, made incremental on invoices (line items re-listed for changed invoices only),
    its suite green before and after, plus fixtures/incremental/stripe_incremental_e2e.py.

    It runs in the venv of tests/test_generated_app_sdk.py (its own requirements: the retry and rate-limit
    libraries, the conformance kit), built once and shared with that test."""
    done = scaffold_process("new-connector", "stripe", "--defaults", "--dest", str(tmp_path / "stripe"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    app = tmp_path / "stripe"
    git_commit(app, "generated")
    venv = ensure_sdk_venv(default_location(REPO), app_requirements(app))
    before, _ = app_suite(venv, app)

    args = ["--entity", "invoice", "--children", "invoice_line_item", "--timestamp-field", "created"]
    result = add_incremental(app, *args)
    assert result.exit_code == 0, result.output
    # Besides the generated tests: the real tasks against the app's source simulator, incremental runs included.
    shutil.copyfile(STRIPE_E2E, app / "tests" / "e2e" / "test_incremental_e2e.py")
    after, summary = app_suite(venv, app)
    assert after > before + 40, summary

    written = snapshot(app)
    again = add_incremental(app, *args)
    assert "nothing to do" in again.output
    assert snapshot(app) == written
