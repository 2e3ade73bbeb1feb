"""`scaffold update` for Lakeflow sources: find the source and its answers (`sources/<s>/.copier-answers.yml`, where
add-table records every table), and render what the tool wrote for them: the template for all recorded tables,
then the checkout's merge script."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from connector_scaffold.errors import ScaffoldError
from connector_scaffold.spec import SpecError, load_spec
from connector_scaffold.targets.atlan.regenerate import read_answers
from connector_scaffold.targets.base import GeneratedProject
from connector_scaffold.targets.lakeflow.checkout import MARKER, PACKAGE, SourceLayout, source_names

TEMPLATE = "lakeflow-source"


def find_project(path: Path) -> GeneratedProject | None:
    start = path.resolve()
    root = next((folder for folder in (start, *start.parents) if (folder / MARKER).is_file()), None)
    if root is None:
        return None
    sources = [name for name in source_names(root) if (root / SourceLayout(name).answers).is_file()]
    inside = [name for name in sources if _within(start, root / SourceLayout(name).folder)]
    if inside:
        name = inside[0]
    elif len(sources) == 1:
        name = sources[0]
    elif not sources:
        return None
    else:
        raise ScaffoldError(
            f"{root} holds several generated sources ({', '.join(sources)}): pass --path {PACKAGE}/sources/NAME"
        )
    layout = SourceLayout(name)
    data = read_answers(root / layout.answers) or {}
    if not isinstance(data.get("spec"), dict) or not isinstance(data.get("tables"), list):
        raise ScaffoldError(f"{layout.answers}: expected `spec` and `tables`")
    return GeneratedProject(
        root=root,
        template=TEMPLATE,
        answers_path=layout.answers,
        answers={k: v for k, v in data.items() if not str(k).startswith("_")},
        version=None if data.get("_scaffold_version") is None else str(data["_scaffold_version"]),
        fingerprint=None if data.get("_scaffold_fingerprint") is None else str(data["_scaffold_fingerprint"]),
        label=f"lakeflow source {name}",
    )


def upgraded_answers(project: GeneratedProject, overrides: dict[str, Any]) -> dict[str, Any]:
    from connector_scaffold.targets.lakeflow.tables import with_complete_fields

    try:
        spec = load_spec({**project.answers["spec"], **overrides})
    except SpecError as error:
        raise ScaffoldError(f"{project.answers_path}: {error}") from None
    return {**project.answers, "spec": with_complete_fields(spec)}


def render_project(
    project: GeneratedProject, answers: dict[str, Any], template_root: Path, *, execute: bool = True
) -> dict[str, bytes]:
    from connector_scaffold.targets.lakeflow.build import merged_source, render_source
    from connector_scaffold.targets.lakeflow.tables import stored_tables

    name = str(answers["source_name"])
    try:
        spec = load_spec(answers["spec"])
    except SpecError as error:
        raise ScaffoldError(f"{project.answers_path}: {error}") from None
    tables = stored_tables(spec, answers["tables"], project.answers_path)
    files = render_source(project.root, name, answers["spec"], tables, template_root)
    # The merged file is the checkout's merge script's output: a dry run runs no script, so it is left out of both
    # sides of the merge and shows no change.
    merged = merged_source(project.root, SourceLayout(name), files) if execute else None
    if merged is not None:
        files[SourceLayout(name).merged] = merged
    return files


def generated_only(project: GeneratedProject) -> tuple[str, ...]:
    layout = SourceLayout(str(project.answers["source_name"]))
    return (layout.answers, layout.merged)


def _within(path: Path, folder: Path) -> bool:
    return path == folder.resolve() or folder.resolve() in path.parents
