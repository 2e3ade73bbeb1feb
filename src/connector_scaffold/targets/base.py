"""What a target is: the one interface `new-connector --target NAME` drives, and the request and plan it passes.

A target renders a new connector of one kind (an Atlan app, a Lakeflow source, ...) from the shared ConnectorSpec.
This module imports nothing heavy, so the CLI can read every target's options for `--help` without pydantic,
copier or libcst; a target imports those inside `plan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

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
