"""The fixture apps' own suites against the real SDK, before and after `scaffold add-incremental` (slow).

SDK 2.x gets its own venv; every v3 app shares the run's one SDK v3 venv. Both are built once through
tests/sdk_venv.py and reused while the requirements (read from the apps' pyproject files) stay the same.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, scaffold_process
from tests.incremental_helpers import APPS, add_incremental, copy_app, git_commit, snapshot
from tests.sdk_venv import app_requirements, ensure_sdk_venv, run_app_suite

pytestmark = pytest.mark.sdk

STRIPE_E2E = REPO / "fixtures" / "incremental" / "stripe_incremental_e2e.py"
FIXTURES = {
    "v2_tableau": ("sdk2", ["--entity", "workbook", "--children", "sheet,dashboard", "--parent", "project"]),
    "v3_rest": ("sdk3", ["--entity", "dashboard", "--children", "chart", "--timestamp-field", "changed_on_utc"]),
    # The shape of atlan-sample-apps anaplan: parquet via the SDK writers, guid ids, appGuid links, no upload step.
    "v2_parquet_sdk_writers": ("sdk2", ["--entity", "app", "--children", "page", "--persist-after", "transform_data"]),
}


def sdk2_location() -> Path:
    configured = os.environ.get("SCAFFOLD_SDK2_VENV")
    if configured:
        return Path(configured)
    return REPO / ".cache" / f"sdk2-venv-py{sys.version_info.major}{sys.version_info.minor}"


@pytest.fixture(scope="session")
def sdk_venvs(sdk3_venv: Path) -> dict[str, Path]:
    """SDK 2.x for the v2 fixture; the run's one SDK v3 venv (tests/conftest.py) for everything v3."""
    sdk2 = ensure_sdk_venv(sdk2_location(), app_requirements(APPS / "v2_tableau", tools=()))
    return {"sdk2": sdk2, "sdk3": sdk3_venv}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_app_suite_is_green_before_and_after(name: str, sdk_venvs: dict[str, Path], tmp_path: Path) -> None:
    kind, args = FIXTURES[name]
    app = copy_app(name, tmp_path / name)
    before, _ = run_app_suite(sdk_venvs[kind], app)

    result = add_incremental(app, *args)
    assert result.exit_code == 0, result.output
    after, summary = run_app_suite(sdk_venvs[kind], app)

    generated = sorted(p.name for p in (app / "tests" / "unit").glob("test_incremental_*.py"))
    assert generated == ["test_incremental_modules.py", "test_incremental_scenarios.py"]
    assert after > before + 40, summary  # the new unit, lifecycle and state tests ran too

    written = snapshot(app)
    again = add_incremental(app, *args, "--allow-dirty")
    assert "nothing to do" in again.output
    assert snapshot(app) == written


def test_the_generated_stripe_app_suite_is_green_before_and_after(sdk3_venv: Path, tmp_path: Path) -> None:
    """new-connector's stripe app, made incremental on invoices (line items re-listed for changed invoices only),
    its suite green before and after, plus fixtures/incremental/stripe_incremental_e2e.py.

    It runs in the run's one SDK v3 venv (tests/conftest.py)."""
    done = scaffold_process("new-connector", "stripe", "--defaults", "--dest", str(tmp_path / "stripe"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    app = tmp_path / "stripe"
    git_commit(app, "generated")
    venv = sdk3_venv
    before, _ = run_app_suite(venv, app)

    args = ["--entity", "invoice", "--children", "invoice_line_item", "--timestamp-field", "created"]
    result = add_incremental(app, *args)
    assert result.exit_code == 0, result.output
    # A second run changes nothing. It runs before the e2e test below is added: the analysis documents it refreshes
    # read the app's tests, so a new test file is a real change to them.
    written = snapshot(app)
    again = add_incremental(app, *args)
    assert "nothing to do" in again.output
    assert snapshot(app) == written

    # Besides the generated tests: the real tasks against the app's source simulator, incremental runs included.
    shutil.copyfile(STRIPE_E2E, app / "tests" / "e2e" / "test_incremental_e2e.py")
    after, summary = run_app_suite(venv, app)
    assert after > before + 40, summary
