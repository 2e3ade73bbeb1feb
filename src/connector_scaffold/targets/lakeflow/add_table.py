"""`scaffold add-table TABLE [--source S]`: the table's definition (the source's stored spec, the catalog, or
options) -> the template rendered for that one table -> a libcst codemod on the source's table dicts, and the
table's lines carried into README, api doc, endpoints, corpus and table config -> ChangeSet -> dry run or atomic
apply -> report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from connector_scaffold.changeset import ChangeSet
from connector_scaffold.codemods.lakeflow import add_table as lakeflow_add_table
from connector_scaffold.codemods.nesting import NestedTooDeeply, check_depth
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.spec import SpecError, check_identifier, load_spec
from connector_scaffold.spec_sources import resolve_spec
from connector_scaffold.targets.lakeflow.build import merged_source, render_source
from connector_scaffold.targets.lakeflow.checkout import MERGE_SCRIPT, SourceLayout, find_checkout, infer_source
from connector_scaffold.targets.lakeflow.docs import (
    EndpointsLayoutError,
    add_endpoint,
    add_table_config,
    add_table_to_markdown,
)
from connector_scaffold.targets.lakeflow.tables import (
    Table,
    find_entity,
    plan_table,
    stored_tables,
    with_complete_fields,
)


@dataclass(frozen=True)
class AddTableRequest:
    table: str
    source: str | None = None
    dest: Path | None = None
    ingestion_type: str | None = None
    list_path: str | None = None
    fields: tuple[str, ...] = ()
    cursor: str | None = None
    primary_key: str = "id"
    records_key: str = ""
    dry_run: bool = False


@dataclass
class AddTablePlan:
    root: Path
    layout: SourceLayout
    table: Table
    changes: ChangeSet
    notes: list[str] = field(default_factory=list)


def plan(request: AddTableRequest) -> AddTablePlan:
    try:
        wanted = check_identifier(request.table, "table name")
    except ValueError as error:
        raise ScaffoldError(str(error)) from None
    root = find_checkout(request.dest)
    layout = SourceLayout(infer_source(root, request.source))
    stored = _stored_answers(root, layout)
    spec_data = stored["spec"] if stored else _spec_data(layout.name)
    spec_data = _with_entity(spec_data, wanted, request)
    spec = load_spec(spec_data)
    tables = stored_tables(spec, stored["tables"], layout.answers) if stored else []
    found = find_entity(spec, wanted)
    child = next((e for e in spec.entities if e.parent and wanted == e.name), None)
    if found is None and child is not None:
        raise ScaffoldError(
            f"{wanted} is a child of {child.parent}: its fan-out over each {child.parent} is not generated; "
            "add it by hand"
        )
    if found is None:
        raise ScaffoldError(
            f"{wanted!r} is not a table of the {layout.name} spec; describe it with --list-path (and --field "
            "NAME:TYPE, --cursor) to add a table the spec does not know"
        )
    name, entity = found
    if request.list_path is not None:
        name = wanted  # the table described by options is named by TABLE, not by its path
    existing = next((t for t in tables if t.name == name), None)
    table = existing or plan_table(spec, entity, name, request.ingestion_type)
    spec_json = with_complete_fields(spec)
    one = render_source(root, layout.name, spec_json, [table])
    files, notes = _patched(root, layout, one, name)
    if stored:
        all_tables = tables if existing else [*tables, table]
        files[layout.answers] = render_source(root, layout.name, spec_json, all_tables)[layout.answers]
    # A dry run executes nothing from the user's tree, and the merge script is the checkout's own code.
    if request.dry_run:
        notes.append(f"dry run: {MERGE_SCRIPT} (the checkout's code) not run; a real run also updates {layout.merged}")
    elif (merged := merged_source(root, layout, {**_source_files(root, layout), **files})) is not None:
        files[layout.merged] = merged
    changes = ChangeSet(root)
    for path, data in sorted(files.items()):
        changes.put(path, data)
    changes.validate()
    return AddTablePlan(root, layout, table, changes, notes)


def _stored_answers(root: Path, layout: SourceLayout) -> dict[str, Any] | None:
    path = root / layout.answers
    if not path.is_file():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data.get("spec"), dict) or not isinstance(data.get("tables"), list):
        raise ScaffoldError(f"{layout.answers}: expected `spec` and `tables`; re-create it with new-connector --force")
    return data


def _spec_data(source: str) -> dict[str, Any]:
    """A hand-written source: its catalog spec when the catalog knows it, else the generic one."""
    return resolve_spec(source).spec.model_dump(mode="json")


def _with_entity(spec_data: dict[str, Any], name: str, request: AddTableRequest) -> dict[str, Any]:
    """The spec with the table described by the options added as an entity (nothing to add without --list-path)."""
    if request.list_path is None:
        if request.fields or request.cursor:
            raise ScaffoldError("--field and --cursor describe a new table: give its --list-path too")
        return spec_data
    fields = []
    for text in request.fields:
        field_name, _, field_type = text.partition(":")
        fields.append({"name": field_name.strip(), "type": field_type.strip() or "string"})
    entity = {
        "name": name,
        "list_path": request.list_path,
        "records_path": request.records_key,
        "id_field": request.primary_key,
        "timestamp_field": request.cursor,
        "fields": fields,
    }
    others = [e for e in spec_data["entities"] if e["name"] != name]
    data = {**spec_data, "entities": [*others, entity]}
    try:
        load_spec(data)
    except SpecError as error:
        raise ScaffoldError(f"table {name}: {error}") from None
    return data


def _source_files(root: Path, layout: SourceLayout) -> dict[str, bytes]:
    folder = root / layout.folder
    # Regular files only: a FIFO named like a module would block the read.
    return {f"{layout.folder}/{p.name}": p.read_bytes() for p in sorted(folder.glob("*.py")) if p.is_file()}


def _patched(root: Path, layout: SourceLayout, one: dict[str, bytes], table: str) -> tuple[dict[str, bytes], list[str]]:
    """The source's files with `table` added; `one` is the template rendered for that table alone."""
    from connector_scaffold.formatting import format_like

    modules = {
        path: data.decode("utf-8")
        for path, data in _source_files(root, layout).items()
        if not Path(path).name.startswith(("__init__", "_generated_"))
    }
    handler = layout.handler
    checked: dict[str, str | bytes] = dict(modules)
    if (root / handler).is_file():
        checked[handler] = (root / handler).read_bytes()
    for path, code in checked.items():
        try:
            check_depth(code)
        except NestedTooDeeply as error:
            raise ScaffoldError(f"{path}:{error.line}: {error}; nothing written") from None
    extend = lakeflow_add_table
    try:
        changed = extend.add_table(modules, layout.module, one[layout.module].decode("utf-8"), table)
    except (extend.NotTableDriven, extend.CannotExtend) as error:
        raise ScaffoldError(f"{error}; nothing written") from None
    if (root / handler).is_file() and handler in one:
        code = (root / handler).read_text(encoding="utf-8")
        added = extend.add_to_table_dicts(handler, code, one[handler].decode("utf-8"), table)
        if added != code:
            changed[handler] = added
    encoded = {path: code.encode("utf-8") for path, code in changed.items()}
    # A generated source is ruff-formatted as a whole, so formatting it again touches only the added lines; a
    # hand-written one keeps the codemod's output, which changes nothing but the lines it adds.
    files = format_like(root, encoded) if (root / layout.answers).is_file() else encoded
    notes: list[str] = []
    for path in (layout.readme, layout.api_doc):
        current = root / path
        if not current.is_file():
            notes.append(f"{path} does not exist: document {table} by hand")
            continue
        text, missing = add_table_to_markdown(current.read_text(encoding="utf-8"), one[path].decode("utf-8"), table)
        files[path] = text.encode("utf-8")
        notes.extend(f"{path}: no '{heading}' table to add {table} to; add it by hand" for heading in missing)
    endpoints = root / layout.endpoints
    if endpoints.is_file():
        try:
            text = add_endpoint(endpoints.read_text(encoding="utf-8"), one[layout.endpoints].decode("utf-8"))
        except EndpointsLayoutError as error:
            raise ScaffoldError(f"{layout.endpoints}: {error}; nothing written") from None
        files[layout.endpoints] = text.encode("utf-8")
    else:
        notes.append(f"{layout.endpoints} does not exist: the simulator cannot serve {table}")
    if not (root / layout.corpus(table)).is_file():
        files[layout.corpus(table)] = one[layout.corpus(table)]
    config = root / layout.table_config
    if config.is_file():
        rendered = one[layout.table_config].decode("utf-8")
        try:
            files[layout.table_config] = add_table_config(config.read_text(encoding="utf-8"), rendered, table).encode()
        except ValueError as error:
            raise ScaffoldError(f"{layout.table_config}: {error}; nothing written") from None
    return files, notes
