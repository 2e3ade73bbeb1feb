"""analyze(root) -> Analysis: load the app, find its orchestration, entities, API or query map and timestamps,
then judge the rules and choose the change detection. Read-only; the same tree gives the same facts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from connector_scaffold.codemods.cst_helpers import base_names
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.targets.atlan.analysis import api, entities, sql, workflow
from connector_scaffold.targets.atlan.analysis.code_index import CodeIndex
from connector_scaffold.targets.atlan.analysis.detection import choose
from connector_scaffold.targets.atlan.analysis.model import Analysis, ApiCall, AppInfo, Entity, Link, Query, Step
from connector_scaffold.targets.atlan.analysis.rules import Context, judge
from connector_scaffold.targets.atlan.analysis.sources import Sources, load_sources
from connector_scaffold.targets.atlan.analysis.timestamps import code_timestamps, entity_of
from connector_scaffold.targets.atlan.project import SQL_BASES, app_name, sdk_requirement

ANSWERS_FILE = ".copier-answers.incremental.yml"
DEFAULT_MARKER_OFFSET_HOURS = 2.0  # add-incremental's default
# What add-incremental generates: never evidence about the source's own fields.
GENERATED = ("app/extracts/incremental", "tests/unit/test_incremental_", "incremental-analysis/")
FILTER = re.compile(r"\b((?:include|exclude)_\w+|\w*metadata_filter\w*|normalized_(?:include|exclude)_regex)\b")


def analyze(root: Path, overlay: Mapping[str, bytes] | None = None, changes: tuple[str, ...] = ()) -> Analysis:
    root = root.resolve()
    if not root.is_dir():
        raise ScaffoldError(f"{root}: no such folder; pass --path APP")
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        raise ScaffoldError(f"{root}: no pyproject.toml; this is not an Atlan app (pass --path APP)")
    requirement, version = sdk_requirement(pyproject)
    sources = load_sources(root, overlay)
    index = CodeIndex.build(sources)
    kind, kind_at = _kind(sources)
    orchestration = workflow.orchestration(index, kind, version[0] if version else 0)
    steps = list(orchestration.steps)
    found = {
        s.name: entities.mentions(index, orchestration.step_functions[s.name])
        for s in steps
        if s.name in orchestration.step_functions and s.role in ("extract", "other")
    }
    queries, sql_stamps, links = sql.queries(sources.texts) if kind == "SQL" else ([], [], [])
    if kind == "SQL":
        steps, entity_list = _sql_entities(steps, queries)
        evidence = {e.name: list(e.evidence) for e in entity_list}
    else:
        steps, links, evidence = entities.assign(steps, found)
        entity_list = []
    calls = api.calls(index, orchestration.step_functions, [s.name for s in steps]) if kind == "REST" else []
    steps = [_cost_role(s, calls) for s in steps]
    calls = [replace(c, per_item_of=entity_of(list(c.loop_names), set(evidence))) for c in calls]
    if kind == "REST":
        entity_list = [_rest_entity(name, steps, calls, where) for name, where in sorted(evidence.items())]
    entity_list = _plans(entity_list, links, steps, calls)
    names = {e.name for e in entity_list}
    function_entities: dict[int, set[str]] = {}
    for step in steps:
        function = orchestration.step_functions.get(step.name)
        if function is not None and step.writes:
            for reached in index.reached_functions(function):
                function_entities.setdefault(id(reached.node), set()).update(step.writes)
    detail_functions = {
        id(reached.site.function.node)
        for function in orchestration.step_functions.values()
        for reached in index.reach(function)
        if reached.loop and api.http_method(reached.site.call)
    }
    stamps = code_timestamps(index, names, function_entities, GENERATED, detail_functions) + sql_stamps
    stamps = sorted(set(stamps), key=lambda t: (t.entity, t.field, _key(t.where)))
    dialect, dialect_at = sql.dialect(sources.texts) if kind == "SQL" else ("", "")
    answers = _answers(root, overlay)
    tests = tuple(p for p in sources.texts if p.startswith("tests/") and p.rsplit("/", 1)[-1].startswith("test_"))
    holder = next(iter(orchestration.step_functions.values()), None)
    holder_at = _class_where(sources, holder.path, holder.owner) if holder is not None else _base_holder(sources)
    context = Context(
        kind=kind,
        shape=orchestration.shape,
        sdk_requirement_at=_requirement_line(pyproject, requirement),
        sdk_version=version,
        holder_at=holder_at,
        kind_evidence=kind_at or holder_at,
        tests=tests,
        dialect=dialect,
        dialect_at=dialect_at,
        steps=tuple(steps),
        entities=tuple(entity_list),
        links=tuple(links),
        calls=tuple(calls),
        timestamps=tuple(stamps),
        sql_sources={q.entity: f"{q.file}:{q.sources[0].rsplit('@', 1)[1]}" for q in queries if q.entity and q.sources},
        incremental_flag=_flag(sources),
    )
    offset = float(answers.get("marker_offset_hours", DEFAULT_MARKER_OFFSET_HOURS))
    info = AppInfo(
        name=app_name(pyproject),
        kind=kind,
        shape=orchestration.shape,
        sdk_requirement=requirement,
        sdk_version=".".join(map(str, version)),
        dialect=dialect,
        dialect_evidence=dialect_at,
        orchestrators=orchestration.orchestrators,
        incremental_entities=tuple(
            sorted(str(e.get("name")) for e in answers.get("entities") or [] if isinstance(e, dict) and e.get("name"))
        ),
        marker_offset_hours=offset,
    )
    return Analysis(
        app=info,
        entities=tuple(entity_list),
        links=tuple(sorted(set(links), key=lambda k: (k.parent, k.child))),
        steps=tuple(steps),
        calls=tuple(calls),
        queries=tuple(queries),
        timestamps=tuple(stamps),
        rules=tuple(judge(context)),
        detection=tuple(choose(context, answers, offset)),
        filters=_filters(sources),
        tests=tests,
        notes=orchestration.notes,
        changes=changes,
    )


def _key(where: str) -> tuple[str, int]:
    path, _, line = where.rpartition(":")
    return path, int(line) if line.isdigit() else 0


def _kind(sources: Sources) -> tuple[str, str]:
    for path, module in sources.modules.items():
        for statement in module.body:
            import libcst as cst

            if isinstance(statement, cst.ClassDef) and base_names(statement) & set(SQL_BASES):
                return "SQL", sources.where(path, statement)
    return "REST", ""


def _class_where(sources: Sources, path: str, name: str) -> str:
    import libcst as cst

    for statement in sources.modules[path].body:
        if isinstance(statement, cst.ClassDef) and statement.name.value == name:
            return sources.where(path, statement)
    return f"{path}:1"


def _base_holder(sources: Sources) -> str:
    """A class that inherits every step (a SQL activities class with no method of its own)."""
    import libcst as cst

    for path, module in sources.modules.items():
        for statement in module.body:
            if isinstance(statement, cst.ClassDef) and any(
                b.endswith(("Activities", "App", "Extractor")) for b in base_names(statement)
            ):
                return sources.where(path, statement)
    return ""


def _requirement_line(pyproject: Path, requirement: str) -> str:
    for number, line in enumerate(pyproject.read_text(encoding="utf-8").splitlines(), 1):
        if requirement in line:
            return f"pyproject.toml:{number}"
    return "pyproject.toml:1"


def _cost_role(step: Step, calls: list[ApiCall]) -> Step:
    if step.role != "extract":
        return step
    mine = [c for c in calls if step.name == c.step]
    if step.reads or any(c.per_item_loop for c in mine):
        return replace(step, role="detail")
    return replace(step, role="list")


def _rest_entity(name: str, steps: list[Step], calls: list[ApiCall], where: list[str]) -> Entity:
    producing = [s.name for s in steps if name in s.writes]
    mine = [c for c in calls if producing and producing[0] == c.step]
    per_item = [c for c in mine if c.per_item_loop]
    if per_item:
        cost, cost_at = "detail", per_item[0].per_item_loop
    elif mine:
        cost, cost_at = "list", mine[0].where
    else:
        cost, cost_at = "unknown", ""
    return Entity(name, tuple(producing), tuple(where), cost, cost_at)


def _plans(found: list[Entity], links: list[Link], steps: list[Step], calls: list[ApiCall]) -> list[Entity]:
    """Which entities become incremental. Per detail step: the entity its per-record loop goes over (`for
    workbook in workbooks`), else the parent it reads (links); what the step writes for that entity comes with
    it. SQL: tables, with their columns. Everything else is cheap enough to stay full."""
    plans: dict[str, str] = {}
    names = {e.name for e in found}
    if "table" in names:
        plans["table"] = "incremental"
        if "column" in names:
            plans["column"] = "with table"
    for step in (s for s in steps if s.role == "detail"):
        over = next((c.per_item_of for c in calls if c.step == step.name and c.per_item_of), "")
        if not over:
            over = next((k.parent for k in links if k.child in step.writes), "")
        if not over:
            continue
        plans.setdefault(over, "incremental")
        for name in step.writes:
            if name != over:
                plans.setdefault(name, f"with {over}")
    for entity in found:
        if entity.name not in plans:
            child = any(k.child == entity.name for k in links)
            plans[entity.name] = "incremental" if entity.cost == "detail" and not child else "full"
    return [replace(e, plan=plans[e.name]) for e in found]


def _producers(found: list[Entity], name: str) -> tuple[str, ...]:
    return next((e.steps for e in found if e.name == name), ())


def _sql_entities(steps: list[Step], queries: list[Query]) -> tuple[list[Step], list[Entity]]:
    by_step = {q.step: q for q in queries if q.step}
    found = [
        Entity(
            q.entity,
            (q.step,),
            (f"{q.file}:{q.sources[0].rsplit('@', 1)[1]}" if q.sources else f"{q.file}:1",),
            "list",
            f"{q.file}:1",
        )
        for q in queries
        if q.entity and q.step
    ]
    updated = [replace(s, writes=(by_step[s.name].entity,)) if s.name in by_step else s for s in steps]
    order = {n: i for i, n in enumerate(sql.HIERARCHY)}
    return updated, sorted(found, key=lambda e: (order.get(e.name, 99), e.name))


def _answers(root: Path, overlay: Mapping[str, bytes] | None) -> dict[str, Any]:
    path = root / ANSWERS_FILE
    if overlay and ANSWERS_FILE in overlay:
        text = overlay[ANSWERS_FILE].decode("utf-8", errors="replace")
    elif path.is_file():
        text = path.read_text(encoding="utf-8")
    else:
        return {}
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ScaffoldError(f"{ANSWERS_FILE}: not YAML ({error}); restore it from git or delete it") from None
    return data if isinstance(data, dict) else {}


def _flag(sources: Sources) -> tuple[str, str]:
    pattern = re.compile(r"^\s*incremental_enabled\s*:\s*[\w\[\], ]+=\s*(.+?)\s*(#.*)?$")
    for path, text in sources.texts.items():
        if path.startswith("app/") and path.endswith(".py"):
            for number, line in enumerate(text.splitlines(), 1):
                match = pattern.match(line)
                if match:
                    return f"{path}:{number}", match.group(1)
    return "", ""


def _filters(sources: Sources) -> tuple[str, ...]:
    first: dict[str, str] = {}
    for path, text in sources.texts.items():
        if path.startswith("app/") and path.endswith((".py", ".sql")):
            for number, line in enumerate(text.splitlines(), 1):
                for match in FILTER.finditer(line):
                    first.setdefault(match.group(1), f"{path}:{number}")
    return tuple(f"{name}@{where}" for name, where in sorted(first.items()))
