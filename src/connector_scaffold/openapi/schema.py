"""Read JSON Schemas (as OpenAPI writes them) for what a connector needs: object properties and their field types."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# OpenAPI/JSON Schema type -> the spec's FieldType.
_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
_MAX_DEPTH = 8  # allOf/anyOf chains deeper than this are cycles or generated noise


def properties(schema: Any, depth: int = 0) -> dict[str, Mapping[str, Any]]:
    """An object schema's properties, `allOf` parts merged in order; the first object branch of `anyOf`/`oneOf`."""
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
        return {}
    found: dict[str, Mapping[str, Any]] = {}
    for part in schema.get("allOf") or ():
        found.update(properties(part, depth + 1))
    own = schema.get("properties")
    if isinstance(own, Mapping):
        found.update({str(k): v for k, v in own.items() if isinstance(v, Mapping)})
    if not found:
        for key in ("anyOf", "oneOf"):
            for branch in schema.get(key) or ():
                branch_props = properties(branch, depth + 1)
                if branch_props:
                    return branch_props
    return found


def schema_type(schema: Any, depth: int = 0) -> str | None:
    """The JSON type of a schema: `type` (3.1 lists: the first non-null), else from its shape or its variants."""
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
        return None
    declared = schema.get("type")
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), None)
    if isinstance(declared, str):
        return declared
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(key) or ():
            found = schema_type(branch, depth + 1)
            if found and found != "null":
                return found
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return None


def schema_format(schema: Any, depth: int = 0) -> str | None:
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
        return None
    if isinstance(schema.get("format"), str):
        return str(schema["format"])
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(key) or ():
            found = schema_format(branch, depth + 1)
            if found:
                return found
    return None


def field_type(schema: Any) -> str:
    """The spec's FieldType for a property schema; strings with a date-time format are `datetime`."""
    json_type = schema_type(schema)
    if json_type == "string" and schema_format(schema) in ("date-time", "datetime"):
        return "datetime"
    if json_type in ("object", "array"):
        return json_type
    return _TYPES.get(json_type or "", "string")


def array_items(schema: Any) -> Mapping[str, Any] | None:
    """The item schema of an array schema, or None when the schema is not an array."""
    if schema_type(schema) != "array" or not isinstance(schema, Mapping):
        return None
    items = schema.get("items")
    if isinstance(items, Mapping):
        return items
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(key) or ():
            found = array_items(branch)
            if found is not None:
                return found
    return None


def description(schema: Any) -> str:
    return str(schema.get("description") or "") if isinstance(schema, Mapping) else ""
