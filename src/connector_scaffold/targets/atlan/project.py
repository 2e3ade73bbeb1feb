"""What kind of Atlan app is this? SDK version from pyproject, v2 or v3 shape, SQL or REST, and its classes.

Read by structure with libcst (classes that subclass X, methods decorated with Y), never by line numbers.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from connector_scaffold.codemods.cst_helpers import (
    base_names,
    called_name,
    classes,
    decorator_names,
    find_all,
    method,
    methods,
)
from connector_scaffold.codemods.nesting import NestedTooDeeply, check_depth
from connector_scaffold.errors import ScaffoldError

# v2: an activities class and a @workflow.defn class; v3: an App subclass with @task methods.
Shape = Literal["v2", "v3"]
Kind = Literal["REST", "SQL"]

SDK_PACKAGE = "atlan-application-sdk"
V2_MIN_INCREMENTAL = (2, 4, 1)
SQL_BASES = (
    "BaseSQLMetadataExtractionActivities",
    "IncrementalSQLMetadataExtractionActivities",
    "BaseSQLMetadataExtractionWorkflow",
    "IncrementalSQLMetadataExtractionWorkflow",
    "SqlApp",
    "SqlMetadataExtractor",
    "IncrementalSqlMetadataExtractor",
)


class _Lines:
    """Line numbers of a module's nodes, resolved on first use: only error messages and reports need them."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self.positions: Mapping[cst.CSTNode, CodeRange] | None = None

    def of(self, node: cst.CSTNode) -> int:
        if self.positions is None:
            self.positions = MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(PositionProvider)
        return self.positions[node].start.line


@dataclass
class ClassInfo:
    path: str
    node: cst.ClassDef
    lines: _Lines

    @property
    def name(self) -> str:
        return self.node.name.value

    @property
    def line(self) -> int:
        return self.lines.of(self.node)

    def method(self, name: str) -> cst.FunctionDef | None:
        return method(self.node, name)

    def method_line(self, name: str) -> int:
        method = self.method(name)
        return self.line if method is None else self.lines.of(method)


@dataclass
class AppProject:
    root: Path
    sdk_requirement: str
    sdk_version: tuple[int, ...]
    modules: dict[str, cst.Module]
    shape: Shape = "v2"  # load_project() detects it
    kind: Kind = "REST"
    classes: list[ClassInfo] = field(default_factory=list)
    activities: ClassInfo | None = None  # v2
    workflow: ClassInfo | None = None  # v2
    app: ClassInfo | None = None  # v3
    name: str = ""
    entrypoint: str = ""  # --entrypoint: the orchestrating method when the class has several

    @property
    def evidence(self) -> list[str]:
        """Why the app was classified as it was, one line each, for incremental-analysis/connector-type.txt.

        No line numbers: the command's own edits move them, and a second run must write the same bytes.
        """
        lines = [f"pyproject.toml declares {self.sdk_requirement}"]
        sql = [f"{c.path} {c.name}" for c in self.classes if base_names(c.node) & set(SQL_BASES)]
        lines.append(f"SQL base classes: {', '.join(sql)}" if sql else "no SQL base class of the SDK is subclassed")
        found = (
            (self.activities, "@activity.defn methods"),
            (self.workflow, "@workflow.defn with get_activities()"),
            (self.app, "App subclass with @task methods"),
        )
        lines.extend(f"{c.path} {c.name}: {what}" for c, what in found if c is not None)
        return lines

    @property
    def sdk_major(self) -> int:
        return self.sdk_version[0] if self.sdk_version else 0

    def orchestrator(self) -> tuple[ClassInfo, cst.FunctionDef]:
        holder = self.workflow if self.shape == "v2" else self.app
        if holder is None:
            raise RuntimeError("load_project() sets the workflow (v2) or the App class (v3) of a REST app")
        if self.entrypoint:
            chosen = holder.method(self.entrypoint)
            if chosen is None:
                raise ScaffoldError(
                    f"{holder.path}:{holder.line}: {holder.name} has no {self.entrypoint}(); check --entrypoint"
                )
            return holder, chosen
        run = holder.method("run")
        if run is None:
            entries = self.entrypoints()
            if len(entries) != 1:
                found = ", ".join(entries) or "none"
                raise ScaffoldError(
                    f"{holder.path}:{holder.line}: {holder.name} has no single run() or @entrypoint ({found}); "
                    "pass --entrypoint NAME"
                )
            run = holder.method(entries[0])
            if run is None:
                raise RuntimeError("an entrypoint found by name is a method")
        return holder, run

    def entrypoints(self) -> list[str]:
        """The `@entrypoint` methods of the orchestrating class."""
        holder = self.workflow if self.shape == "v2" else self.app
        if holder is None:
            return []
        return [f.name.value for f in methods(holder.node) if "entrypoint" in decorator_names(f)]

    def find_class(self, name: str) -> ClassInfo | None:
        return next((c for c in self.classes if c.name == name), None)


def load_project(root: Path) -> AppProject:
    """Preflight and detection: raises ScaffoldError with one actionable line when the app does not fit."""
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        raise ScaffoldError(f"{root}: no pyproject.toml; run from the app root or pass --path DIR")
    requirement, version = sdk_requirement(pyproject)
    modules = _parse_modules(root)
    project = AppProject(root, requirement, version, modules, name=app_name(pyproject))
    project.classes = [
        ClassInfo(path, node, lines)
        for path, module in modules.items()
        for lines in [_Lines(module)]
        for node in classes(module)
    ]
    project.kind = "SQL" if any(base_names(c.node) & set(SQL_BASES) for c in project.classes) else "REST"
    _detect_shape(project)
    if project.shape == "v2" and project.sdk_version < V2_MIN_INCREMENTAL:
        found = ".".join(map(str, project.sdk_version))
        raise ScaffoldError(
            f"pyproject.toml: {SDK_PACKAGE} {found} has no incremental seam; upgrade the SDK to 2.4.1 or later"
        )
    return project


def sdk_requirement(pyproject: Path) -> tuple[str, tuple[int, ...]]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data.get("project", {})
    declared = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        declared.extend(group)
    for text in declared:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            raise ScaffoldError(f"{pyproject}: {text!r} is not a valid requirement") from None
        if canonicalize_name(requirement.name) == SDK_PACKAGE:
            return text, _lower_bound(requirement)
    raise ScaffoldError(f"{pyproject}: does not declare {SDK_PACKAGE}; this is not an Atlan app")


def _lower_bound(requirement: Requirement) -> tuple[int, ...]:
    """The version the requirement starts at (`==2.5.0`, `>=2.4.1,<3`, `~=2.4`), or () when it names none."""
    lower = (">=", "==", "===", "~=", ">")
    releases = [
        Version(s.version).release for s in requirement.specifier if s.operator in lower and "*" not in s.version
    ]
    return max(releases, default=())


def app_name(pyproject: Path) -> str:
    name = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("name", "app")
    core = re.sub(r"^atlan-|-app$", "", name.lower())
    return re.sub(r"[^a-z0-9]+", "_", core).strip("_") or "app"


def _parse_modules(root: Path) -> dict[str, cst.Module]:
    modules: dict[str, cst.Module] = {}
    for path in sorted((root / "app").rglob("*.py")) if (root / "app").is_dir() else []:
        if not path.is_file():  # a FIFO or device named like a module: reading it would block
            continue
        relative = path.relative_to(root).as_posix()
        data = path.read_bytes()
        try:
            check_depth(data)
            modules[relative] = cst.parse_module(data)
        except cst.ParserSyntaxError as error:
            raise ScaffoldError(f"{relative}:{error.raw_line}: does not parse: {error.message}") from None
        except NestedTooDeeply as error:
            raise ScaffoldError(f"{relative}:{error.line}: {error}") from None
    if not modules:
        raise ScaffoldError(f"{root}: no Python modules under app/; run from the app root or pass --path DIR")
    return modules


def _detect_shape(project: AppProject) -> None:
    activities = [c for c in project.classes if any("defn" in d for f in methods(c.node) for d in decorator_names(f))]
    workflows = [
        c for c in project.classes if "workflow.defn" in decorator_names(c.node) and c.method("get_activities")
    ]
    apps = [
        c
        for c in project.classes
        if any(b.endswith("App") for b in base_names(c.node)) and any(_is_task(f) for f in methods(c.node))
    ]
    if project.kind == "SQL":
        project.shape = "v3" if project.sdk_major >= 3 else "v2"
        return
    if project.sdk_major >= 3 and apps:
        project.shape, project.app = "v3", _single(apps, "App subclass with @task methods")
    elif activities and workflows:
        project.shape = "v2"
        project.activities = _single(activities, "activities class with @activity.defn methods")
        project.workflow = _single(workflows, "@workflow.defn class with get_activities()")
    elif apps:
        project.shape, project.app = "v3", _single(apps, "App subclass with @task methods")
    else:
        raise ScaffoldError(
            "app/: found neither an activities class with @activity.defn methods and a @workflow.defn class with "
            "get_activities() (SDK v2) nor an App subclass with @task methods (SDK v3)"
        )


def _single(found: list[ClassInfo], what: str) -> ClassInfo:
    if len(found) > 1:
        where = ", ".join(f"{c.path} {c.name}" for c in found)
        raise ScaffoldError(f"more than one {what}: {where}; add-incremental patches one app at a time")
    return found[0]


def _is_task(function: cst.FunctionDef) -> bool:
    return any(d == "task" or d.endswith(".task") for d in decorator_names(function))


def task_names(cls: cst.ClassDef) -> list[str]:
    """Methods that are steps: `@activity.defn` (v2) or `@task` (v3)."""
    return [f.name.value for f in methods(cls) if _is_task(f) or any("defn" in d for d in decorator_names(f))]


def registered_activities(workflow: ClassInfo) -> list[str]:
    """v2: the activity names `get_activities()` returns (the last part of each `activities.x` entry)."""
    getter = workflow.method("get_activities")
    if getter is None:
        return []
    returned = find_all(getter, cst.Return)
    lists = [r.value for r in returned if isinstance(r.value, cst.List)]
    if len(lists) != 1:
        return []
    return [called_name(e.value).rsplit(".", 1)[-1] for e in lists[0].elements]


def module_name(path: str) -> str:
    """`app/workflows.py` -> `app.workflows`; `app/__init__.py` -> `app`."""
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
