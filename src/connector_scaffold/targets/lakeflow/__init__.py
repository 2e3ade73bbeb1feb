"""`--target lakeflow`: sources for a lakeflow-community-connectors checkout, and `add-table`."""

from __future__ import annotations

from dataclasses import dataclass

from connector_scaffold.targets.base import NewConnectorPlan, NewConnectorRequest, TargetOption

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
