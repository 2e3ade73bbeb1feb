"""`scaffold new-connector NAME [--target T]`: the target's plan -> dry run or atomic apply -> report."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from connector_scaffold.catalog import catalog_names
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.pipeline import Echo, show_or_apply
from connector_scaffold.spec import ConnectorSpec
from connector_scaffold.targets import get_target
from connector_scaffold.targets.base import NewConnectorRequest


def run(request: NewConnectorRequest, out: Echo, err: Echo) -> int:
    target = get_target(request.target)
    plan = target.plan(request)
    note_generic(plan.resolved.spec, err)
    for line in plan.resolved.notes:
        err(line)
    for note in plan.notes:
        err(f"note: {note}")
    # --force over existing files shows what it would overwrite, and overwrites only what git can give back.
    overwrites = request.force and any(c.old is not None for c in plan.changes.pending)
    refuse = partial(refuse_overwrite, plan.root) if overwrites else None
    written = show_or_apply(plan.changes, request.dry_run, out, dest=plan.root, diff=overwrites, before_apply=refuse)
    if written is None:
        return 0
    for line in target.report(plan, written):
        out(line)
    return 0


def note_generic(spec: ConnectorSpec, err: Echo) -> None:
    """Say so when the spec is the generic skeleton, not a catalog entry (every target renders from it)."""
    if spec.generic:
        known = ", ".join(catalog_names())
        entity = spec.entities[0].name
        err(
            f"note: {spec.source_name!r} is not in the built-in catalog ({known}); this is a GENERIC skeleton "
            f"with one example entity {entity!r} — replace it via --data-file or --entity"
        )


def refuse_overwrite(root: Path) -> None:
    """--force replaces the template's files wholesale: only on a clean git tree, and `update` is the better tool."""
    from connector_scaffold.gitstate import uncommitted

    changed = uncommitted(root)
    if changed is None or changed:
        where = "is not in git" if changed is None else f"has uncommitted changes ({changed[0]})"
        raise ScaffoldError(
            f"--force would overwrite files in {root}, which {where}; to bring a generated app up to a newer "
            "template keeping your edits, run `scaffold update` (or commit first, then --force replaces them)"
        )
