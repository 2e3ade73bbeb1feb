"""The include/exclude selection of the setup form, and what it keeps.

The form's two apitree widgets send what fetch_metadata offered: an entity name as
the key, with the ids of the records picked under it as the value (an empty list
picks the whole entity). Extraction applies the selection as it writes:

- exclude wins; an excluded entity drops every entity listed under it, and an
  excluded record drops the records listed under it (a child entity is listed
  once per parent record that was kept, so excluding a parent drops its children);
- an empty include keeps everything; otherwise an entity is kept when it, one of
  its parents or one of its children is named, and an entity named with ids keeps
  only those records.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from application_sdk.contracts.types import MaxItems
from application_sdk.observability.logger_adaptor import get_logger
from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.spec import ENTITIES_BY_NAME, EntityDef, entity_def

logger = get_logger(__name__)

# Bounds the payload-safety check needs: more keys than entities and more picked
# records than a person selects by hand.
MAX_FILTER_KEYS = 1000
MAX_FILTER_VALUES = 10_000

RecordIds = Annotated[list[str], MaxItems(MAX_FILTER_VALUES)]
EntityFilter = Annotated[dict[str, RecordIds], MaxItems(MAX_FILTER_KEYS)]


def coerce_filter(value: Any) -> Any:
    """The filter as a dict of id lists, whatever shape the form or the manifest sent.

    The manifest substitutes the widget's value into the run arguments as a JSON
    string; a value that is not a list (the widget may send a title) picks the whole entity.
    """
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            logger.warning("An include/exclude filter is not JSON, so it is ignored", exc_info=True)
            return {}
    if not isinstance(value, dict):
        return value
    return {str(key): [str(item) for item in ids] if isinstance(ids, list) else [] for key, ids in value.items()}


def lineage(entity: EntityDef) -> list[str]:
    """The entity's name and its parents' names, nearest first."""
    names = [entity.name]
    while entity.parent is not None:
        entity = entity_def(entity.parent)
        names.append(entity.name)
    return names


class Selection(BaseModel):
    """What the run extracts: the include and exclude filters of the form."""

    model_config = ConfigDict(frozen=True)

    include: EntityFilter = Field(default_factory=dict)
    exclude: EntityFilter = Field(default_factory=dict)

    _coerce = field_validator("include", "exclude", mode="before")(coerce_filter)

    def keeps_entity(self, entity: EntityDef) -> bool:
        names = lineage(entity)
        if any(name in self.exclude and not self.exclude[name] for name in names):
            return False
        if not self.include:
            return True
        # A named child needs its parents listed to be reached.
        return any(name in self.include for name in names) or any(
            entity.name in lineage(ENTITIES_BY_NAME[name]) for name in self.include if name in ENTITIES_BY_NAME
        )

    def keeps_record(self, entity_name: str, record_id: object) -> bool:
        key = str(record_id)
        if key in self.exclude.get(entity_name, ()):
            return False
        picked = self.include.get(entity_name)
        return not picked or key in picked

