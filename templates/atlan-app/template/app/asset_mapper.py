"""Pure functions mapping the API and what a run saw of it to pyatlan_v9 assets.

    APISpec    the source's API, one per connection       {connection}/{SOURCE_NAME}
    APIPath    every endpoint the app calls               {spec}{path}
    APIObject  every entity type, with its record count   {connection}/{entity}
    APIField   every field of an entity                   {object}/{field}

Every qualifiedName comes from the pyatlan creator that owns its grammar, and a
child names its parent (path -> spec, field -> object); a parent never lists its
children, so the publish step can order and diff them. Records themselves are
source data, not metadata: they stay in records/ and reach the catalog as counts
(see the README's "Atlan assets"). No file or network I/O and no clock here: equal
inputs, equal assets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from application_sdk.observability.logger_adaptor import get_logger
from pyatlan_v9.model.assets import APIField, APIObject, APIPath, APISpec

from app.drift import JsonSchema
from app.spec import BASE_URL, DESCRIPTION, DISPLAY_NAME, ENTITIES, ENTITIES_BY_NAME, SOURCE_NAME, EntityDef

logger = get_logger(__name__)

# Every endpoint the app calls is a GET; the catalog says so rather than leaving it blank.
OPERATIONS = ["GET"]

# An epoch number below this is in seconds (until the year 5138), above it in milliseconds.
_EPOCH_MILLIS_FROM = 100_000_000_000
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


@dataclass(frozen=True)
class EntityStats:
    """What one run saw of an entity: its record count and latest change timestamp."""

    records: int
    latest_change: str | None = None


@lru_cache(maxsize=8)
def spec_qualified_name(connection_qualified_name: str) -> str:
    """{connection}/{SOURCE_NAME}: the identifier, not the display name, so a rename keeps the asset."""
    spec = APISpec.creator(name=SOURCE_NAME, connection_qualified_name=connection_qualified_name)
    return str(spec.qualified_name)


@lru_cache(maxsize=256)
def object_qualified_name(connection_qualified_name: str, entity: str) -> str:
    api_object = APIObject.creator(name=entity, connection_qualified_name=connection_qualified_name)
    return str(api_object.qualified_name)


def _templated(path: str) -> bool:
    return "{" in path


def _set_source_url(asset: APIPath | APIObject, path: str) -> None:
    """A link a person can open; a templated path names no single URL, so it gets none
    (left unset, not null: a null would clear a URL someone set in Atlan)."""
    if not _templated(path):
        asset.source_url = BASE_URL + path


def epoch_millis(value: str | None) -> int | None:
    """A change timestamp (epoch seconds or milliseconds, or ISO 8601) as epoch milliseconds."""
    if value is None:
        return None
    if _NUMBER.fullmatch(value):
        number = float(value)
        return int(number if number >= _EPOCH_MILLIS_FROM else number * 1000)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        logger.warning(
            "Change timestamp %r is neither epoch nor ISO 8601; sourceUpdatedAt stays unset", value, exc_info=True
        )
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def map_api_spec(connection_qualified_name: str) -> APISpec:
    spec = APISpec.creator(name=SOURCE_NAME, connection_qualified_name=connection_qualified_name)
    spec.name = DISPLAY_NAME
    spec.description = DESCRIPTION or f"The {DISPLAY_NAME} REST API."
    spec.source_url = BASE_URL
    spec.api_is_auth_optional = False
    return spec


def _endpoints() -> dict[str, list[tuple[EntityDef, str]]]:
    """Every path the app calls, with the entities it serves and how ("list" or "detail")."""
    paths: dict[str, list[tuple[EntityDef, str]]] = {}
    for entity in ENTITIES:
        paths.setdefault(entity.list_path, []).append((entity, "list"))
        if entity.detail_path:
            paths.setdefault(entity.detail_path, []).append((entity, "detail"))
    return dict(sorted(paths.items()))


def _summary(entity: EntityDef, use: str) -> str:
    if use == "detail":
        return f"Get one {entity.name} by id"
    if entity.parent:
        return f"List the {entity.name} records of one {entity.parent}"
    return f"List every {entity.name}"


def map_api_paths(connection_qualified_name: str) -> list[APIPath]:
    spec_qn = spec_qualified_name(connection_qualified_name)
    assets: list[APIPath] = []
    for path, uses in _endpoints().items():
        asset = APIPath.creator(
            path_raw_uri=path,
            spec_qualified_name=spec_qn,
            connection_qualified_name=connection_qualified_name,
        )
        summaries = [_summary(entity, use) for entity, use in uses]
        asset.api_spec_name = DISPLAY_NAME
        asset.api_path_summary = "; ".join(summaries)
        asset.description = f"GET {path}: " + "; ".join(summaries) + "."
        asset.api_path_is_templated = _templated(path)
        asset.api_path_available_operations = list(OPERATIONS)
        # The object this endpoint returns: the path's link into the entity's fields.
        asset.api_is_object_reference = True
        asset.api_object_qualified_name = object_qualified_name(connection_qualified_name, uses[0][0].name)
        _set_source_url(asset, path)
        assets.append(asset)
    return assets


def _object_description(entity: EntityDef, stats: EntityStats) -> str:
    where = f"GET {entity.list_path}"
    if entity.parent:
        where += f", once per {entity.parent}"
    noun = "record" if stats.records == 1 else "records"
    return f"{DISPLAY_NAME} {entity.name} records, listed from {where}. {stats.records} {noun} in the last run."


def map_api_object(
    connection_qualified_name: str, entity: EntityDef, stats: EntityStats, field_count: int
) -> APIObject:
    asset = APIObject.creator(
        name=entity.name,
        connection_qualified_name=connection_qualified_name,
        api_field_count=field_count,
    )
    # APIObject has no relationship to its spec; these two attributes are the model's link to it.
    asset.api_spec_name = DISPLAY_NAME
    asset.api_spec_qualified_name = spec_qualified_name(connection_qualified_name)
    asset.description = _object_description(entity, stats)
    _set_source_url(asset, entity.list_path)
    changed = epoch_millis(stats.latest_change)
    if changed is not None:
        asset.source_updated_at = changed
    return asset


def _referenced_entity(entity: EntityDef, field: str) -> str | None:
    """The entity a field points at by name (`customer` or `customer_id` holds a customer's id)."""
    if field == entity.id_field:
        return None
    for candidate in (field, field.removesuffix("_id")):
        if candidate in ENTITIES_BY_NAME:
            return candidate
    return None


def _field_description(entity: EntityDef, name: str, declared: str | None, observed: list[str]) -> str:
    if declared is None:
        seen = "|".join(observed) or "null"
        return f"Returned by {DISPLAY_NAME} in {entity.name} records but not in the connector spec (seen as {seen})."
    text = f"{declared.capitalize()} field of {entity.name}."
    if name == entity.id_field:
        text += " Identifies each record."
    if name == entity.timestamp_field:
        text += " Change timestamp: the watermark of each run."
    referenced = _referenced_entity(entity, name)
    if referenced:
        text += f" Holds the id of a {referenced}."
    return text


def entity_fields(entity: EntityDef, schema: JsonSchema) -> dict[str, tuple[str | None, list[str]]]:
    """Every field to catalogue, sorted: the spec's with their declared type, then any the source added."""
    observed = {name: [t for t in types if t != "null"] for name, types in schema.get(entity.name, {}).items()}
    declared = {field.name: field.type for field in entity.fields}
    names = sorted(set(declared) | set(observed))
    return {name: (declared.get(name), observed.get(name, [])) for name in names}


def map_api_fields(connection_qualified_name: str, entity: EntityDef, schema: JsonSchema) -> list[APIField]:
    object_qn = object_qualified_name(connection_qualified_name, entity.name)
    assets: list[APIField] = []
    for name, (declared, observed) in entity_fields(entity, schema).items():
        referenced = _referenced_entity(entity, name)
        asset = APIField.creator(
            name=name,
            parent_api_object_qualified_name=object_qn,
            connection_qualified_name=connection_qualified_name,
            api_field_type=declared or "|".join(observed) or "null",
            is_api_object_reference=referenced is not None,
            reference_api_object_qualified_name=(
                object_qualified_name(connection_qualified_name, referenced) if referenced else None
            ),
        )
        asset.api_spec_name = DISPLAY_NAME
        asset.api_spec_qualified_name = spec_qualified_name(connection_qualified_name)
        asset.description = _field_description(entity, name, declared, observed)
        assets.append(asset)
    return assets
