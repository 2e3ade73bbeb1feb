"""`scaffold analyze`: static analysis of an Atlan app -> the incremental playbook's documents under
incremental-analysis/ (dry run or atomic apply), or the same facts as JSON on stdout."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from connector_scaffold.changeset import ChangeSet
from connector_scaffold.pipeline import Echo, show_or_apply, written_lines


@dataclass(frozen=True)
class AnalyzeRequest:
    path: Path = Path(".")
    format: str = "markdown"
    dry_run: bool = False


def run(request: AnalyzeRequest, out: Echo, err: Echo) -> int:
    """JSON: print the facts, write nothing. Markdown: write (or with --dry-run show) the six documents."""
    from connector_scaffold.targets.atlan.analysis.collect import analyze
    from connector_scaffold.targets.atlan.analysis.documents import counts
    from connector_scaffold.targets.atlan.analysis.output import document_files, recorded_changes, to_json

    analysis = analyze(request.path, changes=recorded_changes(request.path.resolve()))
    if request.format == "json":
        out(to_json(analysis).rstrip("\n"))
        return 0
    changes = ChangeSet(request.path.resolve())
    for path, data in sorted(document_files(analysis).items()):
        changes.put(path, data)
    changes.validate()
    for note in analysis.notes:
        err(f"note: {note}")
    written = show_or_apply(changes, request.dry_run, out, diff=True)
    if written is None:
        return 0
    total = counts(analysis.rules)
    app = analysis.app
    out(
        f"analyze: {app.name} ({app.kind}, {app.shape} shape): {len(analysis.entities)} entities, "
        f"{total['PASS']} PASS, {total['FAIL']} FAIL, {total['UNKNOWN']} UNKNOWN"
    )
    if not written:
        out("nothing to do: every document is already identical")
    for line in written_lines(changes, written):
        out(line)
    return 0
