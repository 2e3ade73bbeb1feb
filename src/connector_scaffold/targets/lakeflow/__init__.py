"""`--target lakeflow`: sources for a lakeflow-community-connectors checkout, and `add-table`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connector_scaffold.targets.base import GeneratedProject, NewConnectorPlan, NewConnectorRequest, TargetOption

OPTIONS = (
    TargetOption("--table", "tables", "TABLE", "a table to generate (repeatable)."),
    TargetOption("--ingestion-type", "ingestion", "TABLE=TYPE", "cdc, append..."),
)


@dataclass(frozen=True)
class LakeflowTarget:
    name: str = "lakeflow"
    options: tuple[TargetOption, ...] = OPTIONS

    def plan(self, request: NewConnectorRequest) -> NewConnectorPlan:
        from connector_scaffold.targets.lakeflow.new_source import plan

        return plan(request)

    def report(self, plan: NewConnectorPlan, written: list[str]) -> list[str]:
        from connector_scaffold.targets.lakeflow.new_source import report

        return report(plan, written)

    # `scaffold update` (targets/lakeflow/regenerate.py)
    def find_project(self, path: Path) -> GeneratedProject | None:
        from connector_scaffold.targets.lakeflow.regenerate import find_project

        return find_project(path)

    def upgraded_answers(self, project: GeneratedProject, overrides: dict[str, Any]) -> dict[str, Any]:
        from connector_scaffold.targets.lakeflow.regenerate import upgraded_answers

        return upgraded_answers(project, overrides)

    def render_project(
        self, project: GeneratedProject, answers: dict[str, Any], template_root: Path, *, execute: bool = True
    ) -> dict[str, bytes]:
        from connector_scaffold.targets.lakeflow.regenerate import render_project

        return render_project(project, answers, template_root, execute=execute)

    def generated_only(self, project: GeneratedProject) -> tuple[str, ...]:
        from connector_scaffold.targets.lakeflow.regenerate import generated_only

        return generated_only(project)
