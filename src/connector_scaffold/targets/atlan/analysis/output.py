"""The two outputs of an Analysis: JSON (stable keys, sorted) and the documents as files for a ChangeSet, and
the documents add-incremental refreshes from the tree it is about to write."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from connector_scaffold.targets.atlan.analysis.collect import analyze
from connector_scaffold.targets.atlan.analysis.documents import CHANGED, FOLDER, counts, documents
from connector_scaffold.targets.atlan.analysis.model import Analysis


def to_json(analysis: Analysis) -> str:
    data = {"summary": counts(analysis.rules), **analysis.as_data()}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def document_files(analysis: Analysis) -> dict[str, bytes]:
    return {path: text.encode("utf-8") for path, text in documents(analysis).items()}


def recorded_changes(root: Path) -> tuple[str, ...]:
    """What add-incremental recorded in final-report.md ("generated X" / "patched X"): a later `scaffold analyze`
    keeps that record instead of forgetting it."""
    report = root / FOLDER / "final-report.md"
    if not report.is_file():
        return ()
    lines = report.read_text(encoding="utf-8", errors="replace").splitlines()
    if CHANGED not in lines:
        return ()
    section = lines[lines.index(CHANGED) + 1 :]
    end = next((i for i, line in enumerate(section) if line.startswith("## ")), len(section))
    return tuple(line[2:] for line in section[:end] if line.startswith(("- generated ", "- patched ")))


def refreshed_documents(
    root: Path, files: Mapping[str, bytes], generated: set[str], patched: set[str]
) -> dict[str, bytes]:
    """The documents of the app as it will be once `files` are written. final-report.md names every file the
    command generates from its template and every app file it patched, this run or an earlier one (a second
    run patches nothing: the record kept in the report carries them), so a second run writes the same report."""
    current = {
        f"{'generated' if path in generated else 'patched'} {path}"
        for path in generated | patched
        if not path.startswith(f"{FOLDER}/")
    }
    changes = tuple(sorted(current | set(recorded_changes(root)), key=lambda c: c.split(" ", 1)[1]))
    return document_files(analyze(root, files, changes))
