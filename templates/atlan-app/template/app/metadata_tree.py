"""What the setup form's include/exclude trees offer: each top-level entity, with its records under it.

The records come from the source itself (the first page or so of each listing), so
the form shows what this credential can read; picking an entity's records limits
the run to them and to their children (app/filters.py).
"""

from __future__ import annotations

from application_sdk.handler.contracts import ApiMetadataObject

from app.http_client import SourceClient
from app.pagination import iter_pages
from app.probe import TOP_LEVEL
from app.spec import EntityDef

# Fields that name a record for a person, most telling first; the id when none is set.
TITLE_FIELDS = ("name", "title", "full_name", "display_name", "login", "email", "description")


def record_title(record: dict[str, object], record_id: object) -> str:
    for key in TITLE_FIELDS:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return f"{value.strip()} ({record_id})"
    return str(record_id)


async def entity_records(client: SourceClient, entity: EntityDef, limit: int) -> list[ApiMetadataObject]:
    """Up to `limit` records of a top-level entity, as tree nodes in source order."""
    nodes: list[ApiMetadataObject] = []
    async for page in iter_pages(client, entity.list_path, entity, min(limit, client.settings.page_size)):
        for record in page.records:
            if not isinstance(record, dict) or record.get(entity.id_field) is None:
                continue
            record_id = record[entity.id_field]
            nodes.append(ApiMetadataObject(value=str(record_id), title=record_title(record, record_id), node_type=entity.name))
            if len(nodes) >= limit:
                return nodes
    return nodes


async def entity_tree(client: SourceClient, max_objects: int) -> list[ApiMetadataObject]:
    """One node per top-level entity, its records as children, at most max_objects records in all."""
    limit = max(1, max_objects // max(1, len(TOP_LEVEL)))
    return [
        ApiMetadataObject(
            value=entity.name,
            title=entity.name.replace("_", " ").title(),
            node_type="entity",
            children=await entity_records(client, entity, limit),
        )
        for entity in TOP_LEVEL
    ]
