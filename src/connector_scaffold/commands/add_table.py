"""`scaffold add-table TABLE`: the Lakeflow source's add-table plan -> dry run (diff) or atomic apply -> report."""

from __future__ import annotations

from connector_scaffold.pipeline import Echo, show_or_apply, written_lines
from connector_scaffold.targets.lakeflow.add_table import AddTableRequest, plan


def run(request: AddTableRequest, out: Echo, err: Echo) -> int:
    result = plan(request)
    table = result.table
    for note in result.notes:
        err(f"note: {note}")
    written = show_or_apply(result.changes, request.dry_run, out, dest=result.root, diff=True)
    if written is None:
        return 0
    out(f"add-table {table.name} ({table.ingestion_type}) to {result.layout.name}")
    if not written:
        out("nothing to do: every file is already identical")
        return 0
    for line in written_lines(result.changes, written):
        out(line)
    out("next:")
    out(f"  pytest {result.layout.tests}/")
    out(f"  review {result.layout.corpus(table.name)} and the table's endpoint against the live API")
    return 0
