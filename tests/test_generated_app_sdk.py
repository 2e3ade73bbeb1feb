"""Generated apps against the real SDK: their own test suites, and the SDK's conformance suite."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SPECS
from tests.sdk_venv import run_app_suite, run_in_venv

pytestmark = pytest.mark.sdk

APPS_WITH_SUITES = ["stripe", "github", "generic", "offset_apikey", "nexttoken_oauth"]


@pytest.mark.parametrize("name", APPS_WITH_SUITES)
def test_generated_app_suite_passes_offline(sdk3_venv, rendered_apps, name):
    if name not in rendered_apps:
        pytest.fail(f"fixtures/specs/{name}.answers.yml is missing")
    run_app_suite(sdk3_venv, rendered_apps[name])


@pytest.mark.parametrize("name", sorted(p.name.removesuffix(".answers.yml") for p in SPECS.glob("*.answers.yml")))
def test_conformance_has_no_errors_and_no_unsuppressed_warnings(sdk3_venv, rendered_apps, name, tmp_path):
    app = rendered_apps[name]
    sarif = tmp_path / "conformance.sarif"
    tool = str(sdk3_venv / "bin" / "atlan-application-sdk-conformance")
    done = run_in_venv(sdk3_venv, [tool, "detect", "--repo", str(app), "--output", str(sarif)], app)
    results = [r for run in json.loads(sarif.read_text())["runs"] for r in run.get("results", [])]
    # An in-source `# conformance: ignore[RULE] reason` is the only accepted suppression: the reason sits beside
    # the code it excuses.
    open_findings = [
        f"{r.get('level', 'warning')} {r['ruleId']}: {r['message']['text'][:300]}"
        for r in results
        if r.get("level", "warning") in ("error", "warning")
        and not any(s.get("status") == "accepted" for s in r.get("suppressions", []))
    ]
    assert open_findings == [], "\n".join(open_findings)
    assert done.returncode == 0, done.stderr[-2000:]


# Catalog entries whose styles no fixture spec covers: Zendesk (basic auth, a next token that is set on the last page
# too, so meta.has_more decides) and Shopify (a header API key, Link-header paging with a fixed status=any filter the
# simulator requires on every page).
@pytest.mark.parametrize("name", ["zendesk", "shopify"])
def test_catalog_app_suite_passes_offline(sdk3_venv, name, tmp_path):
    from tests.conftest import scaffold_process

    done = scaffold_process("new-connector", name, "--defaults", "--dest", str(tmp_path / name), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    run_app_suite(sdk3_venv, tmp_path / name)
