"""The output tree: chunks roll at the size limit, the index finds every record, a retried attempt starts clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.contracts import EntityBatch, SourceSettings
from app.extract import list_entity
from app.http_client import open_client
from app.ndjson import read_json
from app.output import DEAD_LETTER_DIR, INDEX_FILE, MAX_CHUNK_BYTES, RECORDS_DIR, build_output
from app.probe import TOP_LEVEL
from tests.support.dataset import Dataset
from tests.support.inline import read_lines, run_inline
from tests.support.runtime import json_lines
from tests.support.simulator import Fault, SourceSimulator

ENTITY = TOP_LEVEL[0]
# The platform's limit for one artifact file (IMPL-05): what the publish step reads.
PLATFORM_CHUNK_LIMIT = 50 * 1024 * 1024


async def extracted(settings: SourceSettings, credentials: dict[str, object], raw: Path) -> EntityBatch:
    async with open_client(settings, credentials) as client:
        return await list_entity(client, ENTITY, raw, page_size=settings.page_size, offload=run_inline)


def index_of(output: Path) -> dict[str, Any]:
    index = read_json(output / INDEX_FILE)
    assert isinstance(index, dict)
    return index


def chunks_of(output: Path) -> list[dict[str, Any]]:
    chunks: list[dict[str, Any]] = index_of(output)["entities"][ENTITY.name]["chunks"]
    return chunks


def longest_line(path: str | None) -> int:
    return max(len(line) for line in Path(path or "").read_bytes().splitlines(keepends=True))


def chunk_bytes(output: Path, chunk: dict[str, Any]) -> bytes:
    return (output / RECORDS_DIR / str(chunk["chunk"])).read_bytes()


def chunk_files(output: Path) -> list[Path]:
    return sorted((output / RECORDS_DIR / ENTITY.name).glob("result-*.json"))


async def test_guarantee_chunks_roll_at_the_size_limit(
    simulator: SourceSimulator,
    settings: SourceSettings,
    credentials: dict[str, object],
    dataset: Dataset,
    tmp_path: Path,
) -> None:
    batch = await extracted(settings, credentials, tmp_path / "raw")
    limit = 2 * longest_line(batch.records.local_path)
    output = tmp_path / "output"
    build_output([batch], output, max_chunk_bytes=limit)
    assert index_of(output)["max_chunk_bytes"] == limit
    chunks = chunks_of(output)
    assert len(chunks) > 1, "the records fit one chunk: the limit was never reached"
    lines: list[dict[str, Any]] = []
    for chunk in chunks:
        data = chunk_bytes(output, chunk)
        assert len(data) <= limit
        assert chunk["start_line"] == len(lines)
        chunk_lines = json_lines(data)
        assert len(chunk_lines) == chunk["count"]
        lines.extend(chunk_lines)
    assert [line["id"] for line in lines] == dataset.ids(ENTITY.name)
    assert len(chunk_files(output)) == len(chunks)


async def test_guarantee_chunks_stay_under_the_platform_limit(
    simulator: SourceSimulator,
    settings: SourceSettings,
    credentials: dict[str, object],
    tmp_path: Path,
) -> None:
    batch = await extracted(settings, credentials, tmp_path / "raw")
    output = tmp_path / "output"
    build_output([batch], output)
    limit = index_of(output)["max_chunk_bytes"]
    assert limit == MAX_CHUNK_BYTES
    assert 0 < limit <= PLATFORM_CHUNK_LIMIT


async def test_guarantee_a_retried_attempt_leaves_nothing_of_the_previous_one(
    simulator: SourceSimulator,
    settings: SourceSettings,
    credentials: dict[str, object],
    dataset: Dataset,
    tmp_path: Path,
) -> None:
    # The first attempt wrote many small chunks and two dead letters, then the
    # activity was retried: the retry's tree must be exactly its own.
    simulator.inject(ENTITY.list_path, Fault.malformed())
    batch = await extracted(settings, credentials, tmp_path / "raw")
    output = tmp_path / "output"
    build_output([batch], output, max_chunk_bytes=1)
    assert len(chunk_files(output)) == len(dataset.records[ENTITY.name])
    build_output([batch], output)
    assert len(chunk_files(output)) == 1
    assert len(read_lines(output / DEAD_LETTER_DIR / f"{ENTITY.name}.jsonl")) == 2
