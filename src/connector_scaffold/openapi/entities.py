"""Entities from collection GET endpoints: records, id, fields, change timestamp, parent and detail step."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from connector_scaffold.openapi import schema as js
from connector_scaffold.openapi.document import Document, Operation, ref_name
from connector_scaffold.openapi.inference import HIGH, LOW, MEDIUM, Inference

_RECORD_KEYS = ("data", "items", "results", "records", "entries", "values", "value", "list", "elements", "content")
_PAGING_QUERY = {"limit", "per_page", "page", "page_size", "offset", "cursor", "starting_after", "ending_before"}
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_UPDATE_WORDS = ("updated", "modified", "changed", "edited", "lastmod", "modstamp", "mtime")
_CREATE_WORDS = ("created", "creation", "inserted")
# A joined run of placeholders ({owner}/{repo}) is one key in the parent record under one of these names.
_JOINED_KEYS = ("full_name", "path", "slug", "path_with_namespace")


@dataclass
class Collection:
    """A GET endpoint that returns a list of objects."""

    path: str
    operation: Operation
    records_path: str
    item: Mapping[str, Any]
    body: dict[str, Mapping[str, Any]]
    evidence: str
    confidence: str
    name: str = ""
    parent: Collection | None = None
    list_path: str = ""
    id_field: str = "id"
    fields: list[dict[str, str]] = field(default_factory=list)
    parent_note: Inference | None = None

    @property
    def placeholders(self) -> list[str]:
        return [n for _, n, _, _ in string.Formatter().parse(self.path) if n]

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def _is_placeholder(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def find_collection(doc: Document, operation: Operation) -> Collection | None:
    """The operation as a collection, or None: a path ending in a parameter is a detail, not a list."""
    segments = _segments(operation.path)
    if not segments or _is_placeholder(segments[-1]):
        return None
    response = doc.success_response(operation)
    schema = doc.response_schema(response) if response else None
    if schema is None:
        return None
    items = js.array_items(schema)
    if items is not None:
        if js.schema_type(items) != "object" and not js.properties(items):
            return None
        return Collection(operation.path, operation, "", items, {}, "the response is a JSON array", HIGH)
    body = js.properties(schema)
    arrays = {k: items for k, v in body.items() if (items := js.array_items(v)) is not None and js.properties(items)}
    if not arrays:
        return None
    preferred = [k for k in arrays if k.lower() in _RECORD_KEYS]
    if preferred:
        key, confidence = preferred[0], HIGH
    elif len(arrays) == 1 and len(body) <= 4 and "id" not in body:  # an envelope, not a record with a list field
        key, confidence = next(iter(arrays)), MEDIUM
    else:
        return None
    evidence = f"the response holds the list of objects under {key!r}"
    return Collection(operation.path, operation, key, arrays[key], body, evidence, confidence)


def required_query(operation: Operation) -> list[str]:
    """Required query parameters the extractor has no value for (search terms and the like)."""
    return sorted(
        str(p.get("name"))
        for p in operation.parameters
        if p.get("in") == "query" and p.get("required") and str(p.get("name")) not in _PAGING_QUERY
    )


def id_field(props: Mapping[str, Any], name: str) -> tuple[str, Inference]:
    subject = f"{name}.id_field"
    if "id" in props:
        return "id", Inference(subject, "id", "the record has an `id` property", HIGH)
    for candidate in (f"{name}_id", f"{name}Id", "uuid", "key", "_id"):
        if candidate in props:
            return candidate, Inference(subject, candidate, f"no `id`; {candidate!r} names the record", MEDIUM)
    formatted = [k for k, v in props.items() if js.schema_format(v) == "uuid"]
    if formatted:
        return formatted[0], Inference(subject, formatted[0], "no `id`; the first uuid-formatted property", LOW)
    return "id", Inference(subject, "id (assumed)", "the record schema names no id property", LOW)


def _timestamp_score(key: str, prop: Mapping[str, Any]) -> int:
    """3: an update time, 1: a creation time, 0: some other time, -1: not a time at all."""
    kind = js.field_type(prop)
    words = key.lower().replace("_", "")
    epoch = kind in ("integer", "number") and (
        "epoch" in js.description(prop).lower() or words in ("created", "updated", "modified") or key.endswith("_at")
    )
    is_time = kind == "datetime" or epoch or (kind == "string" and js.schema_format(prop) == "date")
    if not is_time or words.endswith("by"):
        return -1
    if any(w in words for w in _UPDATE_WORDS):
        return 3
    if any(w in words for w in _CREATE_WORDS):
        return 1
    return 0


def timestamp_field(props: Mapping[str, Mapping[str, Any]], name: str) -> tuple[str | None, Inference]:
    """The change timestamp: an update time beats a creation time; any other time is only a candidate."""
    subject = f"{name}.timestamp_field"
    scored = [(s, k) for k, v in props.items() if (s := _timestamp_score(k, v)) >= 0]
    best = max((s for s, _ in scored), default=-1)
    if best < 1:
        others = ", ".join(k for _, k in scored) or "none"
        return None, Inference(
            subject, "none", f"no update or creation time among the properties (times: {others})", LOW
        )
    top = [k for s, k in scored if s == best]
    chosen = top[0]
    kind = js.field_type(props[chosen])
    what = "an update time" if best == 3 else "a creation time: finds new records, not edited ones"
    evidence = f"{chosen!r} ({kind}) is {what}"
    confidence = HIGH if best == 3 else MEDIUM
    if len(top) > 1:
        evidence += f"; also candidates: {', '.join(top[1:])}"
        confidence = MEDIUM if best == 3 else LOW
    return chosen, Inference(subject, chosen, evidence, confidence)


def fields_of(props: Mapping[str, Mapping[str, Any]], name: str) -> tuple[list[dict[str, str]], list[Inference]]:
    fields, notes = [], []
    skipped = [k for k in props if not _FIELD_NAME.match(k)]
    for key, prop in props.items():
        if _FIELD_NAME.match(key):
            fields.append({"name": key, "type": js.field_type(prop)})
    if skipped:
        notes.append(Inference(f"{name}.fields", "skipped " + ", ".join(skipped), "not plain JSON keys", LOW))
    return fields, notes


def find_parent(
    doc: Document, child: Collection, by_path: Mapping[str, Collection]
) -> tuple[Collection, str, Inference] | str:
    """The collection whose records fill the child's placeholders, and the child's list path in the parent's fields.

    Returns the reason as a string when there is none."""
    segments = _segments(child.path)
    last = max(i for i, s in enumerate(segments) if _is_placeholder(s))
    first = last
    while first > 0 and _is_placeholder(segments[first - 1]):
        first -= 1
    run = [s[1:-1] for s in segments[first : last + 1]]
    prefix = "/" + "/".join(segments[:first])
    parent, how = by_path.get(prefix), f"{prefix} lists the records behind {{{run[-1]}}}"
    if parent is None or parent is child:
        parent, how = _parent_by_schema(doc, "/" + "/".join(segments[: last + 1]), by_path, child)
    if parent is None:
        return f"no collection lists the records behind {'/'.join('{' + r + '}' for r in run)}"
    parent_fields = {f["name"] for f in parent.fields}
    if len(run) == 1:
        key = parent.id_field
        confidence = HIGH if run[0] in ("id", parent.id_field) or run[0].startswith(parent.name) else MEDIUM
    else:
        key = next((k for k in _JOINED_KEYS if k in parent_fields), "")
        if not key:
            return f"{'/'.join(run)} is several path parameters and {parent.path} has no full_name-like field"
        confidence, how = LOW, how + f"; {{{'}/{'.join(run)}}} joined as {key!r}"
    filled = [*segments[:first], "{" + key + "}", *segments[last + 1 :]]
    for i, segment in enumerate(filled[:first]):
        if _is_placeholder(segment):
            name = segment[1:-1]
            if name not in parent_fields:
                return f"{{{name}}} is not a field of the parent {parent.path}'s records"
            filled[i] = segment
    return parent, "/" + "/".join(filled), Inference("parent", parent.path, how, confidence)


def _parent_by_schema(
    doc: Document, detail_path: str, by_path: Mapping[str, Collection], child: Collection
) -> tuple[Collection | None, str]:
    """A collection whose records are what the detail endpoint at `detail_path` returns (by schema name)."""
    operation = doc.get_operation(detail_path)
    response = doc.success_response(operation) if operation else None
    schema = doc.response_schema(response) if response else None
    detail = ref_name(schema) if schema is not None else None
    if not detail:
        return None, ""
    candidates = []
    for path, other in by_path.items():
        item = ref_name(other.item)
        if other is child or not item or other.placeholders:
            continue
        if item == detail or detail.endswith(("-" + item, "_" + item)):
            candidates.append((item != detail, len(path), path, other))
    if not candidates:
        return None, ""
    _, _, path, parent = min(candidates, key=lambda c: c[:3])
    return parent, f"GET {detail_path} returns {detail!r}, the records {path} lists"


def detail_step(doc: Document, collection: Collection) -> tuple[str | None, Inference | None]:
    """`{id}` sibling: used only when it returns more fields than the list does (else it is one request per record
    for nothing)."""
    siblings = doc.parameter_children(collection.path)
    if not siblings or collection.parent is not None:
        return None, None
    path = str(siblings[0])
    operation = doc.get_operation(path)
    response = doc.success_response(operation) if operation else None
    schema = doc.response_schema(response) if response else None
    if schema is None:
        return None, None
    listed, detailed = set(js.properties(collection.item)), set(js.properties(schema))
    subject = f"{collection.name}.detail_path"
    extra = sorted(detailed - listed)
    if not extra:
        return None, Inference(subject, "none", f"GET {path} returns no field the list lacks", HIGH)
    template = collection.path + "/{id}"
    evidence = f"GET {path} adds {len(extra)} field(s) to the listed ones ({', '.join(extra[:4])}...)"
    return template, Inference(subject, template, evidence, MEDIUM)
