"""`scaffold update` for Atlan apps: find the app and its answers, and render what the tool wrote for them (the
atlan-app template, then add-incremental replayed from `.copier-answers.incremental.yml`)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml

from connector_scaffold.errors import ScaffoldError
from connector_scaffold.spec import SpecError, load_spec
from connector_scaffold.targets.base import GeneratedProject

TEMPLATE = "atlan-app"
ANSWERS = ".copier-answers.yml"
INCREMENTAL_ANSWERS = ".copier-answers.incremental.yml"
# What add-incremental regenerates on every run (its hooks module is the user's) and the answers files.
GENERATED_ONLY = (
    ANSWERS,
    INCREMENTAL_ANSWERS,
    "app/extracts/incremental.py",
    "app/extracts/incremental_cache.py",
    "app/extracts/incremental_steps.py",
    "tests/unit/test_incremental_*.py",
)


def find_project(path: Path) -> GeneratedProject | None:
    start = path.resolve()
    for folder in (start, *start.parents):
        data = read_answers(folder / ANSWERS)
        if data is not None and data.get("_scaffold_template") == TEMPLATE:
            return GeneratedProject(
                root=folder,
                template=TEMPLATE,
                answers_path=ANSWERS,
                answers={k: v for k, v in data.items() if not str(k).startswith("_")},
                version=_optional_str(data.get("_scaffold_version")),
                fingerprint=_optional_str(data.get("_scaffold_fingerprint")),
                label=folder.name,
            )
    return None


def upgraded_answers(project: GeneratedProject, overrides: dict[str, Any]) -> dict[str, Any]:
    try:
        return load_spec({**project.answers["spec"], **overrides}).to_answers()
    except SpecError as error:
        raise ScaffoldError(f"{project.answers_path}: {error}") from None


def render_project(project: GeneratedProject, answers: dict[str, Any], template_root: Path) -> dict[str, bytes]:
    from connector_scaffold.render import render_template

    files = render_template(TEMPLATE, answers, source=template_root)
    record = project.root / INCREMENTAL_ANSWERS
    if record.is_file():
        files = _replay_incremental(files, record.read_bytes())
    return files


def _replay_incremental(files: dict[str, bytes], record: bytes) -> dict[str, bytes]:
    """add-incremental re-run, with its recorded answers, on the rendered app (in a scratch folder, as the codemods
    read a tree): its own answers file makes one run cover every recorded entity with its recorded settings."""
    from connector_scaffold.targets.atlan.incremental.plan import IncrementalRequest, plan

    entities = (yaml.safe_load(record) or {}).get("entities") or []
    names = [e["name"] for e in entities if isinstance(e, dict) and e.get("name")]
    if not names:
        return files
    with tempfile.TemporaryDirectory(prefix="scaffold-replay-") as scratch:
        root = Path(scratch)
        for path, data in {**files, INCREMENTAL_ANSWERS: record}.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(data)
        try:
            result = plan(IncrementalRequest(entity=names[0], path=root, allow_dirty=True))
        except ScaffoldError as error:
            raise ScaffoldError(f"replaying add-incremental ({INCREMENTAL_ANSWERS}): {error}") from None
        replayed = {**files, INCREMENTAL_ANSWERS: record}
        # The analysis documents describe the user's tree (`scaffold analyze` refreshes them), never a template.
        replayed.update(
            {
                c.path: c.new
                for c in result.changes.sorted_changes()
                if c.new is not None and not (c.path.startswith("incremental-analysis/") and c.path.endswith(".md"))
            }
        )
        return replayed


def read_answers(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ScaffoldError(f"{path}: cannot be read as YAML ({type(error).__name__})") from None
    return data if isinstance(data, dict) else None


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)
