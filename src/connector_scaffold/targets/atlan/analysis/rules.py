"""The playbook's rules judged from the facts: the pre-flight checks, the feasibility checklist's five
non-negotiable rules per entity, and the Prime Directive's guardrails that code can show. A rule the code
cannot decide is UNKNOWN with the reason and the check that would decide it; SQL verdicts on timestamps come
from the checklist's own per-database table (Section 2), named as such."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from connector_scaffold.targets.atlan.analysis.model import ApiCall, Entity, Link, Rule, Step, Timestamp

# Feasibility checklist, Section 2: the catalog column per database and what it covers.
SQL_CATALOG = {
    "Oracle": ("LAST_DDL_TIME", "PASS", "PASS", "full DDL, no DML"),
    "Snowflake": ("LAST_ALTERED", "PASS", "PASS", "full DDL, no DML (INFORMATION_SCHEMA cached up to 2 hours)"),
    "MySQL": ("UPDATE_TIME", "FAIL", "FAIL", "partial DDL and includes DML: not suitable"),
    "PostgreSQL": ("pg_stat_user_tables.last_autoanalyze", "FAIL", "FAIL", "partial DDL and DML: not reliable"),
}
UNKNOWN_REST = {
    "R1": "whether {field} moves on data refreshes as well as definition changes is behaviour of the source, "
    "not of this code; verify: record it, refresh the data, re-read it (checklist Rule 1)",
    "R3": "which definition changes (create, rename, add/remove fields, delete, permissions) move {field} is "
    "behaviour of the source; verify each operation on a test tenant (checklist Rule 3)",
    "R4": "indirect changes (a shared parent or data source edited) may change {entity} without moving its "
    "timestamp; the code shows no propagation paths; verify each path (checklist Rule 4)",
    "R5": "whether two reads of the same change return the same value of {field} (no jitter, bounded eventual "
    "consistency) needs two reads of the live source (checklist Rule 5)",
}
TITLES = {
    "P1": "pyproject.toml declares atlan-application-sdk",
    "P2": "an activities class (SDK 2.x) or App class (SDK 3.x) to extend",
    "P3": "the SDK version has the incremental seam",
    "P4": "the existing unit tests pass (baseline)",
    "P5": "connector type classified",
    "R1": "DDL-only timestamps",
    "R2": "right granularity",
    "R3": "covers all DDL events",
    "R4": "no silent schema changes",
    "R5": "deterministic timestamps",
    "G1": "full extraction stays the default (incremental_enabled=false)",
    "G2": "state persisted only after the upload step (GUARD-IMPL-01)",
    "G3": "an expensive per-record detail step to make incremental",
    "G4": "deletions detectable (previous ids - current ids)",
}


@dataclass(frozen=True)
class Context:
    kind: str
    shape: str
    sdk_requirement_at: str
    sdk_version: tuple[int, ...]
    holder_at: str  # the activities / App class, "" when none
    kind_evidence: str
    tests: tuple[str, ...]
    dialect: str
    dialect_at: str
    steps: tuple[Step, ...]
    entities: tuple[Entity, ...]
    links: tuple[Link, ...]
    calls: tuple[ApiCall, ...]
    timestamps: tuple[Timestamp, ...]
    sql_sources: dict[str, str]  # entity -> file:line of the catalog view its query reads
    incremental_flag: tuple[str, str]  # (file:line, default text) of incremental_enabled, or ("", "")


def _rule(rule: str, entity: str, verdict: str, evidence: Sequence[str], reason: str) -> Rule:
    kept = tuple(dict.fromkeys(e for e in evidence if e))
    return Rule(rule, TITLES[rule], entity, verdict, kept, reason)  # type: ignore[arg-type]


def judge(c: Context) -> list[Rule]:
    rules = _preflight(c)
    for entity in (e for e in c.entities if e.plan == "incremental"):
        rules += _sql_rules(c, entity) if c.kind == "SQL" else _rest_rules(c, entity)
    rules += _guardrails(c)
    return rules


def _preflight(c: Context) -> list[Rule]:
    version = ".".join(map(str, c.sdk_version)) or "unpinned"
    if not c.sdk_version:
        seam = _rule("P3", "", "UNKNOWN", [c.sdk_requirement_at], "the requirement names no lower bound")
    elif c.sdk_version[0] >= 3:
        seam = _rule(
            "P3", "", "PASS", [c.sdk_requirement_at], f"SDK {version} ships application_sdk.common.incremental"
        )
    elif c.sdk_version >= (2, 4, 1):
        seam = _rule("P3", "", "PASS", [c.sdk_requirement_at], f"SDK {version} >= 2.4.1 (incremental marker API)")
    else:
        seam = _rule("P3", "", "FAIL", [c.sdk_requirement_at], f"SDK {version} < 2.4.1: upgrade the SDK first")
    holder = (
        _rule("P2", "", "PASS", [c.holder_at], "found")
        if c.holder_at
        else _rule("P2", "", "FAIL", [], "no class with @activity.defn or @task methods under app/")
    )
    tests = _rule(
        "P4",
        "",
        "UNKNOWN",
        [f"{t}:1" for t in c.tests[:3]],
        f"static analysis runs no tests ({len(c.tests)} test files found); run `uv run pytest tests/unit/ -x -q`",
    )
    return [
        _rule("P1", "", "PASS", [c.sdk_requirement_at], "declared"),
        holder,
        seam,
        tests,
        _rule("P5", "", "PASS", [c.kind_evidence], f"{c.kind} ({c.shape} shape)"),
    ]


def _fields(c: Context, entity: str) -> list[Timestamp]:
    return [t for t in c.timestamps if t.entity == entity and t.role == "update"]


def _rest_rules(c: Context, entity: Entity) -> list[Rule]:
    fields = _fields(c, entity.name)
    names = sorted({t.field for t in fields})
    field = " / ".join(names) or "the timestamp"
    where = [t.where for t in fields[:3]] or list(entity.evidence[:1])
    rules = [_rule("R1", entity.name, "UNKNOWN", where, UNKNOWN_REST["R1"].format(field=field))]
    if fields:
        rules.append(
            _rule("R2", entity.name, "PASS", where, f"{field} is a field of each {entity.name} record (entity level)")
        )
    else:
        rules.append(
            _rule(
                "R2",
                entity.name,
                "UNKNOWN",
                entity.evidence[:1],
                f"no update timestamp of {entity.name} is seen in the code or fixtures; check the API's record "
                "for one (pass --timestamp-field to add-incremental)",
            )
        )
    rules.append(_rule("R3", entity.name, "UNKNOWN", where, UNKNOWN_REST["R3"].format(field=field)))
    related = [k for k in c.links if entity.name in (k.parent, k.child)]
    reason = UNKNOWN_REST["R4"].format(entity=entity.name)
    if related:
        pairs = ", ".join(f"{k.parent} -> {k.child}" for k in related)
        reason = f"{pairs}: whether a change on one side moves the other's timestamp is not in the code; " + reason
    rules.append(_rule("R4", entity.name, "UNKNOWN", [k.where for k in related], reason))
    rules.append(_rule("R5", entity.name, "UNKNOWN", where, UNKNOWN_REST["R5"].format(field=field)))
    return rules


def _sql_rules(c: Context, entity: Entity) -> list[Rule]:
    catalog = SQL_CATALOG.get(c.dialect)
    view = c.sql_sources.get("table") or c.sql_sources.get(entity.name, "")
    of = "its table's" if entity.name == "column" else "the table's"
    if catalog is None:
        why = f"dialect {c.dialect or 'not found'}: the feasibility checklist has no row for it; verify by hand"
        return [_rule(r, entity.name, "UNKNOWN", [c.dialect_at, view], why) for r in ("R1", "R2", "R3", "R4", "R5")]
    column, rule1, rule3, note = catalog
    evidence = [c.dialect_at, view]
    return [
        _rule("R1", entity.name, rule1, evidence, f"{c.dialect} {column}: {note} (checklist Section 2)"),
        _rule("R2", entity.name, "PASS", evidence, f"{column} is per table in the catalog; {entity.name} uses {of}"),
        _rule("R3", entity.name, rule3, evidence, f"{c.dialect} {column}: {note} (checklist Section 2)"),
        _rule(
            "R4",
            entity.name,
            "UNKNOWN",
            [view],
            "a view's columns change when its base table changes without the view's own timestamp moving; whether "
            "this source has views over changing tables is data, not code",
        ),
        _rule(
            "R5",
            entity.name,
            "UNKNOWN",
            evidence,
            f"whether {column} reads the same twice (replication, catalog caching) needs the live database",
        ),
    ]


def _guardrails(c: Context) -> list[Rule]:
    steps = {s.name: s for s in c.steps}
    orchestration = [s.called_at for s in c.steps if s.called_at][:1]
    rules: list[Rule] = []
    where, default = c.incremental_flag
    if where:
        text = default.replace(" ", "")
        ok = (
            text in ("False", '"false"')
            or text.startswith(("Field(False", "Field(default=False"))
            or ("default=False" in text)
        )
        rules.append(_rule("G1", "", "PASS" if ok else "FAIL", [where], f"incremental_enabled defaults to {default}"))
    else:
        rules.append(_rule("G1", "", "PASS", orchestration, "no incremental flag yet: every run is a full extraction"))
    uploads = [s for s in c.steps if s.role == "upload"]
    persist = steps.get("persist_incremental_state")
    if c.kind == "SQL" and c.shape == "v2":
        overridden = [s.called_at for s in c.steps if s.called_at][:1]
        if overridden:
            rules.append(
                _rule(
                    "G2",
                    "",
                    "UNKNOWN",
                    overridden,
                    "the app overrides run(): IncrementalSQLMetadataExtractionWorkflow.run (SDK 2.5.0) writes the "
                    "state and marker after upload_to_atlan, and this override replaces that order; keep the "
                    "SDK's run() or reproduce its finalization phase",
                )
            )
        else:
            rules.append(
                _rule(
                    "G2",
                    "",
                    "PASS",
                    [],
                    "run() is the SDK's: IncrementalSQLMetadataExtractionWorkflow.run (SDK 2.5.0) writes the state "
                    "and marker in its finalization phase, after upload_to_atlan",
                )
            )
    elif persist and uploads:
        after = persist.order > uploads[0].order
        rules.append(
            _rule(
                "G2",
                "",
                "PASS" if after else "FAIL",
                [persist.called_at, uploads[0].called_at],
                f"persist_incremental_state runs {'after' if after else 'before'} {uploads[0].name}",
            )
        )
    elif uploads:
        rules.append(
            _rule(
                "G2", "", "PASS", [uploads[0].called_at or uploads[0].defined_at], f"{uploads[0].name} to persist after"
            )
        )
    else:
        rules.append(
            _rule(
                "G2",
                "",
                "UNKNOWN",
                orchestration,
                "the orchestration calls no upload step (the platform may publish after the workflow): say after "
                "which step the state is persisted (add-incremental --persist-after STEP)",
            )
        )
    if c.kind == "SQL":
        return rules
    per_item = [k for k in c.calls if k.per_item_loop]
    if per_item:
        rules.append(
            _rule("G3", "", "PASS", [k.per_item_loop for k in per_item], f"{per_item[0].step}: one request per record")
        )
    else:
        rules.append(
            _rule("G3", "", "FAIL", [k.where for k in c.calls[:1]], "no per-record request found: nothing to save")
        )
    for entity in (e for e in c.entities if e.plan == "incremental"):
        listing = sorted(
            (k for k in c.calls if entity.steps and entity.steps[0] == k.step and not k.per_item_loop),
            key=lambda k: (k.method != "GET", not k.paged_by),  # the list request, not the sign-in before it
        )
        if listing:
            rules.append(
                _rule("G4", entity.name, "PASS", [listing[0].where], "listed in full every run: previous - current ids")
            )
        else:
            rules.append(
                _rule(
                    "G4",
                    entity.name,
                    "UNKNOWN",
                    entity.evidence[:1],
                    "no full list request found for it: the set of current ids has no visible source",
                )
            )
    return rules
