"""add-incremental's SQL path on the fixture SQL apps: what it writes, that a second run changes nothing, the
facts it reads (exposed for `scaffold analyze`) and its one-line refusals. The generated tests run against the real
SDK in tests/test_add_incremental_sql_sdk.py; the queries against a real database in tests/test_incremental_sql_db.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connector_scaffold.targets.atlan.incremental.sql.facts import describe_sql_app, sql_app_facts
from connector_scaffold.targets.atlan.project import load_project
from tests.incremental_helpers import add_incremental, copy_app, git_commit, snapshot

WRITTEN = {
    ".copier-answers.incremental-sql.yml",
    "app/sql/extract_column_incremental.sql",
    "app/sql/extract_table_incremental.sql",
    "incremental-analysis/connector-type.txt",
    "tests/unit/test_incremental_sql.py",
}


def refused(app: Path, *args: str) -> str:
    before = snapshot(app)
    result = add_incremental(app, *args)
    assert result.exit_code == 2, result.output
    assert snapshot(app) == before
    assert len(result.output.strip().splitlines()) == 1, result.output
    return result.output


@pytest.mark.parametrize(("name", "dialect"), [("v2_sql_mysql", "mysql"), ("v2_sql_postgres", "postgresql")])
def test_the_sql_path_writes_the_queries_switches_the_classes_and_a_second_run_changes_nothing(
    name: str, dialect: str, tmp_path: Path
) -> None:
    app = copy_app(name, tmp_path / name)
    before = snapshot(app)
    result = add_incremental(app)
    assert result.exit_code == 0, result.output
    assert f"dialect {dialect} (app/clients.py: SQLAlchemy URL" in result.output
    after = snapshot(app)
    assert set(after) - set(before) >= WRITTEN
    changed = {p for p in before if before[p] != after[p]}
    assert changed == {"app/activities.py", "app/workflows.py", "pyproject.toml"}

    table_sql = after["app/sql/extract_table_incremental.sql"].decode()
    assert "{marker_timestamp}" in table_sql
    for state in ("'CREATED'", "'UPDATED'", "'NO CHANGE'"):
        assert state in table_sql
    assert before["app/sql/extract_table.sql"].decode().split("\n", 1)[1].strip().rstrip(";") in table_sql
    assert "WHERE {table_id_filter}" in after["app/sql/extract_column_incremental.sql"].decode()
    activities = after["app/activities.py"].decode()
    assert "(IncrementalSQLMetadataExtractionActivities):" in activities
    assert "def build_incremental_column_sql(" in activities
    assert "BaseSQLMetadataExtractionActivities," not in activities
    assert "(IncrementalSQLMetadataExtractionWorkflow):" in after["app/workflows.py"].decode()
    assert "incremental," in after["pyproject.toml"].decode()

    git_commit(app, "incremental")
    again = add_incremental(app)
    assert again.exit_code == 0, again.output
    assert "nothing to do" in again.output
    assert snapshot(app) == after


def test_an_override_of_fetch_columns_defers_to_the_sdk_and_get_activities_gains_its_steps(tmp_path: Path) -> None:
    """The sample mysql app runs the column query in its own fetch_columns: on an incremental run the SDK's must."""
    app = copy_app("v2_sql_mysql", tmp_path / "mysql")
    assert add_incremental(app).exit_code == 0
    activities = (app / "app" / "activities.py").read_text()
    assert "if IncrementalWorkflowArgs.model_validate(workflow_args).is_incremental_ready():" in activities
    assert "return await super().fetch_columns(workflow_args)" in activities
    workflows = (app / "app" / "workflows.py").read_text()
    for step in ("fetch_incremental_marker", "read_current_state", "write_current_state", "update_incremental_marker"):
        assert f"activities.{step}," in workflows


def test_a_dry_run_shows_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    app = copy_app("v2_sql_mysql", tmp_path / "mysql")
    before = snapshot(app)
    result = add_incremental(app, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "+class SQLMetadataExtractionActivities(IncrementalSQLMetadataExtractionActivities):" in result.output
    assert snapshot(app) == before


def test_the_facts_of_a_sql_app(tmp_path: Path) -> None:
    assert describe_sql_app(copy_app("v2_tableau", tmp_path / "rest", git=False)) is None
    facts = describe_sql_app(copy_app("v2_sql_mysql", tmp_path / "mysql", git=False))
    assert facts is not None
    assert (facts.shape, facts.dialect) == ("v2", "mysql")
    assert facts.activities is not None and facts.activities.name == "SQLMetadataExtractionActivities"
    assert facts.activities.bases == ("BaseSQLMetadataExtractionActivities",)
    assert facts.workflow is not None and facts.workflow.path == "app/workflows.py"
    assert (facts.table_sql, facts.column_sql) == ("app/sql/extract_table.sql", "app/sql/extract_column.sql")
    assert "app/sql/extract_temp_table_regex_column.sql" in facts.sql_files
    assert facts.step_overrides == ("fetch_columns",)
    assert facts.workflow_run_override == 21  # its own run(), not super().run()
    assert not facts.already_incremental and facts.unknowns == ()


def test_without_a_sqlalchemy_url_the_dialect_is_asked_for_then_taken_from_the_option(tmp_path: Path) -> None:
    app = copy_app("v2_sql_postgres", tmp_path / "pg", git=False)
    client = app / "app" / "clients.py"
    client.write_text(client.read_text().replace('"postgresql+psycopg://', '"{scheme}://'))
    git_commit(app, "no url")
    assert "cannot tell the SQL dialect: no SQLAlchemy URL" in refused(app)
    result = add_incremental(app, "--dialect", "postgresql")
    assert result.exit_code == 0, result.output
    assert "pg_xact_commit_timestamp" in (app / "app/sql/extract_table_incremental.sql").read_text()


def test_a_workflow_with_its_own_run_gets_the_sdk_phases_around_its_steps(tmp_path: Path) -> None:
    """atlan-sample-apps connectors/mysql orchestrates in its own run() (Temporal wants run() on the class)."""
    app = copy_app("v2_sql_mysql", tmp_path / "mysql")
    assert add_incremental(app).exit_code == 0
    run = (app / "app" / "workflows.py").read_text().split("async def run(", 1)[1].split("@staticmethod", 1)[0]
    setup = run.index("workflow_args = await self.read_incremental_state(")
    assert run.index("activities_instance.get_workflow_args") < setup < run.index("preflight_check")
    assert run.rstrip().endswith("await self.complete_incremental_run(workflow_args, workflow_config)")


def test_a_run_that_returns_early_is_refused_naming_the_line(tmp_path: Path) -> None:
    app = copy_app("v2_sql_mysql", tmp_path / "mysql", git=False)
    workflows = app / "app" / "workflows.py"
    text = workflows.read_text()
    workflows.write_text(
        text.replace(
            "        retry_policy = RetryPolicy(\n",
            "        if not workflow_args:\n            return\n        retry_policy = RetryPolicy(\n",
            1,
        )
    )
    git_commit(app, "early return")
    output = refused(app)
    assert "app/workflows.py:19: SQLMetadataExtractionWorkflow.run() returns from more than its last line" in output


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("app/sql/extract_column.sql", "SELECT\n", "SELECT *, ", "app/sql/extract_column.sql: cannot read the columns"),
        (
            "app/sql/extract_column.sql",
            "TABLE_CATALOG table_catalog,",
            "",
            "app/sql/extract_column.sql: the query returns no catalog",
        ),
        ("app/activities.py", "(BaseSQLMetadataExtractionActivities)", "", "no class subclasses"),
    ],
)
def test_queries_or_classes_that_cannot_be_established_are_refused(
    file: str, old: str, new: str, message: str, tmp_path: Path
) -> None:
    app = copy_app("v2_sql_mysql", tmp_path / "mysql", git=False)
    path = app / file
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    git_commit(app, "broken")
    assert message in refused(app)


def test_a_v3_sql_app_is_refused_in_one_line_and_its_facts_are_read(tmp_path: Path) -> None:
    app = copy_app("v3_sql_app", tmp_path / "v3")
    output = refused(app)
    assert "app/app.py:19: MySQLApp (SqlApp): SDK 3.x has no incremental SQL seam but the deprecated" in output
    facts = sql_app_facts(load_project(app))
    assert (facts.shape, facts.dialect, facts.activities) == ("v3", "mysql", None)
    assert facts.app is not None and facts.app.bases == ("SqlApp",)


def test_a_rest_app_still_needs_entity(tmp_path: Path) -> None:
    app = copy_app("v2_tableau", tmp_path / "tableau")
    assert "this is a REST app: pass --entity E" in refused(app)


def test_rest_options_on_a_sql_app_are_refused(tmp_path: Path) -> None:
    app = copy_app("v2_sql_mysql", tmp_path / "mysql")
    output = refused(app, "--entity", "table", "--children", "column")
    assert "--entity, --children: REST options; this is a SQL app, whose incremental unit is the table" in output


def test_a_workflow_json_gains_the_sdk_run_input_toggles(tmp_path: Path) -> None:
    app = copy_app("v2_sql_postgres", tmp_path / "pg", git=False)
    # The layout of the SDK generic template's workflow.json (metadata step last).
    (app / "app" / "templates").mkdir()
    (app / "app" / "templates" / "workflow.json").write_text(
        json.dumps(
            {
                "id": "postgres",
                "config": {
                    "properties": {"include-filter": {"type": "object"}},
                    "steps": [
                        {"id": "credential", "properties": []},
                        {"id": "metadata", "properties": ["include-filter"]},
                    ],
                },
            },
            indent=2,
        )
        + "\n"
    )
    git_commit(app, "workflow.json")
    assert add_incremental(app).exit_code == 0
    config = json.loads((app / "app" / "templates" / "workflow.json").read_text())["config"]
    assert config["properties"]["incremental-extraction"]["default"] is False
    assert config["properties"]["column-batch-size"]["default"] == 25000
    assert config["steps"][1]["properties"] == [
        "include-filter",
        "incremental-extraction",
        "column-batch-size",
        "prepone-marker-hours",
    ]


def test_incremental_sql_written_by_hand_is_never_overwritten(tmp_path: Path) -> None:
    app = copy_app("v2_sql_mysql", tmp_path / "mysql", git=False)
    (app / "app" / "sql" / "extract_table_incremental.sql").write_text("SELECT 1 AS hand_written\n")
    git_commit(app, "by hand")
    output = refused(app)
    assert "app/sql/extract_table_incremental.sql: already there and not written by add-incremental" in output
