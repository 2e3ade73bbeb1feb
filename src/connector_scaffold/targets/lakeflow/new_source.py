"""A new Lakeflow source: spec -> table plan -> Copier render (+ the checkout's merge script) -> ChangeSet, and the
report once written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from connector_scaffold.changeset import ChangeSet
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.spec_sources import resolve_spec
from connector_scaffold.targets.base import NewConnectorPlan, NewConnectorRequest
from connector_scaffold.targets.lakeflow.build import merged_source, render_source
from connector_scaffold.targets.lakeflow.checkout import MERGE_SCRIPT, SourceLayout, find_checkout
from connector_scaffold.targets.lakeflow.tables import Table, parse_ingestion, plan_tables, with_complete_fields


@dataclass
class LakeflowSourcePlan(NewConnectorPlan):
    layout: SourceLayout = field(default_factory=lambda: SourceLayout(""))
    tables: list[Table] = field(default_factory=list)


def plan(request: NewConnectorRequest) -> LakeflowSourcePlan:
    """Everything up to, not including, writing; `dest` is the checkout root."""
    resolved = resolve_spec(request.name, request.answers_file, request.options, strict=request.strict)
    spec = resolved.spec
    root = find_checkout(request.dest)
    layout = SourceLayout(spec.source_name)
    tables, notes = plan_tables(
        spec, request.target_option("tables"), parse_ingestion(request.target_option("ingestion"))
    )
    existing = (root / layout.folder).is_dir() and any((root / layout.folder).iterdir())
    if existing and not (root / layout.answers).is_file():
        # No answers file: nobody can tell which of its files a template owns, so --force would overwrite
        # hand-written code and leave the rest orphaned next to the render.
        raise ScaffoldError(
            f"source {spec.source_name!r} already exists ({layout.folder}) and was not generated (no "
            f"{layout.answers}); --force never replaces files no template owns: add tables with "
            f"`scaffold add-table TABLE --source {spec.source_name}`"
        )
    if existing and not request.force:
        raise ScaffoldError(
            f"source {spec.source_name!r} already exists ({layout.folder}); pass --force to re-render the files "
            f"the template owns, `scaffold update` to merge a newer template, or `scaffold add-table` to add a table"
        )
    files = render_source(root, spec.source_name, with_complete_fields(spec), tables)
    # A dry run executes nothing from the user's tree, and the merge script is the checkout's own code.
    merged = None if request.dry_run else merged_source(root, layout, files)
    if request.dry_run:
        notes.append(f"dry run: {MERGE_SCRIPT} (the checkout's code) not run; a real run also writes {layout.merged}")
    elif merged is None:
        notes.append(f"no merge script in this checkout: run tools/scripts/merge_python_source.py {spec.source_name}")
    else:
        files[layout.merged] = merged
    if existing:
        notes.extend(_orphans(root, layout, files))
    changes = ChangeSet(root)
    for path, data in sorted(files.items()):
        changes.put(path, data, overwrite=request.force)
    changes.validate()
    return LakeflowSourcePlan(resolved, root, changes, notes, layout, tables)


def _orphans(root: Path, layout: SourceLayout, files: dict[str, bytes]) -> list[str]:
    """Files of the source's folders that this render does not write (a table since dropped, a hand-added
    module): left as they are, and named."""
    found = []
    for folder in (layout.folder, layout.simulator, layout.tests):
        for path in sorted((root / folder).rglob("*") if (root / folder).is_dir() else []):
            relative = path.relative_to(root).as_posix()
            skipped = "__pycache__" in path.parts or any(p.endswith(".egg-info") for p in path.parts)
            if path.is_file() and not skipped and relative not in files:
                found.append(f"{relative}: not written by the template; left as it is")
    return found


def report(plan: NewConnectorPlan, written: list[str]) -> list[str]:
    if not isinstance(plan, LakeflowSourcePlan):
        raise TypeError("the lakeflow target reports its own plans only")
    spec = plan.resolved.spec
    return [
        f"{spec.display_name} Lakeflow source ({plan.resolved.origin}) written to {plan.root}: {len(written)} file(s)",
        "tables: " + ", ".join(f"{t.name} ({t.ingestion_type})" for t in plan.tables),
        "next:",
        f"  pytest {plan.layout.tests}/",
        f"  scaffold add-table TABLE --source {spec.source_name}   # more tables, one at a time",
    ]
