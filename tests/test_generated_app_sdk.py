"""Generated apps against the real SDK: their own test suites, and the SDK's conformance suite."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.sdk_venv import app_requirements, default_location, ensure_sdk_venv

pytestmark = pytest.mark.sdk

APPS_WITH_SUITES = ["stripe", "github", "generic", "offset_apikey", "nexttoken_oauth"]


@pytest.fixture(scope="session")
def sdk_venv(rendered_apps: dict[str, Path]) -> Path:
    return ensure_sdk_venv(default_location(REPO), app_requirements(rendered_apps["stripe"]))


def run_in_venv(venv: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PYTHONPATH=str(cwd), PATH=f"{venv / 'bin'}:{env.get('PATH', '')}", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900)


@pytest.mark.parametrize("name", APPS_WITH_SUITES)
def test_generated_app_suite_passes_offline(sdk_venv, rendered_apps, name):
    if name not in rendered_apps:
        pytest.fail(f"fixtures/specs/{name}.answers.yml is missing")
    app = rendered_apps[name]
    done = run_in_venv(
        sdk_venv, [str(sdk_venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"], app
    )
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in summary and "skipped" not in summary, summary


@pytest.mark.parametrize("name", ["stripe", "github", "generic"])
def test_conformance_has_no_error_findings(sdk_venv, rendered_apps, name, tmp_path):
    app = rendered_apps[name]
    sarif = tmp_path / "conformance.sarif"
    tool = str(sdk_venv / "bin" / "atlan-application-sdk-conformance")
    done = run_in_venv(sdk_venv, [tool, "detect", "--repo", str(app), "--output", str(sarif)], app)
    results = [r for run in json.loads(sarif.read_text())["runs"] for r in run.get("results", [])]
    errors = [f"{r['ruleId']}: {r['message']['text']}" for r in results if r.get("level", "warning") == "error"]
    assert errors == [], errors
    assert done.returncode == 0, done.stderr[-2000:]
