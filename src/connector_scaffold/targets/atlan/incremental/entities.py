"""The models add-incremental passes between its steps: the entities as asked, as found in the app, and what the
generated scenario tests need to drive the app's orchestration.

Everything is frozen: the plan builds each model once, from the options, the answers file and the app's code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from connector_scaffold.spec import IDENTIFIER, check_name
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

    # Every value reaches generated code and the answers file: checked here, and escaped again by the template.
    @field_validator("id_field", "timestamp_field")
    @classmethod
    def _field(cls, value: str, info: ValidationInfo) -> str:
        return check_name(value, info.field_name or "field")

    @field_validator("parent_field")
    @classmethod
    def _optional_field(cls, value: str) -> str:
        return value and check_name(value, "parent_field")

    @field_validator("name", "parent")
    @classmethod
    def _entity(cls, value: str, info: ValidationInfo) -> str:
        if (value or info.field_name == "name") and not IDENTIFIER.match(value):
            raise ValueError(f"{info.field_name} {value!r} is not an entity name (lowercase letters, digits, _)")
        return value

    @field_validator("children")
    @classmethod
    def _children(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = next((c for c in value if not IDENTIFIER.match(c)), None)
        if bad is not None:
            raise ValueError(f"child {bad!r} is not an entity name (lowercase letters, digits, _)")
        return value

    @field_validator("list_step", "detail_steps")
    @classmethod
    def _steps(cls, value: str | tuple[str, ...] | None) -> str | tuple[str, ...] | None:
        for step in (value,) if isinstance(value, str) else value or ():
            if not (step.isidentifier() and step.isascii()):
                raise ValueError(f"step {step!r} is not a method name")
        return value

    @field_validator("records_path")
    @classmethod
    def _records_path(cls, value: str) -> str:
        if value and (value.startswith("/") or "\\" in value or ".." in value.split("/") or value != value.strip()):
            raise ValueError(f"records_path {value!r} must be a folder relative to the output path")
        return value and check_name(value, "records_path")

    @field_validator("records_format")
    @classmethod
    def _records_format(cls, value: str) -> str:
        if value not in ("", "json", "parquet"):
            raise ValueError(f"records_format {value!r} is not json or parquet")
        return value


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
