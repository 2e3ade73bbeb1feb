"""The facts `scaffold analyze` finds about an app, as frozen data: the JSON output is these, and every Markdown
document is rendered from them (so the two never disagree).

Evidence is always `file:line` relative to the app root; lists are kept sorted so the same app gives the same
bytes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Verdict = Literal["PASS", "FAIL", "UNKNOWN"]


@dataclass(frozen=True)
class Step:
    order: int
    name: str
    role: str  # setup | list | detail | transform | upload | incremental | other
    called_at: str  # file:line in the orchestrator; "" when the SDK's base class runs it
    defined_at: str  # file:line of the method; "" when the SDK defines it
    entrypoint: str
    parallel_group: int  # steps awaited together share a number; 0 = alone
    conditional: bool
    repeated: bool  # called inside a loop of the orchestrator
    writes: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApiCall:
    where: str
    function: str
    method: str
    target: str
    params: tuple[str, ...]
    paged_by: str  # file:line of the loop that pages it, or ""
    per_item_loop: str  # file:line of the loop that repeats it once per record (N+1), or ""
    step: str
    per_item_of: str = ""  # the entity that loop goes over, when its names say so (`for page in pages`)
    loop_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Query:
    file: str
    step: str
    entity: str
    sources: tuple[str, ...]  # catalog views/tables read, "NAME@line"
    columns: tuple[str, ...]
    placeholders: tuple[str, ...]


@dataclass(frozen=True)
class Timestamp:
    field: str
    role: str  # update | create | delete
    entity: str  # "" when the evidence names no entity
    where: str
    origin: str  # app | sql | fixture
    context: str = ""  # "detail response": read in a function that makes a per-record request


@dataclass(frozen=True)
class Link:
    parent: str
    child: str
    where: str
    how: str


@dataclass(frozen=True)
class Entity:
    name: str
    steps: tuple[str, ...]
    evidence: tuple[str, ...]
    cost: str  # list | detail | unknown
    cost_evidence: str
    plan: str = ""  # "incremental", "with <parent>" (re-extracted with it) or "full"


@dataclass(frozen=True)
class Rule:
    rule: str
    title: str
    entity: str
    verdict: Verdict
    evidence: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Detection:
    entity: str
    field: str  # "" = UNKNOWN
    field_evidence: tuple[str, ...]
    strategy: str
    reason: str


@dataclass(frozen=True)
class AppInfo:
    name: str
    kind: str
    shape: str
    sdk_requirement: str
    sdk_version: str
    dialect: str
    dialect_evidence: str
    orchestrators: tuple[str, ...]
    incremental_entities: tuple[str, ...]  # already made incremental (answers file)
    marker_offset_hours: float


@dataclass(frozen=True)
class Analysis:
    app: AppInfo
    entities: tuple[Entity, ...]
    links: tuple[Link, ...]
    steps: tuple[Step, ...]
    calls: tuple[ApiCall, ...]
    queries: tuple[Query, ...]
    timestamps: tuple[Timestamp, ...]
    rules: tuple[Rule, ...]
    detection: tuple[Detection, ...]
    filters: tuple[str, ...]  # scope filters the app reads, "name@file:line"
    tests: tuple[str, ...]  # the app's test files
    notes: tuple[str, ...] = ()
    changes: tuple[str, ...] = field(default=())  # "created path" / "modified path" when add-incremental wrote them

    def as_data(self) -> dict[str, Any]:
        return asdict(self)
