"""Render the lakeflow-source template for a checkout, and run the checkout's own merge script."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from connector_scaffold import subprocesses
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.targets.lakeflow.checkout import MERGE_SCRIPT, PACKAGE, SourceLayout
from connector_scaffold.targets.lakeflow.tables import Table

TEMPLATE = "lakeflow-source"


def render_source(
    root: Path,
    source_name: str,
    spec: dict[str, Any],
    tables: list[Table],
    template_root: Path | None = None,
) -> dict[str, bytes]:
    """Every file of the source, formatted by ruff with the checkout's own settings (line length 100).

    `spec` is the spec as JSON with its entities' fields completed (tables.with_complete_fields); `template_root`:
    another release of the template (`scaffold update`)."""
    from connector_scaffold.formatting import format_like
    from connector_scaffold.render import render_template

    joined = _takes_joined_tables(template_root)
    context = [t.context() if joined else t.plan.model_dump() for t in tables]
    answers = {"source_name": source_name, "spec": spec, "tables": context}
    return format_like(root, render_template(TEMPLATE, answers, ruff_format=False, source=template_root))


def _takes_joined_tables(template_root: Path | None) -> bool:
    """Releases up to 0.1.0 take each table as its stored plan and look its entity up themselves; later ones take
    it joined (Table.context()) and store its `stored` part. Each release is rendered with the answers it expects,
    so `scaffold update`'s old render is byte-for-byte what that release wrote."""
    if template_root is None:
        return True
    answers = next(template_root.glob("template/**/.copier-answers.yml.jinja"), None)
    return answers is None or 'attribute="stored"' in answers.read_text(encoding="utf-8")


def merged_source(root: Path, layout: SourceLayout, files: dict[str, bytes]) -> bytes | None:
    """`_generated_<s>_python_source.py` as the checkout's merge script writes it for `files`, or None without one.

    The script reads the source from its own checkout, so it runs in a scratch copy of the parts it reads (tools/,
    the package without the other sources and simulator specs) with the planned files laid over the source.
    """
    if not (root / MERGE_SCRIPT).is_file():
        return None
    with tempfile.TemporaryDirectory(prefix="scaffold-merge-") as scratch:
        copy = Path(scratch)
        shutil.copytree(root / "tools", copy / "tools", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(
            root / PACKAGE,
            copy / PACKAGE,
            ignore=_skip_other_sources(root / PACKAGE, layout.name),
        )
        for path, data in files.items():
            if path.startswith(f"{layout.folder}/"):
                target = copy / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        done = subprocesses.run(
            [sys.executable, MERGE_SCRIPT, layout.name],
            timeout=subprocesses.TOOL_TIMEOUT,
            what=MERGE_SCRIPT,
            cwd=copy,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        merged = copy / layout.merged
        if done.returncode != 0 or not merged.is_file():
            reason = (done.stderr.strip().splitlines() or ["no output file"])[-1]
            raise ScaffoldError(f"{MERGE_SCRIPT} {layout.name} failed: {reason}; nothing written")
        return merged.read_bytes()


def _skip_other_sources(package: Path, source: str) -> Callable[[str, list[str]], set[str]]:
    sources, specs = package / "sources", package / "source_simulator" / "specs"

    def ignore(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        if here in (sources, specs):
            return {n for n in names if n != source and (here / n).is_dir()}
        return {"__pycache__"} & set(names)

    return ignore
