"""`scaffold add-incremental` on fixture apps: preflight, anchors, dry run, apply, idempotence, extension, report.

Fast: no SDK venv; the fixture apps' own suites run in tests/test_add_incremental_sdk.py (marked sdk).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import scaffold_process
from tests.incremental_helpers import APPS, add_incremental, copy_app, git_commit, snapshot

V2_ARGS = ("--entity", "workbook", "--children", "sheet,dashboard", "--parent", "project")
V3_ARGS = ("--entity", "dashboard", "--children", "chart", "--timestamp-field", "changed_on_utc")
RUFF = str(Path(sys.executable).with_name("ruff"))


@pytest.fixture
def v2(tmp_path: Path) -> Path:
    return copy_app("v2_tableau", tmp_path / "v2")


@pytest.fixture
def v3(tmp_path: Path) -> Path:
    return copy_app("v3_rest", tmp_path / "v3")


@pytest.fixture(scope="module")
def v2_applied(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The v2 fixture after one apply (shared: the tests below only read it, or copy it first)."""
    app = copy_app("v2_tableau", tmp_path_factory.mktemp("v2") / "app")
    result = add_incremental(app, *V2_ARGS)
    assert result.exit_code == 0, result.output
    return app, result.output


def ruff_clean(app: Path) -> None:
    for command in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        done = subprocess.run([RUFF, *command], cwd=app, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


# -- apply, idempotence, dry run ----------------------------------------------------------------------------------


def test_v2_apply_writes_the_modules_and_patches_in_place(v2_applied: tuple[Path, str]) -> None:
    app, _ = v2_applied
    for created in (
        "app/extracts/incremental.py",
        "app/extracts/incremental_cache.py",
        "tests/unit/test_incremental_modules.py",
        "tests/unit/test_incremental_scenarios.py",
    ):
        assert (app / created).is_file()
    scenarios = (app / "tests/unit/test_incremental_scenarios.py").read_text()
    assert "from app.workflows import TableauMetadataExtractionWorkflow as ConnectorWorkflow" in scenarios
    assert "def test_a_changed_parent_re_extracts_the_entities_under_it(" in scenarios
    steps = (app / "app/extracts/incremental_steps.py").read_text()
    assert "fetch_marker_from_storage(" in steps, "a v2 app uses the 2.x marker helpers"
    activities = (app / "app/activities.py").read_text()
    assert "for workbook in select_changed_workbook(workbooks, workflow_args):" in activities
    for step in ("read_marker", "read_previous_workbook_list", "detect_updated_workbook", "persist_incremental_state"):
        assert f"async def {step}(self" in activities
        assert f"activities.{step}," in (app / "app/workflows.py").read_text()
    models = (app / "app/models.py").read_text()
    assert 'incremental_enabled: bool = Field(default=False, alias="incremental-enabled")' in models
    ruff_clean(app)


def test_v2_orchestration_order(v2_applied: tuple[Path, str]) -> None:
    """Marker after the args step, detect after the list, guard on the detail, backfill after it, persist last."""
    run = (v2_applied[0] / "app/workflows.py").read_text()
    order = [
        "get_workflow_args",
        "read_marker",
        "read_previous_workbook_list",
        "extract_workbooks",
        "detect_updated_workbook",
        'if workflow_args.get("changed_workbook_count", 1):',
        "extract_workbook_details",
        "backfill_unchanged_workbook",
        "upload_to_atlan,",
        "persist_incremental_state",
    ]
    positions = [run.index(step) for step in order]
    assert positions == sorted(positions)


def test_second_run_reports_identical_and_changes_no_byte(v2_applied: tuple[Path, str], tmp_path: Path) -> None:
    app = tmp_path / "again"
    subprocess.run(["cp", "-a", str(v2_applied[0]), str(app)], check=True)
    before = snapshot(app)
    result = add_incremental(app, *V2_ARGS)
    assert result.exit_code == 0, result.output
    assert "nothing to do: every file is already identical" in result.output
    assert snapshot(app) == before


def test_v3_apply_then_second_run_is_identical(v3: Path) -> None:
    first = add_incremental(v3, *V3_ARGS)
    assert first.exit_code == 0, first.output
    connector = (v3 / "app/connector.py").read_text()
    assert "for dashboard in select_changed_dashboard(dashboards, input):" in connector
    assert "@task(timeout_seconds=600)\n    async def detect_updated_dashboard(" in connector
    assert "else:\n            charts = ExtractOutput()" in connector
    assert (
        "from application_sdk.common.incremental import fetch_marker"
        in (v3 / "app/extracts/incremental_steps.py").read_text()
    )
    contracts = (v3 / "app/contracts.py").read_text()
    assert "    incremental_enabled: bool = False\n    force_full_extraction: bool = False\n" in contracts
    assert 'changed_dashboard_ids_file: str = ""' in contracts
    ruff_clean(v3)
    after = snapshot(v3)
    second = add_incremental(v3, *V3_ARGS, "--allow-dirty")
    assert "nothing to do" in second.output
    assert snapshot(v3) == after


def test_dry_run_prints_the_diff_and_writes_nothing(v3: Path) -> None:
    before = snapshot(v3)
    result = add_incremental(v3, *V3_ARGS, "--dry-run")
    assert result.exit_code == 0, result.output
    assert snapshot(v3) == before
    assert "--- a/app/connector.py\n+++ b/app/connector.py\n" in result.output
    assert "+++ b/app/extracts/incremental.py" in result.output
    assert "+        for dashboard in select_changed_dashboard(dashboards, input):" in result.output
    assert re.search(r"^create\s+app/extracts/incremental_cache\.py$", result.output, re.M)
    assert re.search(r"^update\s+app/contracts\.py$", result.output, re.M)
    assert result.output.rstrip().endswith("nothing written")


def test_dry_run_after_apply_shows_no_diff(v2_applied: tuple[Path, str]) -> None:
    result = add_incremental(v2_applied[0], *V2_ARGS, "--dry-run")
    assert "--- a/" not in result.output
    assert "would write 0 file(s)" in result.output


# -- a second entity -----------------------------------------------------------------------------------------------


def test_a_second_entity_extends_without_duplicating(tmp_path: Path) -> None:
    app = copy_app("v2_two_entities", tmp_path / "acme")
    assert add_incremental(app, "--entity", "app", "--children", "page").exit_code == 0
    hooks = app / "app/extracts/incremental_hooks.py"
    edited = hooks.read_text().replace(
        "    return False\n", '    return record.get("lastRefresh") == record.get("updatedAt")  # edited\n', 1
    )
    hooks.write_text(edited)
    git_commit(app, "app incremental, hook tuned")
    result = add_incremental(app, "--entity", "report", "--timestamp-field", "modifiedAt")
    assert result.exit_code == 0, result.output
    workflows = (app / "app/workflows.py").read_text()
    activities = (app / "app/activities.py").read_text()
    for shared in ("read_marker", "persist_incremental_state"):
        assert workflows.count(f"acts.{shared},") + workflows.count(f"acts.{shared}\n") == 1, shared
        assert workflows.count(f"activities.{shared},") == 1
        assert activities.count(f"async def {shared}(") == 1
    for entity in ("app", "report"):
        assert activities.count(f"async def detect_updated_{entity}(") == 1
        assert workflows.count(f"activities.backfill_unchanged_{entity},") == 1
    assert workflows.index("read_previous_app_list") < workflows.index("read_previous_report_list")
    incremental = (app / "app/extracts/incremental.py").read_text()
    assert 'APP_TIMESTAMP_FIELD = "updatedAt"' in incremental, "the first entity keeps its settings"
    assert 'REPORT_TIMESTAMP_FIELD = "modifiedAt"' in incremental
    assert "entities: app, report" in (app / "incremental-analysis/connector-type.txt").read_text()
    assert hooks.read_text().startswith(edited), "the tuned hook is kept; the new entity's hook is appended"
    assert "def is_false_positive_report(" in hooks.read_text()
    ruff_clean(app)
    before = snapshot(app)
    again = add_incremental(app, "--entity", "app", "--allow-dirty")
    assert "nothing to do" in again.output
    assert snapshot(app) == before


# -- workflow.json, the analysis file, the report ------------------------------------------------------------------


def test_workflow_json_keeps_key_order_and_indentation(v2_applied: tuple[Path, str]) -> None:
    original = (APPS / "v2_tableau/app/templates/workflow.json").read_text()
    patched = (v2_applied[0] / "app/templates/workflow.json").read_text()
    old, new = json.loads(original), json.loads(patched)
    assert list(new) == list(old)
    assert list(new["config"]["properties"]) == [
        *old["config"]["properties"],
        "incremental-enabled",
        "force-full-extraction",
        "marker-offset-hours",
    ]
    patched_lines = patched.splitlines()
    for line in original.splitlines():
        core = line.rstrip().removesuffix(",").rstrip("]}")
        assert any(p.startswith(core) for p in patched_lines), line
    assert '        "properties": ["credential-guid"]' in patched_lines, "a one-line array stays on one line"
    assert '      "incremental-enabled": {' in patched_lines, "the new members use the file's indentation"


def test_the_analysis_file_records_the_classification(v2_applied: tuple[Path, str]) -> None:
    text = (v2_applied[0] / "incremental-analysis/connector-type.txt").read_text()
    assert "connector_type: REST\nshape: v2\nsdk_major: 2\nentities: workbook\n" in text
    assert "  - pyproject.toml declares atlan-application-sdk[workflows]==2.5.0\n" in text
    assert "  - app/workflows.py TableauMetadataExtractionWorkflow: @workflow.defn with get_activities()\n" in text


def test_the_report_names_entities_files_and_next_steps(v2_applied: tuple[Path, str]) -> None:
    output = v2_applied[1]
    assert output.startswith("add-incremental: tableau (v2 app, atlan-application-sdk[workflows]==2.5.0)\n")
    assert (
        "  entity workbook: list step extract_workbooks, detail step extract_workbook_details, timestamp updatedAt, "
        "children sheet, dashboard, parent project\n"
    ) in output
    assert "  created   app/extracts/incremental_steps.py\n" in output
    assert "  modified  app/templates/workflow.json\n" in output
    assert "next steps:\n  1. review the diff" in output
    assert "marketplace package" in output
    assert "staging run with incremental_enabled=true" in output


def test_the_timestamp_default_is_found_in_the_apps_fixtures(v2_applied: tuple[Path, str], v3: Path) -> None:
    assert 'WORKBOOK_TIMESTAMP_FIELD = "updatedAt"' in (v2_applied[0] / "app/extracts/incremental.py").read_text()
    result = add_incremental(v3, "--entity", "dashboard", "--children", "chart", "--dry-run")
    assert 'DASHBOARD_TIMESTAMP_FIELD = "updatedAt"' in result.output
    assert "none of updatedAt, updated_at, modifiedAt, lastModifiedTime, createdAt appears" in result.output


# -- preflight: nothing is written and the error says what to do ---------------------------------------------------


def refused(app: Path, *args: str) -> str:
    before = snapshot(app)
    result = add_incremental(app, *args)
    assert result.exit_code == 2, result.output
    assert snapshot(app) == before
    return result.output


def test_an_app_without_the_sdk_is_refused(v2: Path) -> None:
    pyproject = v2 / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"atlan-application-sdk[workflows]==2.5.0",', ""))
    assert "does not declare atlan-application-sdk; this is not an Atlan app" in refused(v2, *V2_ARGS, "--allow-dirty")


def test_a_v2_app_below_2_4_1_must_upgrade(v2: Path) -> None:
    pyproject = v2 / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("==2.5.0", "==2.4.0"))
    output = refused(v2, *V2_ARGS, "--allow-dirty")
    assert "atlan-application-sdk 2.4.0 has no incremental seam; upgrade the SDK to 2.4.1 or later" in output


def test_a_sql_app_takes_the_sql_path(tmp_path: Path) -> None:
    """v2_mysql has a table query only: the SQL path (tests/test_add_incremental_sql.py) needs the column one too."""
    app = copy_app("v2_mysql", tmp_path / "mysql")
    output = refused(app)
    assert "app/sql/extract_column.sql: not found; the incremental queries are derived from the app's own" in output


def test_a_dirty_tree_is_refused_unless_allowed(v2: Path) -> None:
    models = v2 / "app/models.py"
    models.write_text(models.read_text() + "# work in progress\n")
    output = refused(v2, *V2_ARGS)
    assert "uncommitted changes in app/models.py; commit or stash them, or pass --allow-dirty" in output
    assert add_incremental(v2, *V2_ARGS, "--dry-run").exit_code == 0, "a dry run writes nothing, so it may run"
    assert add_incremental(v2, *V2_ARGS, "--allow-dirty").exit_code == 0


def test_a_missing_list_step_names_the_orchestration_and_the_option(v2: Path) -> None:
    output = refused(v2, "--entity", "datasource")
    assert re.search(r"app/workflows\.py:\d+: the list step of datasource \(extract_datasources", output)
    assert "pass --list-step NAME" in output


def test_an_ambiguous_list_step_names_both_and_the_option(v2: Path) -> None:
    workflows = v2 / "app/workflows.py"
    text = workflows.read_text()
    extra = "        await workflow.execute_activity_method(self.activities_cls.list_workbooks, args=[workflow_args])\n"
    workflows.write_text(
        text.replace(
            "        await workflow.execute_activity_method(\n",
            extra + "\n" + "        await workflow.execute_activity_method(\n",
            1,
        )
    )
    git_commit(v2, "a second listing")
    output = refused(v2, *V2_ARGS)
    assert "the list step of workbook is ambiguous (extract_workbooks, list_workbooks); pass --list-step NAME" in output


def test_a_detail_step_that_is_not_called_is_refused(v2: Path) -> None:
    output = refused(v2, *V2_ARGS, "--detail-step", "extract_views")
    assert re.search(r"app/workflows\.py:\d+: run\(\) never calls extract_views; check --detail-step", output)


def test_a_missing_detail_step_names_the_option(v2: Path) -> None:
    output = refused(v2, "--entity", "project", "--list-step", "extract_projects")
    assert re.search(r"app/workflows\.py:\d+: no detail step of project", output)
    assert "pass --detail-step NAME" in output


def test_a_detail_step_without_a_loop_names_its_method(v2: Path) -> None:
    line = _line_of(v2 / "app/activities.py", "async def extract_projects")
    output = refused(v2, "--entity", "site", "--detail-step", "extract_projects")
    assert f"app/activities.py:{line}: " in output
    assert "extract_projects has no loop over the listed records" in output


def _line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_a_v3_output_without_defaults_is_refused(v3: Path) -> None:
    contracts = v3 / "app/contracts.py"
    contracts.write_text(contracts.read_text().replace("    record_count: int = 0\n", "    record_count: int\n"))
    git_commit(v3, "a required field")
    output = refused(v3, *V3_ARGS)
    assert re.search(r"app/contracts\.py:\d+: ExtractOutput\.record_count has no default", output)


def test_a_bad_entity_name_is_refused(v2: Path) -> None:
    assert "'Work-Book' is not an entity name" in refused(v2, "--entity", "Work-Book")


def test_a_folder_that_is_not_an_app_is_refused(tmp_path: Path) -> None:
    assert "no pyproject.toml; run from the app root or pass --path DIR" in refused(tmp_path, "--entity", "x")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("  timestamp_field: updatedAt\n", ""), "entities.0.timestamp_field: Field required"),
        (("  - sheet\n", "  - {}\n"), "entities.0.children.0: Input should be a valid string"),
    ],
)
def test_an_answers_file_entity_that_does_not_validate_names_the_file(
    v2_applied: tuple[Path, str], tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    app = tmp_path / "edited"
    subprocess.run(["cp", "-a", str(v2_applied[0]), str(app)], check=True)
    answers = app / ".copier-answers.incremental.yml"
    text = answers.read_text(encoding="utf-8")
    assert edit[0] in text
    answers.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    assert f".copier-answers.incremental.yml: {message}; restore it from git or delete it" in refused(app, *V2_ARGS)


STRIPE_ARGS = ("--entity", "invoice", "--children", "invoice_line_item", "--timestamp-field", "created")


def stripe_app(root: Path) -> Path:
    """A stripe app from new-connector, committed in a fresh git repo."""
    done = scaffold_process("new-connector", "stripe", "--defaults", "--dest", str(root / "stripe"), cwd=root)
    assert done.returncode == 0, done.stderr
    app = root / "stripe"
    git_commit(app, "generated")
    return app


def test_the_generated_stripe_app_hands_its_child_step_a_file_of_the_changed_invoices(tmp_path: Path) -> None:
    """The stripe app's child step lists line items once per record of the file it is handed (the loop is in
    app/extract.py, not in the task): run() hands it a file of the changed invoices instead of the full listing,
    the backfill completes its output file, and the state is persisted after the last upload."""
    app = stripe_app(tmp_path)
    before = snapshot(app)
    dry = add_incremental(app, *STRIPE_ARGS, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "+        incremental_step = IncrementalStepInput.from_run_input(input)" in dry.output
    assert "nothing written" in dry.output
    assert snapshot(app) == before

    result = add_incremental(app, *STRIPE_ARGS)
    assert result.exit_code == 0, result.output
    assert "entity invoice: list step extract_invoice, detail step extract_invoice_line_item" in result.output
    connector = (app / "app" / "connector.py").read_text(encoding="utf-8")
    run = connector[connector.index("    async def run(") :]
    assert '{"listed": invoice_out.batch.records}' in run
    assert '{"upstream": detected_invoice.changed_records or invoice_out.batch.records}' in run
    assert '{"detail": invoice_line_item_out.batch.records}' in run
    assert '"records": backfilled_invoice.records' in run
    # After the output and the run-metadata uploads: state only for a run that is wholly uploaded.
    assert run.index("await self.persist_incremental_state(") > run.rindex("await self.upload(")
    # The step itself and the extraction code are as they were.
    assert 'return await self._list("invoice_line_item", input)' in connector
    assert (app / "app" / "extract.py").read_bytes() == before["app/extract.py"]
    contracts = (app / "app" / "contracts.py").read_text(encoding="utf-8")
    assert "incremental_enabled: bool = False" in contracts
    answers = (app / ".copier-answers.incremental.yml").read_text(encoding="utf-8")
    assert "upstream: upstream" in answers and "upstream_path: batch.records" in answers
    ruff_clean(app)
    check = scaffold_process("check", ".", cwd=app)
    assert check.returncode == 0, check.stdout + check.stderr

    written = snapshot(app)
    again = add_incremental(app, *STRIPE_ARGS)
    assert again.exit_code == 0 and "nothing to do" in again.output, again.output
    assert snapshot(app) == written
    dry_again = add_incremental(app, *STRIPE_ARGS, "--dry-run")
    assert "would write 0 file(s)" in dry_again.output
    assert snapshot(app) == written
