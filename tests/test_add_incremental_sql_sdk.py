"""The SQL fixture apps' own suites against the real SDK 2.5.0, before and after `scaffold add-incremental` (slow).

The generated tests/unit/test_incremental_sql.py (build_incremental_column_sql: several tables, one table, the
placeholders, an empty list, quote escaping; the table query the SDK fills in; the class switch) must pass with the
`[incremental]` extra the command adds. Both apps run in one venv built from the patched MySQL app's requirements
(the PostgreSQL app's SDK extras are a subset of them), through tests/sdk_venv.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.incremental_helpers import add_incremental, copy_app, git_commit, snapshot
from tests.sdk_venv import app_requirements, ensure_sdk_venv, run_app_suite

pytestmark = pytest.mark.sdk

GENERATED_TESTS = 8


def _location() -> Path:
    configured = os.environ.get("SCAFFOLD_SDK2_SQL_VENV")
    if configured:
        return Path(configured)
    return REPO / ".cache" / f"sdk2-sql-venv-py{sys.version_info.major}{sys.version_info.minor}"


@pytest.fixture(scope="module")
def sql_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    app = copy_app("v2_sql_mysql", tmp_path_factory.mktemp("req") / "mysql", git=False)
    git_commit(app, "fixture")
    assert add_incremental(app).exit_code == 0
    return ensure_sdk_venv(_location(), app_requirements(app, tools=("pytest>=8", "pytest-asyncio")))


@pytest.mark.parametrize("name", ["v2_sql_mysql", "v2_sql_postgres"])
def test_the_sql_app_suite_is_green_before_and_after(name: str, sql_venv: Path, tmp_path: Path) -> None:
    app = copy_app(name, tmp_path / name)
    before, _ = run_app_suite(sql_venv, app)
    result = add_incremental(app)
    assert result.exit_code == 0, result.output
    after, summary = run_app_suite(sql_venv, app)
    assert after == before + GENERATED_TESTS, summary

    git_commit(app, "incremental")
    written = snapshot(app)
    again = add_incremental(app)
    assert "nothing to do" in again.output
    assert snapshot(app) == written
