"""The models add-incremental passes between its steps: the entities as asked, as found in the app, and what the
generated scenario tests need to drive the app's orchestration.

Everything is frozen: the plan builds each model once, from the options, the answers file and the app's code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from connector_scaffold.targets.atlan.incremental.anchors import Anchors, UpstreamLink
from connector_scaffold.targets.atlan.incremental.records import RecordsLocation


class IncrementalEntity(BaseModel):
    """An entity made incremental, as the options or an earlier run's answers file give it.

    `list_step` and `detail_steps` pin the anchors; unset, they are found by name in the orchestrator.
    """

    # The answers file also keeps what the plan resolved (upstream, upstream_path): found again on every run.
    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str
    id_field: str = "id"
    timestamp_field: str
    children: tuple[str, ...] = ()
    parent: str = ""
    list_step: str | None = None
    detail_steps: tuple[str, ...] = ()
    # Set by options only (the resolved values are found again on every run): --parent-field, --records-path/-format.
    parent_field: str = ""
    records_path: str = ""
    records_format: str = ""


@dataclass(frozen=True)
class EntityPlan:
    """An entity joined with where it hooks into this app: everything the templates and codemods read about it."""

    entity: IncrementalEntity
    anchors: Anchors
    # Set when the one detail step takes its list step's output file: run() hands it a file of the changed instead.
    upstream: UpstreamLink | None = None
    # Where and how the list step writes the records and the detail step its records ("" with an upstream link).
    records: RecordsLocation | None = None
    detail_format: str = ""
    detail_types: tuple[str, ...] = ()
    parent_field: str = ""

    @property
    def name(self) -> str:
        return self.entity.name

    def answers(self) -> dict[str, Any]:
        """The entity as the templates read it and the answers file keeps it (keys in this order)."""
        link = self.upstream
        return {
            "name": self.entity.name,
            "id_field": self.entity.id_field,
            "timestamp_field": self.entity.timestamp_field,
            "children": list(self.entity.children),
            "parent": self.entity.parent,
            "list_step": self.anchors.list_step,
            "detail_steps": list(self.anchors.detail_steps),
            "upstream": link.key if link is not None else "",
            # The file's path on the list step's result ("batch.records"), the same on the detail step's.
            "upstream_path": link.listed.split(".", 1)[-1] if link is not None else "",
            "records_path": self.records.path if self.records else "",
            "records_format": self.records.format if self.records else "",
            "detail_format": self.detail_format,
            "detail_types": list(self.detail_types),
            "parent_field": self.parent_field,
        }


@dataclass(frozen=True)
class V2Harness:
    """Where a v2 app's orchestration lives, for the generated scenario tests."""

    workflow_module: str
    workflow_class: str
    activities_module: str
    activities_class: str
    app_steps: tuple[str, ...]  # every step that is not an incremental one: each gets a double
    args_step: str
    upload_step: str


@dataclass(frozen=True)
class V3Harness:
    """Where a v3 app's orchestration lives, for the generated scenario tests."""

    app_module: str
    app_class: str
    run_input_module: str
    run_input_class: str
    app_steps: tuple[str, ...]  # every step that is not an incremental one: each gets a double
    upload_step: str


Harness = V2Harness | V3Harness
