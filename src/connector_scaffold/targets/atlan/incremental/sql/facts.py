"""What a SQL metadata app is made of, read statically: its SDK classes, SQL files, dialect and the overrides that
decide whether the SDK's incremental SQL classes can take over.

`sql_app_facts()` never raises for what it cannot establish: the field is None (or empty) and `unknowns` says why,
so `scaffold analyze` can report it; `plan` refuses on the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from connector_scaffold.codemods.cst_helpers import base_names, find_all, string_value
from connector_scaffold.codemods.incremental.sql_run import calls_super_run
from connector_scaffold.targets.atlan.incremental.sql.dialects import DialectName, dialect_from_url
from connector_scaffold.targets.atlan.project import AppProject, ClassInfo, load_project

SQL_DIR = "app/sql"
TABLE_SQL = f"{SQL_DIR}/extract_table.sql"
COLUMN_SQL = f"{SQL_DIR}/extract_column.sql"
INCREMENTAL_TABLE_SQL = f"{SQL_DIR}/extract_table_incremental.sql"
INCREMENTAL_COLUMN_SQL = f"{SQL_DIR}/extract_column_incremental.sql"

# SDK 2.x (2.4.1+): the base classes and the incremental ones that replace them, with their modules.
V2_ACTIVITIES = ("BaseSQLMetadataExtractionActivities", "IncrementalSQLMetadataExtractionActivities")
V2_WORKFLOW = ("BaseSQLMetadataExtractionWorkflow", "IncrementalSQLMetadataExtractionWorkflow")
V2_ACTIVITIES_MODULE = "application_sdk.activities.metadata_extraction.incremental"
V2_WORKFLOW_MODULE = "application_sdk.workflows.metadata_extraction.incremental_sql"
# SDK 3.x templates: SqlApp is the one not deprecated; the other two are removed in v4.
V3_BASES = ("SqlApp", "SqlMetadataExtractor", "IncrementalSqlMetadataExtractor")
# Activities the app may override; the SDK's incremental versions switch SQL or skip, so an override must defer.
GUARDED_STEPS = ("fetch_tables", "fetch_columns")


@dataclass(frozen=True)
class ClassRef:
    path: str
    line: int
    name: str
    bases: tuple[str, ...]


@dataclass(frozen=True)
class SqlAppFacts:
    """One SQL app as the SQL path sees it. Paths are relative to the app root; lines are 1-based."""

    shape: str  # "v2" or "v3"
    sdk_requirement: str
    activities: ClassRef | None = None  # v2
    workflow: ClassRef | None = None  # v2
    app: ClassRef | None = None  # v3
    sql_files: tuple[str, ...] = ()
    table_sql: str | None = None
    column_sql: str | None = None
    dialect: DialectName | None = None
    dialect_evidence: str = ""
    # Line of the workflow's run() when it orchestrates itself (no super().run()): it gets the SDK's phases added.
    workflow_run_override: int | None = None
    step_overrides: tuple[str, ...] = ()  # GUARDED_STEPS the activities class defines itself
    already_incremental: bool = False
    unknowns: tuple[str, ...] = field(default_factory=tuple)


def describe_sql_app(root: Path) -> SqlAppFacts | None:
    """The facts of the app at root, or None for a REST app; ScaffoldError (one line) when it is no Atlan app."""
    project = load_project(root.resolve())
    return sql_app_facts(project) if project.kind == "SQL" else None


def sql_app_facts(project: AppProject) -> SqlAppFacts:
    """The facts of a project load_project() classified as SQL (or any project: the fields stay empty)."""
    unknowns: list[str] = []
    sql_files = tuple(
        sorted(p.relative_to(project.root).as_posix() for p in (project.root / SQL_DIR).rglob("*.sql"))
        if (project.root / SQL_DIR).is_dir()
        else ()
    )
    activities = _one(project, V2_ACTIVITIES, unknowns, "SQL activities class")
    workflow = _one(project, V2_WORKFLOW, unknowns, "SQL workflow class")
    app = _one(project, V3_BASES, unknowns, "SqlApp class")
    table_sql = TABLE_SQL if TABLE_SQL in sql_files else None
    column_sql = COLUMN_SQL if COLUMN_SQL in sql_files else None
    for path, what in ((table_sql, TABLE_SQL), (column_sql, COLUMN_SQL)):
        if path is None:
            unknowns.append(f"no {what}")
    dialect, evidence = _dialect(project)
    if dialect is None:
        unknowns.append(evidence)
    run_line = None
    steps: tuple[str, ...] = ()
    if workflow is not None:
        info = project.find_class(workflow.name)
        run = info.method("run") if info is not None else None
        if info is not None and run is not None and not calls_super_run(run):
            run_line = info.method_line("run")
    if activities is not None:
        info = project.find_class(activities.name)
        steps = tuple(s for s in GUARDED_STEPS if info is not None and info.method(s) is not None)
    incremental = {V2_ACTIVITIES[1], V2_WORKFLOW[1], "IncrementalSqlMetadataExtractor"}
    bases = {b for c in (activities, workflow, app) if c is not None for b in c.bases}
    return SqlAppFacts(
        shape=project.shape,
        sdk_requirement=project.sdk_requirement,
        activities=activities,
        workflow=workflow,
        app=app,
        sql_files=sql_files,
        table_sql=table_sql,
        column_sql=column_sql,
        dialect=dialect,
        dialect_evidence=evidence,
        workflow_run_override=run_line,
        step_overrides=steps,
        already_incremental=bool(bases & incremental) and INCREMENTAL_TABLE_SQL in sql_files,
        unknowns=tuple(unknowns),
    )


def _one(project: AppProject, bases: tuple[str, ...], unknowns: list[str], what: str) -> ClassRef | None:
    found = [c for c in project.classes if base_names(c.node) & set(bases)]
    if len(found) > 1:
        unknowns.append(f"more than one {what}: {', '.join(f'{c.path} {c.name}' for c in found)}")
        return None
    return _ref(found[0]) if found else None


def _ref(info: ClassInfo) -> ClassRef:
    return ClassRef(info.path, info.line, info.name, tuple(sorted(base_names(info.node))))


def _dialect(project: AppProject) -> tuple[DialectName | None, str]:
    """The dialect the app's SQLAlchemy URLs name (client templates, connection strings), with where it was seen."""
    seen: dict[DialectName, str] = {}
    for path, module in sorted(project.modules.items()):
        for node in find_all(module, cst.SimpleString):
            text = string_value(node)
            name = dialect_from_url(text) if text else None
            if name is not None and name not in seen:
                scheme = (text or "").split("://", 1)[0]
                seen[name] = f"{path}: SQLAlchemy URL {scheme}://"
    if len(seen) == 1:
        ((name, where),) = seen.items()
        return name, where
    if not seen:
        return None, "no SQLAlchemy URL (mysql+..., postgresql+..., snowflake://) in app/: pass --dialect"
    return None, f"SQLAlchemy URLs of several dialects ({', '.join(sorted(seen.values()))}): pass --dialect"
