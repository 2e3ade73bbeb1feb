"""`--target atlan` (the default): a new Atlan SDK v3 app; `add-incremental` patches existing ones."""

from __future__ import annotations

from dataclasses import dataclass

from connector_scaffold.targets.base import NewConnectorPlan, NewConnectorRequest, TargetOption


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
