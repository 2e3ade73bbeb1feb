"""`scaffold add-incremental --entity E`: the Atlan app's incremental plan -> dry run (unified diff) or atomic
apply on a clean tree -> report."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from connector_scaffold import subprocesses
from connector_scaffold.changeset import ChangeSet
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.pipeline import Echo, show_or_apply, written_lines
from connector_scaffold.targets.atlan.incremental.plan import IncrementalRequest, Plan, plan
from connector_scaffold.targets.atlan.incremental.sql.plan import SqlPlan


def run(request: IncrementalRequest, out: Echo, err: Echo) -> int:
    """Plan, then print the diff (dry run) or write every file atomically; print the report. Exit code 0."""
    result = plan(request)
    for note in result.notes:
        err(f"note: {note}")
    # Only a run that writes needs a clean tree: the user must be able to review and revert our diff alone.
    refuse = None if request.allow_dirty else partial(_refuse_dirty, result.changes.root)
    written = show_or_apply(
        result.changes, request.dry_run, out, diff=True, before_apply=refuse, protect_untracked=not request.allow_dirty
    )
    if written is None:
        return 0
    for line in report(result, written):
        out(line)
    return 0


def report(result: Plan | SqlPlan, written: list[str]) -> list[str]:
    """The final report: entities made incremental, files created and modified, next steps."""
    if isinstance(result, SqlPlan):
        return sql_report(result, written)
    project = result.project
    lines = [f"add-incremental: {project.name} ({project.shape} app, {project.sdk_requirement})"]
    for entity_plan in result.entities:
        e, anchors = entity_plan.entity, entity_plan.anchors
        children = f", children {', '.join(e.children)}" if e.children else ""
        parent = f", parent {e.parent}" if e.parent else ""
        lines.append(
            f"  entity {e.name}: list step {anchors.list_step}, detail step {', '.join(anchors.detail_steps)}, "
            f"timestamp {e.timestamp_field}{children}{parent}"
        )
    return _finished(
        lines,
        result.changes,
        written,
        [
            "  1. review the diff (git diff) and run the app's tests; tests/unit/test_incremental_*.py are new",
            "  2. tune is_false_positive_<entity>() in app/extracts/incremental_hooks.py if the source bumps "
            "timestamps without a metadata change (later runs keep your edits)",
            '  3. by hand, in the marketplace package: add incremental-extraction (configmap, default "false") and '
            "the publish path of the persistent state",
            "  4. a staging run with incremental_enabled=true, then a second run: only changed entities are "
            "re-extracted",
        ],
    )


def sql_report(result: SqlPlan, written: list[str]) -> list[str]:
    """The SQL path's report: the dialect, the queries derived, files written, next steps."""
    project, facts = result.project, result.facts
    lines = [
        f"add-incremental: {project.name} (SQL {project.shape} app, {project.sdk_requirement}), dialect "
        f"{result.dialect} ({facts.dialect_evidence or '--dialect'})",
        f"  incremental queries from {facts.table_sql} and {facts.column_sql}",
    ]
    return _finished(
        lines,
        result.changes,
        written,
        [
            "  1. review the diff (git diff) and run the app's tests; tests/unit/test_incremental_sql.py is new",
            "  2. install the [incremental] extra (uv sync / pip install -e .) before running the app",
            '  3. by hand, in the marketplace package: incremental-extraction (default "false"), column-batch-size, '
            "prepone-marker-hours in the configmap",
            "  4. a staging run with incremental-extraction=true, then a second run: only changed tables' columns are "
            "re-extracted",
        ],
    )


def _finished(lines: list[str], changes: ChangeSet, written: list[str], next_steps: list[str]) -> list[str]:
    """Either path's report ends alike: nothing to do, or the files written and what to do next."""
    if not written:
        return [*lines, "nothing to do: every file is already identical"]
    return [*lines, *written_lines(changes, written), "next steps:", *next_steps]


def _refuse_dirty(root: Path) -> None:
    """Refuse a git tree with uncommitted changes to tracked files; a folder outside git is not refused."""
    done = subprocesses.run(
        ["git", "status", "--porcelain", "--untracked-files=no", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=subprocesses.GIT_TIMEOUT,
    )
    changed = [line[3:] for line in done.stdout.splitlines() if line.strip()] if done.returncode == 0 else []
    if changed:
        more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
        raise ScaffoldError(f"uncommitted changes in {changed[0]}{more}; commit or stash them, or pass --allow-dirty")
