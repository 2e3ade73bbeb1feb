"""Every app `scaffold new-connector` or `scaffold add-incremental` writes is clean under `scaffold check`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, scaffold_process


def test_the_stripe_app_is_clean(tmp_path):
    dest = tmp_path / "atlan-stripe-app"
    made = scaffold_process("new-connector", "stripe", "--dest", str(dest), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    checked = scaffold_process("check", "--no-cache", cwd=dest)
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "All checks passed!\n", "")


@pytest.mark.parametrize("name", ["github", "generic"])
def test_apps_from_the_spec_fixtures_are_clean(rendered_apps: dict[str, Path], name):
    checked = scaffold_process("check", "--no-cache", str(rendered_apps[name]), cwd=rendered_apps[name].parent)
    assert (checked.returncode, checked.stdout) == (0, "All checks passed!\n")


@pytest.mark.parametrize(
    ("fixture", "options"),
    [("v3_rest", ["--entity", "dashboard", "--children", "chart"]), ("v2_tableau", ["--entity", "workbook"])],
)
def test_apps_after_add_incremental_are_clean(tmp_path, fixture, options):
    app = tmp_path / fixture
    shutil.copytree(REPO / "fixtures" / "apps" / fixture, app, ignore=shutil.ignore_patterns(".ruff_cache"))
    added = scaffold_process("add-incremental", *options, cwd=app)
    assert added.returncode == 0, added.stderr
    checked = scaffold_process("check", "--no-cache", cwd=app)
    assert (checked.returncode, checked.stdout) == (0, "All checks passed!\n")
