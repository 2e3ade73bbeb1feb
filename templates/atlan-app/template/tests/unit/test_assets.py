"""The Atlan assets of a run: pyatlan_v9 round trip, the SDK's own validator, determinism."""

from __future__ import annotations

from pathlib import Path

from application_sdk.common.last_sync import LastSyncDetails
from application_sdk.validation.assets import validate_transformed_dir
from pyatlan_v9.model.assets import APIField, APIObject

from app.asset_mapper import epoch_millis
from app.contracts import AssetCounts, EntitySummary, OutcomeCounts
from app.drift import JsonSchema, SchemaObserver
from app.spec import ENTITIES
from app.transformed import TRANSFORMED_DIR, publish_handoff, write_assets
from tests.support.assets import assert_catalog, load_assets
from tests.support.dataset import Dataset, build_dataset
from tests.support.runtime import CONNECTION_QUALIFIED_NAME

LAST_SYNC = LastSyncDetails(run="run-1", workflow_name="wf-assets", run_at_ms=1_700_000_000_000)


def summaries(dataset: Dataset) -> list[EntitySummary]:
    return [
        EntitySummary(
            entity=entity.name,
            counts=OutcomeCounts(extracted=len(dataset.records[entity.name])),
            watermark_field=entity.timestamp_field,
            watermark_max="1700000007" if entity.timestamp_field else None,
        )
        for entity in ENTITIES
    ]


def observed_schema(dataset: Dataset) -> JsonSchema:
    observer = SchemaObserver()
    for entity in ENTITIES:
        observer.entity(entity.name)
        for record in dataset.records[entity.name]:
            observer.observe(entity.name, record)
    return observer.schema()


def write(root: Path, schema: JsonSchema | None = None) -> tuple[AssetCounts, dict[str, bytes]]:
    dataset = build_dataset()
    counts = write_assets(
        root,
        CONNECTION_QUALIFIED_NAME,
        "simulator",
        summaries(dataset),
        observed_schema(dataset) if schema is None else schema,
        LAST_SYNC,
    )
    files = {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}
    return counts, files


def test_every_asset_loads_back_into_pyatlan_and_passes_the_sdk_validator(tmp_path: Path) -> None:
    dataset = build_dataset()
    counts, files = write(tmp_path)
    assert_catalog(files, dataset.counts(), CONNECTION_QUALIFIED_NAME)
    assert counts.api_specs == 1
    assert counts.api_objects == len(ENTITIES)
    assert counts.api_fields == len([a for a in load_assets(files) if isinstance(a, APIField)])
    # What the SDK runs on every upload before publish: per-asset checks plus the orphan pass.
    report = validate_transformed_dir(tmp_path / TRANSFORMED_DIR)
    assert report.ok, report.format_report()
    assert report.referential_check == "ran"
    assert report.total == sum(counts.model_dump().values())


def test_the_same_run_gives_the_same_bytes_sorted_by_qualified_name(tmp_path: Path) -> None:
    _, first = write(tmp_path / "a")
    _, second = write(tmp_path / "b")
    assert first == second
    for name in first:
        names = [str(asset.qualified_name) for asset in load_assets({name: first[name]})]
        assert names == sorted(names), name
    assert all(b"lastSyncRunAt" in line for data in first.values() for line in data.splitlines())


def test_a_field_the_source_added_is_catalogued_with_the_type_it_was_seen_as(tmp_path: Path) -> None:
    entity = ENTITIES[0]
    schema = observed_schema(build_dataset())
    schema[entity.name] = {**schema[entity.name], "added_by_the_source": ["boolean", "null"]}
    _, files = write(tmp_path, schema)
    assets = load_assets(files)
    added = [a for a in assets if isinstance(a, APIField) and a.name == "added_by_the_source"]
    assert len(added) == 1
    assert added[0].api_field_type == "boolean"
    assert "not in the connector spec" in str(added[0].description)
    api_object = next(a for a in assets if isinstance(a, APIObject) and a.name == entity.name)
    assert api_object.api_field_count == len({f.name for f in entity.fields} | {"added_by_the_source"})


def test_a_field_named_after_an_entity_references_that_entity(tmp_path: Path) -> None:
    target, holder = ENTITIES[0], ENTITIES[-1]
    schema = observed_schema(build_dataset())
    schema[holder.name] = {**schema[holder.name], f"{target.name}_id": ["string"]}
    _, files = write(tmp_path, schema)
    assets = load_assets(files)
    target_qn = next(a.qualified_name for a in assets if isinstance(a, APIObject) and a.name == target.name)
    reference = next(a for a in assets if isinstance(a, APIField) and a.name == f"{target.name}_id")
    assert reference.api_is_object_reference is True
    assert reference.api_object_qualified_name == target_qn


def test_without_a_connection_nothing_is_written_and_publish_gets_no_prefix(tmp_path: Path) -> None:
    dataset = build_dataset()
    counts = write_assets(tmp_path, "", "", summaries(dataset), observed_schema(dataset), LAST_SYNC)
    assert counts == AssetCounts()
    assert not (tmp_path / TRANSFORMED_DIR).exists()
    handoff = publish_handoff(CONNECTION_QUALIFIED_NAME, "artifacts/run/output", counts)
    assert (handoff.transformed_data_prefix, handoff.publish_state_prefix, handoff.current_state_prefix) == ("", "", "")


def test_publish_gets_the_transformed_prefix_and_the_connection_state_prefixes() -> None:
    handoff = publish_handoff(CONNECTION_QUALIFIED_NAME, "artifacts/run/output", AssetCounts(api_specs=1))
    assert handoff.transformed_data_prefix == "artifacts/run/output/transformed"
    assert handoff.connection_qualified_name == CONNECTION_QUALIFIED_NAME
    assert handoff.publish_state_prefix.endswith(f"/{CONNECTION_QUALIFIED_NAME}/publish-state")
    assert handoff.current_state_prefix.endswith(f"/{CONNECTION_QUALIFIED_NAME}/current-state")


def test_change_timestamps_become_epoch_milliseconds() -> None:
    assert epoch_millis("1700000000") == 1_700_000_000_000
    assert epoch_millis("1700000000000") == 1_700_000_000_000
    assert epoch_millis("2023-11-14T22:13:20Z") == 1_700_000_000_000
    assert epoch_millis("2023-11-14T22:13:20") == 1_700_000_000_000
    assert epoch_millis("not a time") is None
    assert epoch_millis(None) is None
