"""A new Atlan SDK v3 app: spec -> the atlan-app template -> ChangeSet, and the report once written."""

from __future__ import annotations

from pathlib import Path

from connector_scaffold.changeset import ChangeSet, Status
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.render import render_template
from connector_scaffold.spec_sources import resolve_spec
from connector_scaffold.targets.base import NewConnectorPlan, NewConnectorRequest

TEMPLATE = "atlan-app"
APP_TEST_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest"


def default_dest(source_name: str) -> Path:
    return Path(f"atlan-{source_name}-app")


def plan(request: NewConnectorRequest) -> NewConnectorPlan:
    """Everything up to, not including, writing: validate the spec, check the destination, render."""
    resolved = resolve_spec(request.name, request.answers_file, request.options, strict=request.strict)
    dest = request.dest or default_dest(resolved.spec.source_name)
    _check_destination(dest, request.force)
    files = render_template(TEMPLATE, resolved.spec.to_answers())
    changes = ChangeSet(dest)
    for path, data in files.items():
        changes.put(path, data, overwrite=request.force)
    changes.validate()
    return NewConnectorPlan(resolved, dest, changes)


def report(plan: NewConnectorPlan, written: list[str]) -> list[str]:
    spec, dest = plan.resolved.spec, plan.root
    lines = [f"{spec.display_name} connector ({plan.resolved.origin}) written to {dest}: {len(written)} file(s)"]
    kept = len(plan.changes.by_status(Status.identical))
    if kept:
        lines.append(f"{kept} file(s) already identical")
    return [
        *lines,
        f"entities: {', '.join(e.name for e in spec.entities)}",
        "next:",
        f"  cd {dest}",
        f"  {APP_TEST_COMMAND}",
    ]


def _check_destination(dest: Path, force: bool) -> None:
    if dest.exists() and not dest.is_dir():
        raise ScaffoldError(f"destination {dest} exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise ScaffoldError(
            f"destination {dest} is not empty; pass --force to replace only the files the template owns"
        )
