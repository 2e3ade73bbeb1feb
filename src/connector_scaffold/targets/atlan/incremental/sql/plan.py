"""The SQL path of `scaffold add-incremental` (SDK 2.x): the app's own table and column queries wrapped into
app/sql/extract_{table,column}_incremental.sql, its classes switched to the SDK's incremental SQL classes (libcst),
build_incremental_column_sql() added, the overrides that would undo an incremental run made to defer to the SDK,
the `[incremental]` extra, the UI toggles and the generated tests. Computed in memory; nothing is written here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import libcst as cst

from connector_scaffold.changeset import ChangeSet
from connector_scaffold.codemods.cst_helpers import find_class
from connector_scaffold.codemods.errors import NotFound
from connector_scaffold.codemods.incremental import (
    add_methods,
    guard_override,
    imports,
    register_activities,
    sql_run,
    switch_base,
    workflow_json,
)
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.targets.atlan.incremental.sql import facts as f
from connector_scaffold.targets.atlan.incremental.sql.dialects import DialectName, dialect
from connector_scaffold.targets.atlan.incremental.sql.pyproject import incremental_requirement, with_incremental_extra
from connector_scaffold.targets.atlan.incremental.sql.queries import AppQuery, read_query
from connector_scaffold.targets.atlan.project import SDK_PACKAGE, AppProject, module_name

ANSWERS_FILE = ".copier-answers.incremental-sql.yml"
TEMP_REGEX_COLUMN_SQL = "extract_temp_table_regex_column.sql"
# The activities IncrementalSQLMetadataExtractionWorkflow.get_activities() adds to the base workflow's (SDK 2.5.0).
INCREMENTAL_ACTIVITIES = [
    "fetch_incremental_marker",
    "read_current_state",
    "prepare_column_extraction_queries",
    "execute_single_column_batch",
    "write_current_state",
    "update_incremental_marker",
    "save_workflow_state",
]
# The SDK's run input keys (IncrementalWorkflowArgs.metadata aliases), as workflow.json UI toggles.
TOGGLES: dict[str, dict[str, Any]] = {
    "incremental-extraction": {
        "type": "boolean",
        "default": False,
        "ui": {"widget": "boolean", "label": "Incremental extraction", "help": "Re-extract columns of changed tables"},
    },
    "column-batch-size": {
        "type": "number",
        "default": 25000,
        "ui": {"widget": "inputNumber", "label": "Column batch size", "help": "Tables per column query"},
    },
    "prepone-marker-hours": {
        "type": "number",
        "default": 3,
        "ui": {"widget": "inputNumber", "label": "Marker offset (hours)", "help": "Look back this far for changes"},
    },
}


@dataclass(frozen=True)
class SqlPlan:
    project: AppProject
    facts: f.SqlAppFacts
    dialect: DialectName
    changes: ChangeSet
    notes: tuple[str, ...] = ()


def plan_sql(project: AppProject, dialect_option: str | None) -> SqlPlan:
    """Every file the SQL path writes, validated in memory; ScaffoldError (one line) when the app does not fit."""
    facts = f.sql_app_facts(project)
    name = _refuse_or_dialect(project, facts, dialect_option)
    if facts.activities is None or facts.workflow is None or facts.table_sql is None or facts.column_sql is None:
        raise RuntimeError("_refuse_or_dialect() refuses an app without its classes or queries")
    chosen = dialect(name)
    root = project.root
    table = _query(root, facts.table_sql, name, need_catalog=False)
    column = _query(root, facts.column_sql, name, need_catalog=True)
    id_columns = [c for c in (column.catalog, column.schema, column.table) if c]
    temp_regex = TEMP_REGEX_COLUMN_SQL if f"{f.SQL_DIR}/{TEMP_REGEX_COLUMN_SQL}" in facts.sql_files else ""
    answers = {
        "connector": project.name,
        "sdk_major": project.sdk_major,
        "shape": project.shape,
        "dialect": name,
        "dialect_evidence": f"--dialect {dialect_option}" if dialect_option else facts.dialect_evidence,
        # As a second run reads the app: the requirement with its [incremental] extra.
        "evidence": [
            f"pyproject.toml declares {incremental_requirement(project.sdk_requirement)}",
            *project.evidence[1:],
        ],
        "table_query": _answer(table),
        "column_query": _answer(column),
        "table_id_sql": chosen.concat([f"app_columns.{c}" for c in id_columns]),
        "activities": {"module": module_name(facts.activities.path), "class": facts.activities.name},
        "workflow": {"module": module_name(facts.workflow.path), "class": facts.workflow.name},
        "temp_regex_column_sql": temp_regex,
        "backslash_escapes": chosen.backslash_escapes,
    }
    from connector_scaffold.formatting import format_like
    from connector_scaffold.render import render_template

    rendered = render_template("incremental-sql", answers, ruff_format=False)
    snippets = (
        cst.parse_module(rendered.pop("_scaffold_snippets/v2_activities.py")),
        cst.parse_module(rendered.pop("_scaffold_snippets/v2_workflow.py")),
    )
    files: dict[str, bytes] = {p: d for p, d in rendered.items() if not p.startswith("_scaffold_snippets/")}
    for path, module in _patch(project, facts, *snippets).items():
        files[path] = module.code.encode("utf-8")
    pyproject = root / "pyproject.toml"
    files["pyproject.toml"] = with_incremental_extra(pyproject.read_text(encoding="utf-8")).encode("utf-8")
    notes: list[str] = []
    workflow_file = next(
        (p for p in ("app/templates/workflow.json", "app/frontend/workflow.json") if (root / p).is_file()), None
    )
    if workflow_file is None:
        notes.append(
            "no app/templates/workflow.json or app/frontend/workflow.json: the run input keys incremental-extraction, "
            "column-batch-size and prepone-marker-hours come from the configmap (incremental-analysis/)"
        )
    else:
        files[workflow_file] = _toggles(root / workflow_file, workflow_file)
    changes = ChangeSet(root)
    for path, data in sorted(format_like(root, files).items()):
        changes.put(path, data)
    changes.validate()
    return SqlPlan(project, facts, name, changes, tuple(notes))


def _refuse_or_dialect(project: AppProject, facts: f.SqlAppFacts, option: str | None) -> DialectName:
    """The one-line refusals of the SQL path, in the order a user fixes them; the dialect when none applies."""
    if project.shape != "v2":
        app = facts.app
        where = f"{app.path}:{app.line}: {app.name} ({', '.join(app.bases)})" if app else "app/"
        raise ScaffoldError(
            f"{where}: SDK {project.sdk_major}.x has no incremental SQL seam but the deprecated "
            "IncrementalSqlMetadataExtractor (removed in v4); add-incremental's SQL path covers SDK 2.x only"
        )
    for ref, what in ((facts.activities, f.V2_ACTIVITIES), (facts.workflow, f.V2_WORKFLOW)):
        if ref is None:
            more = next((u for u in facts.unknowns if u.startswith("more than one")), None)
            raise ScaffoldError(f"app/: {more or f'no class subclasses {what[0]} (or {what[1]})'}")
    for path, wanted in ((facts.table_sql, f.TABLE_SQL), (facts.column_sql, f.COLUMN_SQL)):
        if path is None:
            raise ScaffoldError(
                f"{wanted}: not found; the incremental queries are derived from the app's own table and column SQL"
            )
    if not (project.root / ANSWERS_FILE).is_file():
        by_hand = [p for p in (f.INCREMENTAL_TABLE_SQL, f.INCREMENTAL_COLUMN_SQL) if p in facts.sql_files]
        info = project.find_class(facts.activities.name) if facts.activities else None
        if info is not None and info.method("build_incremental_column_sql") is not None:
            by_hand.append(
                f"{info.path}:{info.method_line('build_incremental_column_sql')} build_incremental_column_sql()"
            )
        if by_hand:
            raise ScaffoldError(
                f"{by_hand[0]}: already there and not written by add-incremental (no {ANSWERS_FILE}); the app was made "
                "incremental by hand, and its own incremental SQL is never overwritten"
            )
    name = option or facts.dialect
    if name is None:
        raise ScaffoldError(f"app/: cannot tell the SQL dialect: {facts.dialect_evidence}")
    return name  # type: ignore[return-value]  # click's Choice and the facts only give DialectName values


def _query(root: Path, relative: str, name: DialectName, need_catalog: bool) -> AppQuery:
    text = (root / relative).read_text(encoding="utf-8")
    return read_query(relative, text, dialect(name), need_catalog)


def _answer(query: AppQuery) -> dict[str, str]:
    return {
        "path": query.path,
        "body": query.body,
        "catalog": query.catalog or "",
        "schema": query.schema,
        "table": query.table,
    }


def _patch(
    project: AppProject, facts: f.SqlAppFacts, activities_snippet: cst.Module, workflow_snippet: cst.Module
) -> dict[str, cst.Module]:
    """The activities and workflow modules with their classes switched (one module may hold both)."""
    activities, workflow = facts.activities, facts.workflow
    if activities is None or workflow is None:
        raise RuntimeError("plan_sql() checks both classes first")
    modules: dict[str, cst.Module] = {}
    where = activities
    try:
        module = project.modules[activities.path]
        module = switch_base.switch_base(module, activities.name, *f.V2_ACTIVITIES, f.V2_ACTIVITIES_MODULE)
        module = add_methods.add_methods(module, activities.name, _snippet_class(activities_snippet))
        module = imports.ensure_imports(module, activities_snippet)
        for step in facts.step_overrides:
            module = guard_override.defer_when_incremental(module, activities.name, step)
        modules[activities.path] = module
        where = workflow
        module = modules.get(workflow.path, project.modules[workflow.path])
        module = switch_base.switch_base(module, workflow.name, *f.V2_WORKFLOW, f.V2_WORKFLOW_MODULE)
        module = sql_run.incremental_run(module, workflow.name, _snippet_class(workflow_snippet))
        module = imports.ensure_imports(module, workflow_snippet)
        info = project.find_class(workflow.name)
        if info is not None and info.method("get_activities") is not None:
            module = register_activities.register_activities(module, workflow.name, INCREMENTAL_ACTIVITIES)
        modules[workflow.path] = module
    except NotFound as error:
        raise ScaffoldError(f"{where.path}:{where.line}: {error}") from None
    return {p: m for p, m in modules.items() if m.code != project.modules[p].code}


def _snippet_class(snippet: cst.Module) -> cst.ClassDef:
    found = find_class(snippet, "Snippet")
    if found is None:
        raise RuntimeError("the SQL snippet templates define class Snippet")
    return found


def _toggles(path: Path, relative: str) -> bytes:
    try:
        text = path.read_text(encoding="utf-8")
        updated = workflow_json.add_toggles(text, 0, TOGGLES)
        json.loads(updated)
    except ValueError as error:
        raise ScaffoldError(f"{relative}: cannot add the incremental toggles: {error}") from None
    return updated.encode("utf-8")


__all__ = ["ANSWERS_FILE", "SDK_PACKAGE", "SqlPlan", "plan_sql"]
