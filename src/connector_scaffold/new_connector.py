"""`scaffold new-connector`: spec -> Copier render -> ChangeSet -> dry run or atomic apply -> report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from connector_scaffold.catalog import catalog_names
from connector_scaffold.changeset import ChangeSet, Status
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.spec import ConnectorSpec
from connector_scaffold.spec_sources import ResolvedSpec, SpecOptions, resolve_spec

APP_TEST_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest"


@dataclass(frozen=True)
class NewConnectorRequest:
    name: str
    dest: Path | None = None
    answers_file: Path | None = None
    options: SpecOptions = field(default_factory=SpecOptions)
    strict: bool = False
    force: bool = False
    dry_run: bool = False


def default_dest(source_name: str) -> Path:
    return Path(f"atlan-{source_name}-app")


def plan(request: NewConnectorRequest) -> tuple[ResolvedSpec, Path, ChangeSet]:
    """Everything up to, not including, writing: validate the spec, check the destination, render."""
    resolved = resolve_spec(request.name, request.answers_file, request.options, strict=request.strict)
    dest = request.dest or default_dest(resolved.spec.source_name)
    _check_destination(dest, request.force)
    from connector_scaffold.render import render_template

    files = render_template("atlan-app", resolved.spec.to_answers())
    changes = ChangeSet(dest)
    for path, data in files.items():
        changes.put(path, data, overwrite=request.force)
    changes.validate()
    return resolved, dest, changes


def run(request: NewConnectorRequest, out: Callable[[str], None], err: Callable[[str], None]) -> int:
    resolved, dest, changes = plan(request)
    spec = resolved.spec
    note_generic(spec, err)
    written = show_or_apply(changes, dest, request.dry_run, out)
    if written is None:
        return 0
    kept = len(changes.by_status(Status.identical))
    out(f"{spec.display_name} connector ({resolved.origin}) written to {dest}: {len(written)} file(s)")
    if kept:
        out(f"{kept} file(s) already identical")
    out(f"entities: {', '.join(e.name for e in spec.entities)}")
    out("next:")
    out(f"  cd {dest}")
    out(f"  {APP_TEST_COMMAND}")
    return 0


def note_generic(spec: ConnectorSpec, err: Callable[[str], None]) -> None:
    """Say so when the spec is the generic skeleton, not a catalog entry (every target renders from it)."""
    if spec.generic:
        known = ", ".join(catalog_names())
        entity = spec.entities[0].name
        err(
            f"note: {spec.source_name!r} is not in the built-in catalog ({known}); this is a GENERIC skeleton "
            f"with one example entity {entity!r} — replace it via --data-file or --entity"
        )


def show_or_apply(
    changes: ChangeSet, dest: Path, dry_run: bool, out: Callable[[str], None], *, diff: bool = False
) -> list[str] | None:
    """Dry run: list every file (after the unified diff with `diff`), write nothing and return None.
    Otherwise write every pending file atomically and return their paths."""
    if dry_run:
        if diff and changes.pending:
            out(changes.diff().rstrip("\n"))
        for line in changes.report():
            out(line)
        out(f"dry run: would write {len(changes.pending)} file(s) under {dest}; nothing written")
        return None
    return changes.apply()


def _check_destination(dest: Path, force: bool) -> None:
    if dest.exists() and not dest.is_dir():
        raise ScaffoldError(f"destination {dest} exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise ScaffoldError(
            f"destination {dest} is not empty; pass --force to replace only the files the template owns"
        )
