"""The transformed/ tree the publish step reads: one folder per Atlan type.

    transformed/apispec/entities.json     one Atlas entity per line
    transformed/apipath/entities.json
    transformed/apiobject/entities.json
    transformed/apifield/entities.json

The layout is the SDK's own (SqlApp writes transformed/<type>/entities.json);
every line goes through the SDK's entity_bytes, which stamps connectionName and
lastSync*, drops pyatlan's random placeholder guid and applies the flattened
envelope publish diffs. Lines are sorted by qualifiedName, so the same run gives
the same bytes. Plain synchronous code: the transform task runs it in a thread.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from pathlib import Path

from application_sdk.common.asset_serialization import entity_bytes
from application_sdk.common.entity_envelope import EntityEnvelopePolicy, EnvelopeShape
from application_sdk.common.last_sync import LastSyncDetails
from application_sdk.contracts.base import PublishInputMixin
from pyatlan_v9.model.assets import Asset

from app.asset_mapper import (
    EntityStats,
    entity_fields,
    map_api_fields,
    map_api_object,
    map_api_paths,
    map_api_spec,
)
from app.contracts import AssetCounts, EntitySummary
from app.drift import JsonSchema
from app.spec import ENTITIES

TRANSFORMED_DIR = "transformed"
TRANSFORMED_FILE = "entities.json"
ENTITY_ENVELOPE = EntityEnvelopePolicy(shape=EnvelopeShape.FLATTENED)


def build_assets(
    connection_qualified_name: str,
    summaries: Sequence[EntitySummary],
    schema: JsonSchema,
) -> dict[str, list[Asset]]:
    """Every asset of a run, by type name, each list sorted by qualifiedName."""
    stats = {
        summary.entity: EntityStats(records=summary.counts.extracted, latest_change=summary.watermark_max)
        for summary in summaries
    }
    objects: list[Asset] = []
    fields: list[Asset] = []
    for entity in ENTITIES:
        catalogued = entity_fields(entity, schema)
        seen = stats.get(entity.name, EntityStats(records=0))
        objects.append(map_api_object(connection_qualified_name, entity, seen, len(catalogued)))
        fields.extend(map_api_fields(connection_qualified_name, entity, schema))
    groups: dict[str, list[Asset]] = {
        "APISpec": [map_api_spec(connection_qualified_name)],
        "APIPath": list(map_api_paths(connection_qualified_name)),
        "APIObject": objects,
        "APIField": fields,
    }
    return {type_name: sorted(assets, key=lambda a: str(a.qualified_name)) for type_name, assets in groups.items()}


def write_assets(
    output: Path,
    connection_qualified_name: str,
    connection_name: str,
    summaries: Sequence[EntitySummary],
    schema: JsonSchema,
    last_sync: LastSyncDetails,
) -> AssetCounts:
    """Write output/transformed/; nothing without a connection, since every qualifiedName starts with it."""
    if not connection_qualified_name:
        return AssetCounts()
    counts: dict[str, int] = {}
    for type_name, assets in build_assets(connection_qualified_name, summaries, schema).items():
        path = output / TRANSFORMED_DIR / type_name.lower() / TRANSFORMED_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            for asset in assets:
                line = entity_bytes(
                    asset,
                    connection_name=connection_name,
                    last_sync=last_sync,
                    entity_type=type_name,
                    envelope=ENTITY_ENVELOPE,
                )
                handle.write(line + b"\n")
        counts[type_name] = len(assets)
    return AssetCounts(
        api_specs=counts["APISpec"],
        api_paths=counts["APIPath"],
        api_objects=counts["APIObject"],
        api_fields=counts["APIField"],
    )


def publish_handoff(connection_qualified_name: str, output_prefix: str, assets: AssetCounts) -> PublishInputMixin:
    """What publish reads from the run's result: the transformed prefix, and the state prefixes the
    SDK derives from the connection (it refuses an unsafe one). Empty when nothing was transformed:
    publish must never diff a connection against an empty tree."""
    if not assets.api_specs or not output_prefix:
        # model_construct skips the validator, which would derive a prefix from the workflow's path.
        return PublishInputMixin.model_construct()
    return PublishInputMixin(
        output_path=output_prefix.rstrip("/"),
        connection_qualified_name=connection_qualified_name,
        transformed_data_prefix=posixpath.join(output_prefix.rstrip("/"), TRANSFORMED_DIR),
    )
