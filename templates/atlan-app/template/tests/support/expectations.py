"""Assertions on an uploaded output tree, shared by the inline and the Temporal run."""

from __future__ import annotations

from collections import Counter

import orjson

from app.output import INDEX_FILE
from app.run_metadata import RUN_METADATA_FILE
from app.spec import ENTITIES
from tests.support.dataset import Dataset
from tests.support.runtime import json_lines


def records_of(files: dict[str, bytes], entity: str) -> list[dict[str, object]]:
    index = orjson.loads(files[INDEX_FILE])
    lines: list[dict[str, object]] = []
    for chunk in index["entities"][entity]["chunks"]:
        lines.extend(json_lines(files[f"records/{chunk['chunk']}"]))
    return lines


def assert_complete_output(files: dict[str, bytes], dataset: Dataset) -> None:
    """Every record of every entity, children filed under the right parent, nothing dead-lettered."""
    for entity in ENTITIES:
        lines = records_of(files, entity.name)
        assert [line["record"] for line in lines] == dataset.records[entity.name], entity.name
        assert [line["id"] for line in lines] == dataset.ids(entity.name)
        if entity.parent is not None:
            per_parent = Counter(str(line["parent_id"]) for line in lines)
            expected = {parent: len(kids) for parent, kids in dataset.children[entity.name].items() if kids}
            assert dict(per_parent) == expected, entity.name
            for line in lines:
                assert line["record"] in dataset.children[entity.name][str(line["parent_id"])]
    assert not [name for name in files if name.startswith("dead-letter/")]


def watermark_of(values: list[object]) -> tuple[str | None, str | None]:
    """The smallest and largest change timestamp, numbers ordered before strings."""
    keys = sorted(
        (isinstance(value, str), value)
        for value in values
        if isinstance(value, int | float | str) and not isinstance(value, bool)
    )
    return (str(keys[0][1]), str(keys[-1][1])) if keys else (None, None)


def assert_run_metadata(files: dict[str, bytes], dataset: Dataset, run_id: str | None = None) -> dict[str, object]:
    """The run-metadata artifact of a clean run; run_id is checked when the caller knows it."""
    metadata = orjson.loads(files[RUN_METADATA_FILE])
    assert metadata["run_id"] == run_id if run_id is not None else metadata["run_id"]
    assert metadata["status"] == "success"
    assert metadata["errors"] == []
    assert metadata["started_at"] <= metadata["finished_at"]
    assert len(metadata["schema_fingerprint"]) == 64
    for entity in ENTITIES:
        counts = metadata["counts"][entity.name]
        assert counts["extracted"] == len(dataset.records[entity.name])
        assert counts["malformed"] == 0
        assert counts["failed_requests"] == 0
        assert counts["dead_lettered"] == 0
        if entity.timestamp_field:
            watermark = metadata["watermark_range"][entity.name]
            assert watermark["field"] == entity.timestamp_field
            low, high = watermark_of([record.get(entity.timestamp_field) for record in dataset.records[entity.name]])
            assert (watermark["min"], watermark["max"]) == (low, high), entity.name
    return metadata
