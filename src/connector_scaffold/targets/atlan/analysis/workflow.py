"""The app's orchestration: which class orchestrates, and its steps in the order they run (awaited together,
conditional, repeated), read from the orchestrating method's code; a SQL app that keeps the SDK's `run()`
gets the SDK's sequence, said to be inherited."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from connector_scaffold.codemods.cst_helpers import base_names, called_name, decorator_names, methods
from connector_scaffold.targets.atlan.analysis.code_index import CodeIndex, Function
from connector_scaffold.targets.atlan.analysis.model import Step

# SDK 2.x steps an app inherits (BaseMetadataExtractionActivities / BaseSQLMetadataExtractionActivities).
SDK_V2_STEPS = (
    "get_workflow_args",
    "preflight_check",
    "fetch_databases",
    "fetch_schemas",
    "fetch_tables",
    "fetch_columns",
    "fetch_procedures",
    "transform_data",
    "upload_to_atlan",
    "run_exit_activities",
)
# BaseSQLMetadataExtractionWorkflow.run() of SDK 2.x (application_sdk/workflows/metadata_extraction/sql.py, v2.5.0):
# args, then every fetch awaited together, each followed by transform_data on its chunks.
SDK_V2_SQL_RUN = (
    ("get_workflow_args", 0),
    ("preflight_check", 0),
    ("fetch_databases", 1),
    ("fetch_schemas", 1),
    ("fetch_tables", 1),
    ("fetch_columns", 1),
    ("fetch_procedures", 1),
    ("transform_data", 0),
)
INCREMENTAL_STEPS = ("read_marker", "read_previous_", "detect_updated_", "backfill_unchanged_", "persist_incremental")


@dataclass(frozen=True)
class Orchestration:
    shape: str
    steps: tuple[Step, ...]
    orchestrators: tuple[str, ...]  # "Class.method@file:line"
    step_functions: dict[str, Function]
    notes: tuple[str, ...]


def _is_task(function: cst.FunctionDef) -> bool:
    names = decorator_names(function)
    return any(d == "task" or d.endswith(".task") or "activity.defn" in d for d in names)


def orchestration(index: CodeIndex, kind: str, sdk_major: int) -> Orchestration:
    sources = index.sources
    classes = [(path, node) for path, module in sources.modules.items() for node in _classes(module)]
    workflows = [(p, c) for p, c in classes if "workflow.defn" in decorator_names(c)]
    apps = [(p, c) for p, c in classes if any(b.endswith(("App", "Extractor")) for b in base_names(c))]
    holders = [(p, c) for p, c in classes if any(_is_task(f) for f in methods(c))]
    step_functions: dict[str, Function] = {}
    for path, cls in holders:
        for function in methods(cls):
            if _is_task(function):
                step_functions.setdefault(function.name.value, Function(path, function, cls.name.value))
    notes: list[str] = []
    if sdk_major >= 3 and apps:
        shape = "v3"
        runners = [
            (p, c, f)
            for p, c in apps
            for f in methods(c)
            if f.name.value == "run" or "entrypoint" in decorator_names(f)
        ]
        known = set(step_functions) | {"upload"}
    elif workflows or holders:
        shape = "v2"
        runners = [
            (p, c, f)
            for p, c in workflows
            for f in methods(c)
            if "workflow.run" in decorator_names(f) or f.name.value == "run"
        ]
        known = set(step_functions) | set(SDK_V2_STEPS) | _registered(workflows)
    else:
        return Orchestration("unknown", (), (), step_functions, ("no workflow class, activities or App found",))
    steps: list[Step] = []
    orchestrators = []
    group = 0
    for path, cls, function in runners:
        entry = f"{cls.name.value}.{function.name.value}"
        orchestrators.append(f"{entry}@{sources.where(path, function)}")
        visitor = _Sequence(known, _gathered_names(function))
        function.body.visit(visitor)
        for name, node, in_gather, conditional, repeated in visitor.found:
            if in_gather is not None:
                if in_gather != visitor.last_gather:
                    group += 1
                    visitor.last_gather = in_gather
                parallel = group
            else:
                parallel = 0
            defined = step_functions.get(name)
            steps.append(
                Step(
                    order=len(steps) + 1,
                    name=name,
                    role=role(name),
                    called_at=sources.where(path, node),
                    defined_at=sources.where(defined.path, defined.node) if defined else "",
                    entrypoint=entry,
                    parallel_group=parallel,
                    conditional=conditional,
                    repeated=repeated,
                )
            )
    if not runners and kind == "SQL" and shape == "v2":
        notes.append("run() is the SDK's BaseSQLMetadataExtractionWorkflow.run (SDK 2.x): its sequence is listed")
        for name, parallel in SDK_V2_SQL_RUN:
            defined = step_functions.get(name)
            where = sources.where(defined.path, defined.node) if defined else ""
            steps.append(Step(len(steps) + 1, name, role(name), "", where, "inherited", parallel, False, False))
    elif not runners:
        notes.append(f"no orchestrating method found ({'run() or @entrypoint' if shape == 'v3' else '@workflow.run'})")
    return Orchestration(shape, tuple(steps), tuple(orchestrators), step_functions, tuple(notes))


def role(name: str) -> str:
    if name.startswith(INCREMENTAL_STEPS):
        return "incremental"
    if name.startswith("transform"):
        return "transform"
    if name.startswith("upload") or name in ("run_exit_activities",):
        return "upload"
    if name.startswith(("extract_", "fetch_", "list_")):
        return "extract"
    if name in ("get_workflow_args", "preflight_check") or name.startswith(("set_", "credential")):
        return "setup"
    return "other"


def _classes(module: cst.Module) -> list[cst.ClassDef]:
    return [s for s in module.body if isinstance(s, cst.ClassDef)]


def _registered(workflows: list[tuple[str, cst.ClassDef]]) -> set[str]:
    names: set[str] = set()
    for _, cls in workflows:
        for function in methods(cls):
            if function.name.value == "get_activities":
                for node in _find(function, cst.Attribute):
                    names.add(node.attr.value)
    return names


def _gathered_names(function: cst.FunctionDef) -> set[str]:
    names: set[str] = set()

    class _V(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if called_name(node.func).endswith("gather"):
                names.update(a.value.value for a in node.args if isinstance(a.value, cst.Name))

    function.visit(_V())
    return names


def _find(node: cst.CSTNode, kind: type[cst.Attribute]) -> list[cst.Attribute]:
    found: list[cst.Attribute] = []

    class _V(cst.CSTVisitor):
        def visit_Attribute(self, n: cst.Attribute) -> None:
            found.append(n)

    node.visit(_V())
    return found


class _Sequence(cst.CSTVisitor):
    """Step references (`x.step` handed to execute_activity_method, `self.step(...)`) in source order, first
    reference of each, with what surrounds them."""

    def __init__(self, known: set[str], gathered: set[str]) -> None:
        self.known, self.gathered = known, gathered
        self.seen: set[str] = set()
        self.found: list[tuple[str, cst.Attribute, int | None, bool, bool]] = []
        self.gathers: list[int] = []
        self.ifs = 0
        self.loops = 0
        self.last_gather: int | None = None

    def visit_Call(self, node: cst.Call) -> None:
        if called_name(node.func).endswith("gather"):
            self.gathers.append(id(node))

    def leave_Call(self, original_node: cst.Call) -> None:
        if self.gathers and self.gathers[-1] == id(original_node):
            self.gathers.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        # `coros = [self.fetch(a.x), ...]` then `await asyncio.gather(*coros)`: awaited together too.
        if any(isinstance(t.target, cst.Name) and t.target.value in self.gathered for t in node.targets):
            self.gathers.append(id(node))

    def leave_Assign(self, original_node: cst.Assign) -> None:
        if self.gathers and self.gathers[-1] == id(original_node):
            self.gathers.pop()

    def visit_If(self, node: cst.If) -> None:
        self.ifs += 1

    def leave_If(self, original_node: cst.If) -> None:
        self.ifs -= 1

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.For, cst.While, cst.ListComp, cst.GeneratorExp)):
            self.loops += 1
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if isinstance(original_node, (cst.For, cst.While, cst.ListComp, cst.GeneratorExp)):
            self.loops -= 1
        super().on_leave(original_node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        name = node.attr.value
        if name in self.known and name not in self.seen:
            self.seen.add(name)
            gather = self.gathers[0] if self.gathers else None
            self.found.append((name, node, gather, self.ifs > 0, self.loops > 0))
