"""The change-detection choice per entity: the field (the app's recorded choice, else the update timestamp the
evidence ties to the entity, else a creation time said to miss edits, else UNKNOWN), and how it is compared
(server-side WHERE for SQL, client-side diffing of the full list for REST)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connector_scaffold.targets.atlan.analysis.model import Detection
from connector_scaffold.targets.atlan.analysis.rules import SQL_CATALOG, Context

ORIGIN_ORDER = {"app": 0, "sql": 1, "fixture": 2}


def choose(c: Context, answers: Mapping[str, Any], offset: float) -> list[Detection]:
    recorded = {
        str(e.get("name")): str(e.get("timestamp_field", ""))
        for e in answers.get("entities") or []
        if isinstance(e, dict)
    }
    found: list[Detection] = []
    for entity in (e for e in c.entities if e.plan == "incremental"):
        if c.kind == "SQL":
            found.append(_sql(c, entity.name, offset))
            continue
        stamps = sorted(
            (t for t in c.timestamps if t.entity == entity.name),
            key=lambda t: (ORIGIN_ORDER.get(t.origin, 9), t.where),
        )
        updates = [t for t in stamps if t.role == "update"]
        creates = [t for t in stamps if t.role == "create"]
        strategy = (
            f"client-side diffing: list every {entity.name} each run, compare {{field}} with the marker minus "
            f"{offset:g}h, re-extract the details of the changed only"
        )
        if recorded.get(entity.name):
            field = recorded[entity.name]
            evidence = tuple(t.where for t in stamps if t.field == field)[:3]
            reason = f"recorded by add-incremental in {'.copier-answers.incremental.yml'}"
        elif updates:
            field = updates[0].field
            evidence = tuple(t.where for t in updates if t.field == field)[:3]
            others = sorted({t.field for t in updates} - {field})
            reason = f"the update timestamp seen for {entity.name}" + (
                f" (also seen: {', '.join(others)})" if others else ""
            )
        elif creates:
            field = creates[0].field
            evidence = tuple(t.where for t in creates if t.field == field)[:3]
            reason = "only a creation time is seen: edits after creation are MISSED; look for an update time"
        else:
            field, evidence = "", ()
            reason = (
                f"UNKNOWN: no timestamp of {entity.name} in the code or fixtures; the API's record may still have "
                "one (add-incremental --timestamp-field FIELD)"
            )
        chosen = [t for t in stamps if t.field == field]
        if (
            chosen
            and all(t.context == "detail response" for t in chosen if t.origin == "app")
            and any(t.origin == "app" for t in chosen)
        ):
            reason += (
                f"; the app reads {field} from the per-record detail response only: skipping that call needs the "
                f"list response to carry {field} too (UNKNOWN from code: check the list API)"
            )
        found.append(Detection(entity.name, field, evidence, strategy.format(field=field or "the timestamp"), reason))
    return found


def _sql(c: Context, entity: str, offset: float) -> Detection:
    catalog = SQL_CATALOG.get(c.dialect)
    where = tuple(e for e in (c.dialect_at, c.sql_sources.get("table", "")) if e)
    if catalog is None:
        return Detection(
            entity,
            "",
            where,
            "UNKNOWN",
            f"UNKNOWN: dialect {c.dialect or 'not found'} is not in the feasibility checklist's table",
        )
    column, rule1, _, note = catalog
    strategy = (
        f"server-side: the table query compares {column} with {{marker_timestamp}} (marker minus {offset:g}h) and "
        "labels each table CREATED / UPDATED / NO CHANGE; columns are extracted for changed tables only"
    )
    if entity in ("database", "schema"):
        return Detection(entity, "", where, "full extraction every run", "cheap parent: one small query, no marker")
    if rule1 == "FAIL":
        return Detection(
            entity,
            column,
            where,
            strategy,
            f"{c.dialect} {column}: {note}: R1/R3 FAIL (feasibility.md): on this field incremental re-extracts "
            "tables with data writes since the marker (false positives) and can miss DDL that does not move it",
        )
    return Detection(entity, column, where, strategy, f"{c.dialect} {column}: {note}")
