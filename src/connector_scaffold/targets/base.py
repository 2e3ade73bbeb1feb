"""What a target is: the one interface `new-connector --target NAME` drives, and the request and plan it passes.

A target renders a new connector of one kind (an Atlan app, a Lakeflow source, ...) from the shared ConnectorSpec.
This module imports nothing heavy, so the CLI can read every target's options for `--help` without pydantic,
copier or libcst; a target imports those inside `plan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from connector_scaffold.changeset import ChangeSet
    from connector_scaffold.spec_sources import ResolvedSpec, SpecOptions


def _no_options() -> SpecOptions:
    from connector_scaffold.spec_sources import SpecOptions

    return SpecOptions()


@dataclass(frozen=True)
class TargetOption:
    """A `new-connector` option only one target takes (repeatable, its values collected as a tuple)."""

    flag: str
    dest: str
    metavar: str
    help: str


@dataclass(frozen=True)
class NewConnectorRequest:
    """`scaffold new-connector NAME ...`: the spec's sources, where to write, and the target's own options."""

    name: str
    target: str = "atlan"
    dest: Path | None = None
    answers_file: Path | None = None
    options: SpecOptions = field(default_factory=_no_options)
    strict: bool = False
    force: bool = False
    dry_run: bool = False
    target_options: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def target_option(self, dest: str) -> tuple[str, ...]:
        return self.target_options.get(dest, ())


@dataclass
class NewConnectorPlan:
    """Everything a target would write, validated in memory, with what to tell the user before and after."""

    resolved: ResolvedSpec
    root: Path
    changes: ChangeSet
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GeneratedProject:
    """An app or source this tool generated, as `scaffold update` finds it: where the template renders and what
    its answers file recorded."""

    root: Path  # the folder the template's paths are relative to (Atlan: the app; Lakeflow: the checkout)
    template: str
    answers_path: str  # the answers file, relative to root
    answers: dict[str, Any]  # the stored answers, without the `_scaffold_*` stamp
    version: str | None  # the release that rendered it (None: written before answers recorded it)
    fingerprint: str | None
    label: str  # how the report names it


class Target(Protocol):
    """One kind of connector `new-connector` writes. Adding one: a template folder and a module with a Target."""

    @property
    def name(self) -> str:
        """The `--target` value."""
        ...

    @property
    def options(self) -> tuple[TargetOption, ...]:
        """The `new-connector` options only this target takes."""
        ...

    def plan(self, request: NewConnectorRequest) -> NewConnectorPlan:
        """Resolve the spec, find the project root, render: everything but writing. Raises ScaffoldError."""
        ...

    def report(self, plan: NewConnectorPlan, written: list[str]) -> list[str]:
        """The lines printed after `written` (the paths actually written) were written."""
        ...

    # ---- `scaffold update` -------------------------------------------------------------------------------------

    def find_project(self, path: Path) -> GeneratedProject | None:
        """The project of this target at or above `path` (or the one `path` names), or None when there is none."""
        ...

    def upgraded_answers(self, project: GeneratedProject, overrides: dict[str, Any]) -> dict[str, Any]:
        """The answers the newer template renders with: the stored ones, validated by today's spec model, with
        `overrides` (spec fields) replacing the stored fields of the same name. Raises ScaffoldError."""
        ...

    def render_project(
        self, project: GeneratedProject, answers: dict[str, Any], template_root: Path, *, execute: bool = True
    ) -> dict[str, bytes]:
        """Every file this tool would have written for `answers` with the template at `template_root`, with the
        codemods the project recorded (add-incremental, add-table) replayed: {path relative to root: bytes}.
        With `execute` False nothing from the user's tree runs (a dry run): files only such code writes are left
        out."""
        ...

    def generated_only(self, project: GeneratedProject) -> tuple[str, ...]:
        """Glob patterns (relative to root) of the files nobody should edit by hand: `update --check` flags edits."""
        ...
