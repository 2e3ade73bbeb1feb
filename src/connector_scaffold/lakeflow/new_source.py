"""`scaffold new-connector NAME --target lakeflow`: spec -> table plan -> Copier render (+ the checkout's merge
script) -> ChangeSet -> dry run or atomic apply -> report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connector_scaffold.changeset import ChangeSet
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.lakeflow.build import merged_source, render_source
from connector_scaffold.lakeflow.checkout import SourceLayout, find_checkout
from connector_scaffold.lakeflow.tables import parse_ingestion, plan_tables, with_complete_fields
from connector_scaffold.new_connector import NewConnectorRequest, note_generic, show_or_apply
from connector_scaffold.spec_sources import ResolvedSpec, resolve_spec


@dataclass(frozen=True)
class LakeflowSourceRequest(NewConnectorRequest):
    """new-connector's request; `dest` is the checkout root, and the tables and their ingestion types may be named."""

    tables: tuple[str, ...] = ()
    ingestion: tuple[str, ...] = ()


@dataclass
class LakeflowSourcePlan:
    resolved: ResolvedSpec
    root: Path
    layout: SourceLayout
    tables: list[dict[str, Any]]
    changes: ChangeSet
    notes: list[str]


def plan(request: LakeflowSourceRequest) -> LakeflowSourcePlan:
    """Everything up to, not including, writing."""
    resolved = resolve_spec(request.name, request.answers_file, request.options, strict=request.strict)
    spec = resolved.spec
    root = find_checkout(request.dest)
    layout = SourceLayout(spec.source_name)
    tables, notes = plan_tables(spec, request.tables, parse_ingestion(request.ingestion))
    if (root / layout.folder).is_dir() and any((root / layout.folder).iterdir()) and not request.force:
        raise ScaffoldError(
            f"source {spec.source_name!r} already exists ({layout.folder}); pass --force to re-render the files "
            f"the template owns, or `scaffold add-table` to add a table"
        )
    files = render_source(root, spec.source_name, with_complete_fields(spec), tables)
    merged = merged_source(root, layout, files)
    if merged is None:
        notes.append(f"no merge script in this checkout: run tools/scripts/merge_python_source.py {spec.source_name}")
    else:
        files[layout.merged] = merged
    changes = ChangeSet(root)
    for path, data in sorted(files.items()):
        changes.put(path, data, overwrite=request.force)
    changes.validate()
    return LakeflowSourcePlan(resolved, root, layout, tables, changes, notes)


def run(request: LakeflowSourceRequest, out: Callable[[str], None], err: Callable[[str], None]) -> int:
    result = plan(request)
    spec = result.resolved.spec
    note_generic(spec, err)
    for note in result.notes:
        err(f"note: {note}")
    written = show_or_apply(result.changes, result.root, request.dry_run, out)
    if written is None:
        return 0
    origin = result.resolved.origin
    out(f"{spec.display_name} Lakeflow source ({origin}) written to {result.root}: {len(written)} file(s)")
    out("tables: " + ", ".join(f"{t['name']} ({t['ingestion_type']})" for t in result.tables))
    out("next:")
    out(f"  pytest {result.layout.tests}/")
    out(f"  scaffold add-table TABLE --source {spec.source_name}   # more tables, one at a time")
    return 0
