"""Import an OpenAPI 3.0/3.1 or Swagger 2.0 document as ConnectorSpec data, saying what was inferred and why.

`import_openapi(path)` returns plain spec data (what an answers file holds) and every inference with its evidence
and a confidence; nothing here imports pydantic, the caller validates the data with `spec.load_spec`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonref

from connector_scaffold.errors import ScaffoldError
from connector_scaffold.openapi import schema as js
from connector_scaffold.openapi.auth import infer_auth
from connector_scaffold.openapi.document import Document, OpenAPIError
from connector_scaffold.openapi.entities import (
    Collection,
    detail_step,
    fields_of,
    find_collection,
    find_parent,
    id_field,
    required_query,
    timestamp_field,
)
from connector_scaffold.openapi.inference import HIGH, LOW, MEDIUM, Inference
from connector_scaffold.openapi.naming import display_name, entity_name, identifier, source_name
from connector_scaffold.openapi.pagination import Paging, choose_pagination, infer_paging

__all__ = ["Inference", "OpenAPIError", "OpenAPIImport", "import_openapi"]


@dataclass(frozen=True)
class OpenAPIImport:
    data: dict[str, Any]
    inferences: list[Inference]
    title: str
    version: str
    entities_found: int
    paths: int


def import_openapi(path: Path, name: str | None = None, select: tuple[str, ...] = ()) -> OpenAPIImport:
    """Spec data from the document at `path`; `select` names entities (by name or list path) to keep."""
    try:
        return _import(path, name, select)
    except jsonref.JsonRefError as error:  # a lazy $ref fails where it is first read
        cause = error.cause if isinstance(error.cause, ScaffoldError) else error
        raise OpenAPIError(f"{path}: {cause}".replace("\n", " ")) from None


def _import(path: Path, name: str | None, select: tuple[str, ...]) -> OpenAPIImport:
    doc = Document(path)
    title = str(doc.info.get("title") or path.stem)
    notes: list[Inference] = []
    collections = _collections(doc, notes)
    kept = _resolve_parents(doc, collections, notes)
    _name(kept)
    chosen = _select(kept, select, notes)
    base_url, base_note = _base_url(doc, name or source_name(title))
    auth, auth_note = infer_auth(doc)
    entities: list[dict[str, Any]] = []
    pagings: dict[str, Paging] = {}
    for collection in chosen:
        entities.append(_entity(doc, collection, notes))
        pagings[collection.name] = infer_paging(doc, collection.operation, collection.body)
    pagination, paging_notes = choose_pagination(pagings)
    data: dict[str, Any] = {
        "source_name": name or source_name(title),
        "display_name": display_name(title),
        "description": f"Imported from the OpenAPI description {title!r} ({doc.info.get('version', 'no version')}).",
        "base_url": base_url,
        "auth": auth,
        "pagination": pagination,
        "entities": entities,
        "generic": False,
    }
    head = [base_note, auth_note, *paging_notes]
    found = Inference("entities", str(len(entities)), f"{len(kept)} collection GET endpoints found", HIGH)
    return OpenAPIImport(data, [*head, found, *notes], title, doc.version, len(kept), len(doc.root["paths"]))


def _collections(doc: Document, notes: list[Inference]) -> list[Collection]:
    found = []
    for operation in doc.operations():
        collection = find_collection(doc, operation)
        if collection is None:
            continue
        needs = required_query(operation)
        if operation.spec.get("deprecated"):
            notes.append(Inference(operation.path, "skipped", "the operation is deprecated", HIGH))
        elif needs:
            notes.append(Inference(operation.path, "skipped", f"needs query parameter(s) {', '.join(needs)}", HIGH))
        else:
            statics = [s for s in operation.path.split("/") if s and not s.startswith("{")]
            collection.name = entity_name(statics, 1)
            props = js.properties(collection.item)
            collection.id_field = id_field(props, collection.name)[0]
            collection.fields = fields_of(props, collection.name)[0]
            found.append(collection)
    return found


def _resolve_parents(doc: Document, collections: list[Collection], notes: list[Inference]) -> list[Collection]:
    """Top-level collections, and children whose placeholders a kept parent's records fill (parents first)."""
    by_path = {c.path: c for c in collections}
    kept: list[Collection] = []
    dropped: set[str] = set()
    for collection in sorted(collections, key=lambda c: (len(c.placeholders), c.path)):
        if not collection.placeholders:
            collection.list_path = collection.path
            kept.append(collection)
            continue
        found = find_parent(doc, collection, by_path)
        if isinstance(found, str) or found[0].path in dropped or not found[0].list_path:
            reason = found if isinstance(found, str) else f"its parent {found[0].path} was skipped"
            notes.append(Inference(collection.path, "skipped", reason, MEDIUM))
            dropped.add(collection.path)
            continue
        collection.parent, collection.list_path, collection.parent_note = found
        kept.append(collection)
    return kept


def _name(collections: list[Collection]) -> None:
    """Unique entity names, parents first: `line`, then `invoice_line` when `line` is taken."""
    taken: set[str] = set()

    def statics(c: Collection) -> list[str]:
        return [s for s in c.path.split("/") if s and not s.startswith("{")]

    # Shallow, short paths first: /repositories is `repository`, /installation/repositories `installation_repository`.
    for collection in sorted(collections, key=lambda c: (c.depth, len(statics(c)), c.path)):
        statics_of = statics(collection)
        parent = collection.parent
        for words in range(1, len(statics_of) + 1):
            name = entity_name(statics_of, words)
            if parent is not None and not name.startswith(parent.name):
                name = f"{parent.name}_{name}"  # a child reads as its parent's: invoice_line, repo_issue
            if name not in taken:
                break
        else:
            name = f"{entity_name(statics_of, len(statics_of))}_{len(taken)}"
        collection.name = name
        taken.add(name)


def _select(kept: list[Collection], select: tuple[str, ...], notes: list[Inference]) -> list[Collection]:
    ordered = sorted(kept, key=lambda c: (c.depth, c.path))
    if not select:
        return ordered
    wanted: set[str] = set()
    for text in select:
        match = next((c for c in kept if text in (c.name, c.path, c.list_path)), None)
        if match is None:
            known = ", ".join(sorted(c.name for c in kept)[:20])
            raise ScaffoldError(f"--entity {text!r} is not a collection of the document (some found: {known})")
        while match is not None:
            if match.path not in wanted and match.name != text and match.path != text:
                notes.append(Inference(match.name, "added", "the parent of a selected entity", HIGH))
            wanted.add(match.path)
            match = match.parent
    return [c for c in ordered if c.path in wanted]


def _entity(doc: Document, collection: Collection, notes: list[Inference]) -> dict[str, Any]:
    props = js.properties(collection.item)
    name = collection.name
    notes.append(Inference(name, collection.list_path, collection.evidence, collection.confidence))
    id_name, id_note = id_field(props, name)
    stamp, stamp_note = timestamp_field(props, name)
    fields, field_notes = fields_of(props, name)
    detail, detail_note = detail_step(doc, collection)
    if collection.parent_note is not None:
        note = collection.parent_note
        notes.append(Inference(f"{name}.parent", note.value, note.evidence, note.confidence))
    notes.extend([id_note, stamp_note, *field_notes, *([detail_note] if detail_note else [])])
    entity: dict[str, Any] = {"name": name, "list_path": collection.list_path, "records_path": collection.records_path}
    entity["id_field"] = id_name
    if stamp:
        entity["timestamp_field"] = stamp
    if collection.parent is not None:
        entity["parent"] = collection.parent.name
    if detail:
        entity["detail_path"] = detail
    entity["fields"] = fields
    return entity


def _base_url(doc: Document, name: str) -> tuple[str, Inference]:
    urls = doc.server_urls()
    https = [u.rstrip("/") for u in urls if u.startswith("https://") and len(u) > len("https://")]
    if https:
        confidence = HIGH if len(https) == 1 else MEDIUM
        return https[0], Inference("base_url", https[0], f"the first https server of {len(urls)}", confidence)
    placeholder = f"https://api.{identifier(name)}.example.com"
    evidence = f"no https server in the document ({', '.join(urls) or 'none'}); edit base_url"
    return placeholder, Inference("base_url", placeholder, evidence, LOW)
