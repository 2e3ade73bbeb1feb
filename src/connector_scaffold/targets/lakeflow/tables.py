"""The Lakeflow table plan: which spec entities become tables, named how, ingested how.

The ConnectorSpec is shared with the Atlan target and says nothing Lakeflow-specific, so the plan is derived from
it by fixed rules (and `--ingestion-type` overrides):

- name: the last literal segment of the entity's list path (`/v1/customers` -> `customers`, `/orders.json` ->
  `orders`), as upstream sources name their tables; the entity name when two entities would share one.
- ingestion type: a cursor that records an update (`updated*`, `modified*`, `changed*`) -> cdc, upserted on the
  primary key. Any other cursor is a creation time, which a changed record never passes again, so append would
  keep its first version forever: such a table is append only when its records cannot change (events, logs, audit
  trails: the table name says so), else snapshot. No cursor -> snapshot.
- range filter: APIs that page with `starting_after`/`has_more` (the spec's `cursor` style, Stripe's family) take
  range objects `<cursor>[gt]`/`<cursor>[lte]` on their creation time only (and reject unknown parameters); for
  every other cursor and style the window is applied client-side to the listed records.
- child entities (a `parent`) are left out: their fan-out over the parent is reviewed work, not a template.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, ValidationError

from connector_scaffold.errors import ScaffoldError
from connector_scaffold.spec import IDENTIFIER, ConnectorSpec, Entity, format_validation_error
from connector_scaffold.spec_choices import FieldType

IngestionType = Literal["snapshot", "cdc", "append"]
INGESTION_TYPES: tuple[IngestionType, ...] = get_args(IngestionType)
UPDATE_PREFIXES = ("updated", "modified", "changed", "last_modified", "last_updated")
# Table names whose records are written once and never change: the only ones append on a creation time suits.
IMMUTABLE_SUFFIXES = ("events", "event_log", "logs", "audit_log", "audit_logs", "audit_events", "history")
CURSOR_TYPES = ("integer", "datetime")


class TablePlan(BaseModel):
    """One table as the source's `.copier-answers.yml` stores it: what the spec does not say about the table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    entity: str
    ingestion_type: IngestionType
    cursor_field: str | None
    primary_key: str
    filter_gt: str | None
    filter_lte: str | None


class TableField(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: FieldType


class Table(BaseModel):
    """A table plan joined with its spec entity: everything the templates read about one table, so none of them
    looks an entity up."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    plan: TablePlan
    list_path: str
    records_path: str
    params: dict[str, str]
    fields: tuple[TableField, ...]

    @property
    def name(self) -> str:
        return self.plan.name

    @property
    def ingestion_type(self) -> IngestionType:
        return self.plan.ingestion_type

    @property
    def cursor_type(self) -> FieldType | None:
        """The type of the cursor field among the table's fields; None without one."""
        return next((f.type for f in self.fields if f.name == self.plan.cursor_field), None)

    def context(self) -> dict[str, Any]:
        """The table as the templates see it: the plan's keys, the joined entity data, and `stored` (the plan alone,
        for the answers file)."""
        stored = self.plan.model_dump()
        return {
            **stored,
            "list_path": self.list_path,
            "records_path": self.records_path,
            "params": dict(self.params),
            "fields": [f.model_dump() for f in self.fields],
            "cursor_type": self.cursor_type,
            "stored": stored,
        }


def join(spec: ConnectorSpec, plan: TablePlan) -> Table:
    """The plan with its entity's list path, records path and completed fields."""
    entity = next((e for e in spec.entities if e.name == plan.entity), None)
    if entity is None:
        raise LookupError(f"{plan.entity!r} is not an entity of the {spec.source_name} spec")
    return Table(
        plan=plan,
        list_path=entity.list_path,
        records_path=entity.records_path,
        params=dict(entity.params),
        fields=entity_fields(entity),
    )


def stored_tables(spec: ConnectorSpec, stored: list[Any], where: str) -> list[Table]:
    """The tables of a source's answers file (`where`), joined with its spec."""
    tables: list[Table] = []
    for index, raw in enumerate(stored):
        try:
            tables.append(join(spec, TablePlan.model_validate(raw)))
        except ValidationError as error:
            raise ScaffoldError(f"{where}: tables.{index}.{format_validation_error(error)}") from None
        except LookupError as error:
            raise ScaffoldError(f"{where}: tables.{index}.entity: {error.args[0]}") from None
    return tables


def entity_fields(entity: Entity) -> tuple[TableField, ...]:
    """The entity's fields, with its id (and cursor) first added when the spec lists none."""
    fields = [TableField(name=f.name, type=f.type) for f in entity.fields]
    names = {f.name for f in fields}
    if entity.id_field not in names:
        fields.insert(0, TableField(name=entity.id_field, type="string"))
    if entity.timestamp_field and entity.timestamp_field not in names:
        fields.append(TableField(name=entity.timestamp_field, type="datetime"))
    return tuple(fields)


def with_complete_fields(spec: ConnectorSpec) -> dict[str, Any]:
    """The spec as JSON with every entity's fields completed (see entity_fields)."""
    data = spec.model_dump(mode="json")
    for raw, entity in zip(data["entities"], spec.entities, strict=True):
        raw["fields"] = [f.model_dump() for f in entity_fields(entity)]
    return data


def table_name(entity: Entity) -> str:
    segments = [s for s in entity.list_path.split("/") if s and "{" not in s]
    # A format suffix is not part of the name: Shopify's /admin/api/VERSION/orders.json is the `orders` table.
    last = segments[-1].lower().removesuffix(".json").replace("-", "_") if segments else ""
    return last if IDENTIFIER.match(last) else entity.name


def default_ingestion(entity: Entity) -> IngestionType:
    cursor = entity.timestamp_field
    if not cursor or _cursor_type(entity) not in CURSOR_TYPES:
        return "snapshot"
    if cursor.lower().startswith(UPDATE_PREFIXES):
        return "cdc"
    return "append" if table_name(entity).endswith(IMMUTABLE_SUFFIXES) else "snapshot"


def _cursor_type(entity: Entity) -> str:
    types = {f.name: f.type for f in entity_fields(entity)}
    return types.get(entity.timestamp_field or "", "")


def plan_table(spec: ConnectorSpec, entity: Entity, name: str, ingestion_type: str | None) -> Table:
    kind = _ingestion_type(name, ingestion_type or default_ingestion(entity))
    cursor = entity.timestamp_field if kind != "snapshot" else None
    if kind != "snapshot" and (not cursor or _cursor_type(entity) not in CURSOR_TYPES):
        raise ScaffoldError(
            f"--ingestion-type {name}={kind}: {entity.name} has no integer or datetime cursor field "
            "(timestamp_field); use snapshot"
        )
    ranged = kind == "append" and spec.pagination.style == "cursor"
    plan = TablePlan(
        name=name,
        entity=entity.name,
        ingestion_type=kind,
        cursor_field=cursor,
        primary_key=entity.id_field,
        filter_gt=f"{cursor}[gt]" if ranged else None,
        filter_lte=f"{cursor}[lte]" if ranged else None,
    )
    return join(spec, plan)


def _ingestion_type(name: str, kind: str) -> IngestionType:
    for known in INGESTION_TYPES:
        if kind == known:
            return known
    raise ScaffoldError(f"--ingestion-type {name}={kind}: the type must be one of {', '.join(INGESTION_TYPES)}")


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
) -> tuple[list[Table], list[str]]:
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
    plans: list[Table] = []
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
