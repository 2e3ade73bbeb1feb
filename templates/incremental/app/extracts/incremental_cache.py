"""Chunked NDJSON extracts of the detail step's records, for backfilling unchanged entities.

Layout under one extracts folder: `<type>/result-N.json` chunks of at most MAX_CHUNK_BYTES, and `_index.json`
mapping each entity id to `{type: {"chunk", "start", "count"}}`. One entity's lines never span two chunks, and
backfill reads one chunk at a time, so memory stays bounded by the chunk size. No index means a full run.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Awaitable, Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from application_sdk.observability.logger_adaptor import get_logger

T = TypeVar("T")
logger = get_logger(__name__)

MAX_CHUNK_BYTES = 50 * 1024 * 1024
INDEX_NAME = "_index.json"
# Threads start on first use; two are enough for the one step of a run that uses them at a time.
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="incremental-cache")


def group_lines(
    records_by_type: Mapping[str, Iterable[Mapping[str, Any]]], owner_of: Any
) -> list[tuple[str, str, list[str]]]:
    """(entity id, type, NDJSON lines) for every record whose owner is known, sorted for stable chunks."""
    groups: dict[tuple[str, str], list[str]] = {}
    for typename, records in records_by_type.items():
        for record in records:
            owner = owner_of(record)
            if owner is None:
                continue
            groups.setdefault((owner, typename), []).append(json.dumps(record, sort_keys=True))
    return [(owner, typename, lines) for (owner, typename), lines in sorted(groups.items())]


def write_extracts(
    groups: Iterable[tuple[str, str, list[str]]], folder: Path, max_bytes: int = MAX_CHUNK_BYTES, run_key: str = ""
) -> dict[str, dict[str, dict[str, Any]]]:
    """Write the chunks and `_index.json`; an entity bigger than max_bytes gets a chunk of its own.

    With a run_key the chunks go to `<run_key>/<type>/result-N.json`: a run never overwrites the chunks the
    previous index points at, so a crash before the new index is stored leaves the old state whole.
    """
    folder.mkdir(parents=True, exist_ok=True)
    index: dict[str, dict[str, dict[str, Any]]] = {}
    state: dict[str, tuple[int, int, int]] = {}  # type -> (chunk number, bytes in it, lines in it)
    for entity_id, typename, lines in groups:
        payload = "".join(line + "\n" for line in lines)
        size = len(payload.encode("utf-8"))
        number, used, count = state.get(typename, (0, 0, 0))
        if used and used + size > max_bytes:
            number, used, count = number + 1, 0, 0
        chunk = f"{run_key}/{typename}/result-{number}.json" if run_key else f"{typename}/result-{number}.json"
        target = folder / chunk
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a" if used else "w", encoding="utf-8") as stream:
            stream.write(payload)
        index.setdefault(entity_id, {})[typename] = {"chunk": chunk, "start": count, "count": len(lines)}
        state[typename] = (number, used + size, count + len(lines))
    (folder / INDEX_NAME).write_text(json.dumps(index, sort_keys=True), encoding="utf-8")
    return index


def load_index(folder: Path) -> dict[str, dict[str, dict[str, Any]]] | None:
    """The index, or None when it is missing or not an index (a corrupt state means a full run)."""
    path = folder / INDEX_NAME
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        logger.warning("%s is unreadable: no backfill, this run extracts everything", path, exc_info=True)
        return None
    if not _is_index(data):
        logger.warning("%s is not an extracts index: no backfill, this run extracts everything", path)
        return None
    return data


def _is_index(data: Any) -> bool:
    return isinstance(data, dict) and all(
        isinstance(locations, dict)
        and all(isinstance(place, dict) and {"chunk", "start", "count"} <= place.keys() for place in locations.values())
        for locations in data.values()
    )


def chunks_for(index: Mapping[str, Mapping[str, Mapping[str, Any]]], entity_ids: Iterable[str]) -> list[str]:
    """The chunk files holding these entities, in a stable order."""
    return sorted({place["chunk"] for eid in entity_ids for place in index.get(eid, {}).values()})


async def backfill(
    index: Mapping[str, Mapping[str, Mapping[str, Any]]],
    folder: Path,
    entity_ids: Iterable[str],
    out_root: Path,
    file_name: str,
    fetch_chunk: Callable[[str], Awaitable[None]] | None = None,
) -> dict[str, int]:
    """Copy the cached lines of entity_ids into `out_root/<type>/<file_name>`, one chunk in memory at a time.

    `fetch_chunk(chunk)` may download a chunk into `folder` first; the chunk is deleted after use.
    """
    wanted = sorted(set(entity_ids) & index.keys())
    by_chunk: dict[str, list[tuple[str, str, int, int]]] = {}
    for eid in wanted:
        for typename, place in sorted(index[eid].items()):
            by_chunk.setdefault(place["chunk"], []).append((eid, typename, place["start"], place["count"]))
    records = 0
    for chunk, entries in sorted(by_chunk.items()):
        if fetch_chunk is not None:
            await fetch_chunk(chunk)
        records += await offload(_copy_lines, folder / chunk, entries, out_root, file_name)
        if fetch_chunk is not None:
            (folder / chunk).unlink(missing_ok=True)
    return {"entities": len(wanted), "records": records}


def _copy_lines(path: Path, entries: list[tuple[str, str, int, int]], out_root: Path, file_name: str) -> int:
    """Append the lines of the entries (entity, type, start, count) of one chunk; the chunk is read once."""
    lines = path.read_text(encoding="utf-8").splitlines()
    copied = 0
    for _eid, typename, start, count in entries:
        target = out_root / typename / file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as stream:
            stream.writelines(line + "\n" for line in lines[start : start + count])
        copied += count
    return copied


async def offload(func: Callable[..., T], *args: Any) -> T:
    """Run blocking file work off the event loop, so the step keeps heartbeating; on a pool of this module's own,
    since asyncio's default executor is shared with the Temporal worker (conformance P031)."""
    return await asyncio.get_running_loop().run_in_executor(_POOL, functools.partial(func, *args))
