"""The Lakeflow table plan: which spec entities become tables, named how, ingested how.

The ConnectorSpec is shared with the Atlan target and says nothing Lakeflow-specific, so the plan is derived from
it by fixed rules (and `--ingestion-type` overrides):

- name: the last literal segment of the entity's list path (`/v1/customers` -> `customers`), as upstream sources
  name their tables; the entity name when two entities would share one.
- ingestion type: no cursor field -> snapshot; a cursor that records an update (`updated*`, `modified*`,
  `changed*`) -> cdc, upserted on the primary key; any other cursor (a creation time) -> append, because only new
  records ever pass it.
- range filter: APIs that page with `starting_after`/`has_more` (the spec's `cursor` style, Stripe's family) take
  range objects `<cursor>[gt]`/`<cursor>[lte]` on their creation time only (and reject unknown parameters); for
  every other cursor and style the window is applied client-side to the listed records.
- child entities (a `parent`) are left out: their fan-out over the parent is reviewed work, not a template.
"""

from __future__ import annotations

from typing import Any

from connector_scaffold.errors import ScaffoldError
from connector_scaffold.spec import IDENTIFIER, ConnectorSpec, Entity

INGESTION_TYPES = ("snapshot", "cdc", "append")
UPDATE_PREFIXES = ("updated", "modified", "changed", "last_modified", "last_updated")
CURSOR_TYPES = ("integer", "datetime")


def entity_fields(entity: Entity) -> list[dict[str, str]]:
    """The entity's fields, with its id (and cursor) first added when the spec lists none."""
    fields = [{"name": f.name, "type": str(f.type)} for f in entity.fields]
    names = {f["name"] for f in fields}
    if entity.id_field not in names:
        fields.insert(0, {"name": entity.id_field, "type": "string"})
    if entity.timestamp_field and entity.timestamp_field not in names:
        fields.append({"name": entity.timestamp_field, "type": "datetime"})
    return fields


def with_complete_fields(spec: ConnectorSpec) -> dict[str, Any]:
    """The spec as JSON with every entity's fields completed (see entity_fields)."""
    data = spec.model_dump(mode="json")
    for raw, entity in zip(data["entities"], spec.entities, strict=True):
        raw["fields"] = entity_fields(entity)
    return data


def table_name(entity: Entity) -> str:
    segments = [s for s in entity.list_path.split("/") if s and "{" not in s]
    last = segments[-1].lower().replace("-", "_") if segments else ""
    return last if IDENTIFIER.match(last) else entity.name


def default_ingestion(entity: Entity) -> str:
    cursor = entity.timestamp_field
    if not cursor or _cursor_type(entity) not in CURSOR_TYPES:
        return "snapshot"
    return "cdc" if cursor.lower().startswith(UPDATE_PREFIXES) else "append"


def _cursor_type(entity: Entity) -> str:
    types = {f["name"]: f["type"] for f in entity_fields(entity)}
    return types.get(entity.timestamp_field or "", "")


def plan_table(spec: ConnectorSpec, entity: Entity, name: str, ingestion_type: str | None) -> dict[str, Any]:
    kind = ingestion_type or default_ingestion(entity)
    if kind not in INGESTION_TYPES:
        raise ScaffoldError(f"--ingestion-type {name}={kind}: the type must be one of {', '.join(INGESTION_TYPES)}")
    cursor = entity.timestamp_field if kind != "snapshot" else None
    if kind != "snapshot" and (not cursor or _cursor_type(entity) not in CURSOR_TYPES):
        raise ScaffoldError(
            f"--ingestion-type {name}={kind}: {entity.name} has no integer or datetime cursor field "
            "(timestamp_field); use snapshot"
        )
    ranged = kind == "append" and spec.pagination.style == "cursor"
    return {
        "name": name,
        "entity": entity.name,
        "ingestion_type": kind,
        "cursor_field": cursor,
        "primary_key": entity.id_field,
        "filter_gt": f"{cursor}[gt]" if ranged else None,
        "filter_lte": f"{cursor}[lte]" if ranged else None,
    }


def table_names(spec: ConnectorSpec) -> dict[str, Entity]:
    """Table name -> entity, for every top-level entity of the spec, in spec order."""
    top = [e for e in spec.entities if e.parent is None]
    derived = [table_name(e) for e in top]
    return {
        (name if derived.count(name) == 1 else entity.name): entity for name, entity in zip(derived, top, strict=True)
    }


def find_entity(spec: ConnectorSpec, wanted: str) -> tuple[str, Entity] | None:
    """The table named `wanted` (by table or entity name), or None."""
    for name, entity in table_names(spec).items():
        if wanted in (name, entity.name):
            return name, entity
    return None


def plan_tables(
    spec: ConnectorSpec, only: tuple[str, ...] = (), ingestion: dict[str, str] | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """(the table plans, notes on what was left out)."""
    ingestion = dict(ingestion or {})
    tables = table_names(spec)
    chosen: list[tuple[str, Entity]] = []
    for wanted in only or tuple(tables):
        found = find_entity(spec, wanted)
        if found is None:
            children = [e.name for e in spec.entities if e.parent]
            hint = f" ({wanted} is a child entity)" if wanted in children else ""
            raise ScaffoldError(
                f"--table {wanted}: not a table of the {spec.source_name} spec{hint} (tables: {', '.join(tables)})"
            )
        if found not in chosen:
            chosen.append(found)
    plans = []
    for name, entity in chosen:
        kind = ingestion.pop(name, None) or ingestion.pop(entity.name, None)
        plans.append(plan_table(spec, entity, name, kind))
    if ingestion:
        raise ScaffoldError(
            f"--ingestion-type {sorted(ingestion)[0]}: no such table among {', '.join(n for n, _ in chosen)}"
        )
    notes = [
        f"{e.name}: a child of {e.parent} (fan-out over each {e.parent}) is not generated; add it by hand"
        for e in spec.entities
        if e.parent is not None
    ]
    return plans, notes


def parse_ingestion(pairs: tuple[str, ...]) -> dict[str, str]:
    """`--ingestion-type TABLE=TYPE` options as a mapping."""
    parsed: dict[str, str] = {}
    for pair in pairs:
        name, sep, kind = pair.partition("=")
        if not sep or not name.strip() or not kind.strip():
            raise ScaffoldError(f"--ingestion-type {pair!r}: expected TABLE=TYPE, e.g. customers=cdc")
        parsed[name.strip()] = kind.strip()
    return parsed
