"""`--target atlan` (the default): a new Atlan SDK v3 app; `add-incremental` patches existing ones."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connector_scaffold.targets.base import GeneratedProject, NewConnectorPlan, NewConnectorRequest, TargetOption


@dataclass(frozen=True)
class AtlanTarget:
    name: str = "atlan"
    options: tuple[TargetOption, ...] = ()

    def plan(self, request: NewConnectorRequest) -> NewConnectorPlan:
        from connector_scaffold.targets.atlan.new_app import plan

        return plan(request)

    def report(self, plan: NewConnectorPlan, written: list[str]) -> list[str]:
        from connector_scaffold.targets.atlan.new_app import report

        return report(plan, written)

    # `scaffold update` (targets/atlan/regenerate.py)
    def find_project(self, path: Path) -> GeneratedProject | None:
        from connector_scaffold.targets.atlan.regenerate import find_project

        return find_project(path)

    def upgraded_answers(self, project: GeneratedProject, overrides: dict[str, Any]) -> dict[str, Any]:
        from connector_scaffold.targets.atlan.regenerate import upgraded_answers

        return upgraded_answers(project, overrides)

    def render_project(
        self, project: GeneratedProject, answers: dict[str, Any], template_root: Path, *, execute: bool = True
    ) -> dict[str, bytes]:
        from connector_scaffold.targets.atlan.regenerate import render_project

        del execute  # an Atlan app has no script of its own in what update renders
        return render_project(project, answers, template_root)

    def generated_only(self, project: GeneratedProject) -> tuple[str, ...]:
        from connector_scaffold.targets.atlan.regenerate import GENERATED_ONLY

        return GENERATED_ONLY
