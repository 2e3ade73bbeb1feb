"""The plan of `scaffold add-incremental`: options -> preflight and detection -> Copier render + libcst codemods
-> ChangeSet, computed in memory; commands/add_incremental.py shows or applies it."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from connector_scaffold.changeset import ChangeSet
from connector_scaffold.codemods.incremental import add_methods, imports, workflow_json
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.spec import IDENTIFIER, format_validation_error
from connector_scaffold.targets.atlan.incremental import records
from connector_scaffold.targets.atlan.incremental.anchors import find_anchors, upstream_link
from connector_scaffold.targets.atlan.incremental.entities import (
    EntityPlan,
    Harness,
    IncrementalEntity,
    V2Harness,
    V3Harness,
)
from connector_scaffold.targets.atlan.incremental.patch import Snippets, patch_modules, run_input_class
from connector_scaffold.targets.atlan.incremental.sql.plan import SqlPlan, plan_sql
from connector_scaffold.targets.atlan.project import (
    AppProject,
    load_project,
    module_name,
    registered_activities,
    task_names,
)

ANSWERS_FILE = ".copier-answers.incremental.yml"
DEFAULT_MARKER_OFFSET_HOURS = 2.0
# A look-back longer than a year is a typo (or an attack on the generated code), never a setting.
MAX_MARKER_OFFSET_HOURS = 8760
# The one generated module the user edits: created once, later only extended (every other one is regenerated).
HOOKS = "app/extracts/incremental_hooks.py"
# The credential forms beside an SDK 3.x app's setup form (the SDK's own exclusion list, common/_generated_tree.py).
GENERATED_NON_FORM_PREFIXES = ("atlan-connectors-", "csa-connectors-", "artifact_schemas")
TIMESTAMP_CANDIDATES = ("updatedAt", "updated_at", "modifiedAt", "lastModifiedTime", "createdAt")
# What this command renders: never evidence about the app (a second entity must not pick up the first's field).
# IncrementalRequest fields that only the REST path reads.
REST_OPTIONS = (
    "entity",
    "children",
    "parent",
    "timestamp_field",
    "id_field",
    "list_step",
    "detail_steps",
    "parent_field",
    "records_path",
    "records_format",
    "persist_after",
    "entrypoint",
    "marker_offset_hours",
)
GENERATED_PREFIXES = ("app/extracts/incremental", "tests/unit/test_incremental_", "incremental-analysis/")


@dataclass(frozen=True)
class IncrementalRequest:
    entity: str = ""  # required for a REST app; a SQL app's incremental unit is the table, set by the SDK
    path: Path = Path(".")
    children: tuple[str, ...] = ()
    parent: str | None = None
    timestamp_field: str | None = None
    id_field: str | None = None
    list_step: str | None = None
    detail_steps: tuple[str, ...] = ()
    parent_field: str | None = None
    records_path: str | None = None
    records_format: str | None = None
    persist_after: str | None = None
    entrypoint: str | None = None
    marker_offset_hours: float | None = None
    dry_run: bool = False
    allow_dirty: bool = False
    dialect: str | None = None  # SQL apps: mysql, postgresql or snowflake, else read from the app's SQL client


@dataclass(frozen=True)
class Plan:
    project: AppProject
    entities: tuple[EntityPlan, ...]
    changes: ChangeSet
    notes: tuple[str, ...] = ()


def plan(request: IncrementalRequest) -> Plan | SqlPlan:
    """Every file the command would write, computed in memory, parsed and compiled; nothing is written."""
    for name in (request.entity, *request.children, request.parent or ""):
        if name and not IDENTIFIER.match(name):
            raise ScaffoldError(f"{name!r} is not an entity name (lowercase letters, digits, _)")
    root = request.path.resolve()
    project = load_project(root)
    if project.kind == "SQL":
        rest_only = [f"--{o.replace('_', '-')}" for o in REST_OPTIONS if getattr(request, o)]
        if rest_only:
            raise ScaffoldError(
                f"{', '.join(rest_only)}: REST options; this is a SQL app, whose incremental unit is the table"
            )
        return plan_sql(project, request.dialect)
    if not request.entity:
        raise ScaffoldError(
            "this is a REST app: pass --entity E (the entity whose detail extraction becomes incremental)"
        )
    if request.dialect:
        raise ScaffoldError("--dialect is for SQL apps; this is a REST app")
    notes: list[str] = []
    previous = _previous_answers(root)
    entities = _merge_entities(root, previous, request, notes)
    persist_after = request.persist_after or previous.get("persist_after") or None
    project.entrypoint = request.entrypoint or previous.get("entrypoint") or ""
    if not project.entrypoint and project.shape == "v3" and project.app and project.app.method("run") is None:
        project.entrypoint = _pick_entrypoint(project, entities, persist_after)
    plans = [_entity_plan(project, e, persist_after) for e in entities]
    offset = _marker_offset(request.marker_offset_hours, previous)
    from connector_scaffold.formatting import format_like
    from connector_scaffold.render import render_template

    answers = {
        "connector": project.name,
        "sdk_major": project.sdk_major,
        "shape": project.shape,
        "connector_type": project.kind,
        "evidence": project.evidence,
        "harness": asdict(_harness(project, plans)),
        "marker_offset_hours": offset,
        "entities": [p.answers() for p in plans],
        "persist_after": persist_after or "",
        "entrypoint": project.entrypoint,
    }
    rendered = render_template("incremental", answers, ruff_format=False)
    patched = patch_modules(project, plans, Snippets(rendered))
    files = {p: d for p, d in rendered.items() if not p.startswith("_scaffold_snippets/")}
    if (root / HOOKS).is_file():
        extended = _extend_hooks(root / HOOKS, files.pop(HOOKS))
        if extended is not None:
            files[HOOKS] = extended
    files.update({path: module.code.encode("utf-8") for path, module in patched.items()})
    workflow_json = _workflow_json(root)
    if workflow_json is None:
        notes.append(
            "no setup form (app/templates/workflow.json, app/frontend/workflow.json or one in app/generated/):"
            " add the UI toggles by hand"
        )
    else:
        files[workflow_json] = _add_toggles(root / workflow_json, workflow_json, offset)
    from connector_scaffold.targets.atlan.analysis.output import refreshed_documents

    formatted = format_like(root, files)
    # The playbook's documents describe the app as patched: refreshed from the bytes about to be written.
    generated = {p for p in rendered if not p.startswith("_scaffold_snippets/")}
    touched = {*patched, *([workflow_json] if workflow_json else [])}
    formatted.update(refreshed_documents(root, formatted, generated, touched))
    changes = ChangeSet(root)
    for path, data in sorted(formatted.items()):
        changes.put(path, data)
    changes.validate()
    return Plan(project, tuple(plans), changes, tuple(notes))


def _pick_entrypoint(project: AppProject, entities: list[IncrementalEntity], persist_after: str | None) -> str:
    """Of several @entrypoints, the one whose steps are all found for every entity; "" leaves the choice (and
    its error) to the orchestrator."""
    candidates = project.entrypoints()
    if len(candidates) < 2:
        return ""
    fitting = []
    for name in candidates:
        project.entrypoint = name
        try:
            for e in entities:
                find_anchors(project, e.name, list(e.children), e.list_step, list(e.detail_steps), persist_after)
        except ScaffoldError:
            continue
        fitting.append(name)
    project.entrypoint = ""
    if len(fitting) != 1:
        app = project.app
        where = f"{app.path}:{app.line}: " if app else ""
        found = ", ".join(fitting or candidates)
        raise ScaffoldError(
            f"{where}{len(fitting) or 'none'} of the @entrypoints ({', '.join(candidates)}) call the steps of "
            f"{', '.join(e.name for e in entities)}; pass --entrypoint NAME ({found})"
        )
    return fitting[0]


def _entity_plan(project: AppProject, entity: IncrementalEntity, persist_after: str | None = None) -> EntityPlan:
    """The entity's anchors in this app, and the upstream link of its detail step when it has one."""
    anchors = find_anchors(
        project, entity.name, list(entity.children), entity.list_step, list(entity.detail_steps), persist_after
    )
    links = [upstream_link(project, anchors.list_step, step) for step in anchors.detail_steps]
    # The detail step loops over its list step's output file outside its body: it gets a file of the changed.
    link = links[0] if len(links) == 1 else None
    if link is not None:
        return EntityPlan(entity, anchors, link)
    return EntityPlan(entity, anchors, None, **records.entity_records(project, entity, anchors))


def _extend_hooks(path: Path, rendered: bytes) -> bytes | None:
    """The app's hooks module plus the hooks of new entities (and their imports), or None when it has them all:
    then the file is not touched at all, not even reformatted."""
    import libcst as cst

    from connector_scaffold.codemods.nesting import NestedTooDeeply, check_depth

    data = path.read_bytes()
    try:
        check_depth(data)
        existing = cst.parse_module(data)
    except cst.ParserSyntaxError as error:
        raise ScaffoldError(f"{HOOKS}:{error.raw_line}: does not parse: {error.message}") from None
    except NestedTooDeeply as error:
        raise ScaffoldError(f"{HOOKS}:{error.line}: {error}") from None
    fresh = cst.parse_module(rendered)
    extended = add_methods.add_functions(existing, fresh)
    if extended is existing:
        return None
    extended = imports.ensure_imports(extended, fresh)
    return extended.code.encode("utf-8")


def _add_toggles(path: Path, relative: str, marker_offset_hours: float) -> bytes:
    try:
        text = path.read_text(encoding="utf-8")
        updated = workflow_json.add_toggles(text, marker_offset_hours)
        json.loads(updated)
    except ValueError as error:  # json.JSONDecodeError is a ValueError
        raise ScaffoldError(f"{relative}: cannot add the incremental toggles: {error}") from None
    return updated.encode("utf-8")


def _harness(project: AppProject, plans: list[EntityPlan]) -> Harness:
    """What the generated scenario tests need to run the app's orchestration with its own steps doubled."""
    incremental = {"read_marker", "persist_incremental_state"}
    for name in (p.name for p in plans):
        incremental |= {f"read_previous_{name}_list", f"detect_updated_{name}", f"backfill_unchanged_{name}"}
    first = plans[0].anchors
    if project.shape == "v2" and project.workflow is not None and project.activities is not None:
        steps = registered_activities(project.workflow)
        return V2Harness(
            workflow_module=module_name(project.workflow.path),
            workflow_class=project.workflow.name,
            activities_module=module_name(project.activities.path),
            activities_class=project.activities.name,
            app_steps=tuple(sorted(s for s in steps if s not in incremental)),
            args_step=first.args_step,
            upload_step=first.upload_step,
        )
    if project.app is None:
        raise RuntimeError("a v3 project always has its App class")
    run_input = run_input_class(project)
    return V3Harness(
        app_module=module_name(project.app.path),
        app_class=project.app.name,
        run_input_module=module_name(run_input.path),
        run_input_class=run_input.name,
        app_steps=tuple(sorted(s for s in task_names(project.app.node) if s not in incremental)),
        upload_step=first.upload_step,
    )


def _previous_answers(root: Path) -> dict[str, Any]:
    answers = root / ANSWERS_FILE
    if not answers.is_file():
        return {}
    try:
        data = yaml.safe_load(answers.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ScaffoldError(f"{ANSWERS_FILE}: not YAML ({error}); restore it from git or delete it") from None
    return data if isinstance(data, dict) else {}


def _merge_entities(
    root: Path, previous: dict[str, Any], request: IncrementalRequest, notes: list[str]
) -> list[IncrementalEntity]:
    """Entities already made incremental (from the answers file) plus this one, sorted by name.

    Re-running for an entity keeps the settings it had unless an option says otherwise.
    """
    entities = _stored_entities(previous)
    before = next((e for e in entities if e.name == request.entity), None)
    timestamp = request.timestamp_field or (before.timestamp_field if before else None)
    if timestamp is None:
        timestamp = _default_timestamp(root)
        if timestamp is None:
            timestamp = "updatedAt"
            notes.append(
                f"none of {', '.join(TIMESTAMP_CANDIDATES)} appears in app/ or tests/: {request.entity} uses "
                "updatedAt, and a record without it always counts as changed; pass --timestamp-field FIELD"
            )
    try:
        entity = _requested_entity(request, before, timestamp, root)
    except ValidationError as error:
        raise ScaffoldError(f"--entity {request.entity}: {format_validation_error(error)}") from None
    kept = [e for e in entities if e.name != request.entity]
    return sorted([*kept, entity], key=lambda e: e.name)


def _requested_entity(
    request: IncrementalRequest, before: IncrementalEntity | None, timestamp: str, root: Path
) -> IncrementalEntity:
    return IncrementalEntity(
        name=request.entity,
        id_field=request.id_field or (before.id_field if before else "") or _default_id(root),
        timestamp_field=timestamp,
        children=request.children or (before.children if before else ()),
        parent=request.parent if request.parent is not None else (before.parent if before else ""),
        list_step=request.list_step or (before.list_step if before else None),
        detail_steps=request.detail_steps or (before.detail_steps if before else ()),
        parent_field=request.parent_field or (before.parent_field if before else ""),
        records_path=request.records_path or (before.records_path if before else ""),
        records_format=request.records_format or (before.records_format if before else ""),
    )


def _marker_offset(option: float | None, previous: dict[str, Any]) -> float:
    """--marker-offset-hours, else the answers file's, else the default: a finite number of hours up to a year."""
    where = "--marker-offset-hours" if option is not None else f"{ANSWERS_FILE}: marker_offset_hours"
    value: object = option if option is not None else previous.get("marker_offset_hours", DEFAULT_MARKER_OFFSET_HOURS)
    try:
        hours = float(value) if not isinstance(value, bool) else math.nan  # type: ignore[arg-type]
    except (TypeError, ValueError):
        hours = math.nan
    if not (math.isfinite(hours) and 0 <= hours <= MAX_MARKER_OFFSET_HOURS):
        raise ScaffoldError(f"{where}: {value!r} is not a number of hours from 0 to {MAX_MARKER_OFFSET_HOURS}")
    return hours


def _stored_entities(previous: dict[str, Any]) -> list[IncrementalEntity]:
    """The entities of an earlier run's answers file (an entry without a name is skipped, as it always was)."""
    entities: list[IncrementalEntity] = []
    for index, raw in enumerate(previous.get("entities") or []):
        if not (isinstance(raw, dict) and raw.get("name")):
            continue
        try:
            entities.append(IncrementalEntity.model_validate(raw))
        except ValidationError as error:
            problem = format_validation_error(error)
            raise ScaffoldError(
                f"{ANSWERS_FILE}: entities.{index}.{problem}; restore it from git or delete it"
            ) from None
    return entities


def _default_id(root: Path) -> str:
    """`id`, or `guid` for an app whose code and fixtures key records by guid and never by id."""
    # Code only: a UI config's "id" key says nothing about the records.
    texts = _texts(root, (".py",))
    said = {f for f in ("id", "guid") if any(f'"{f}"' in t or f"'{f}'" in t for t in texts)}
    return "guid" if said == {"guid"} else "id"


def _texts(root: Path, suffixes: tuple[str, ...] = (".py", ".json", ".yaml", ".yml")) -> list[str]:
    return [
        p.read_text(encoding="utf-8", errors="replace")
        for folder in ("app", "tests")
        for p in sorted((root / folder).rglob("*"))
        if p.suffix in suffixes and p.is_file() and not p.relative_to(root).as_posix().startswith(GENERATED_PREFIXES)
    ]


def _default_timestamp(root: Path) -> str | None:
    """The first candidate field the app's code or fixtures mention (not counting what this command wrote)."""
    texts = _texts(root)
    for candidate in TIMESTAMP_CANDIDATES:
        if any(f'"{candidate}"' in text or f"'{candidate}'" in text for text in texts):
            return candidate
    return None


def _workflow_json(root: Path) -> str | None:
    """The app's setup form: SDK 2.x places, else the one form in SDK 3.x's app/generated/."""
    for candidate in ("app/templates/workflow.json", "app/frontend/workflow.json"):
        if (root / candidate).is_file():
            return candidate
    forms = sorted(
        path
        for path in (root / "app" / "generated").glob("*.json")
        if path.stem != "manifest" and not path.stem.startswith(GENERATED_NON_FORM_PREFIXES)
    )
    return forms[0].relative_to(root).as_posix() if len(forms) == 1 else None
