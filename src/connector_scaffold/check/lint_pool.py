"""Lint file contents on the `ast` path, falling back to the libcst engine file by file, and across processes when
there are enough files to pay for the workers (a pre-commit run of a few files stays in one process)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from connector_scaffold.codemods.lint.findings import Finding

# Below this many files to lint, starting workers (tens of milliseconds each) costs more than it saves.
POOL_THRESHOLD = 48
# Enough chunks per worker that one slow file does not leave the other workers idle at the end.
_CHUNKS_PER_WORKER = 8


def lint_source(data: bytes) -> list[Finding]:
    from connector_scaffold.codemods.fast import engine as fast

    found = fast.lint(data)
    if found is not None:
        return found
    from connector_scaffold.codemods.lint import engine

    return engine.lint(data, engine.load_rules())


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def lint_many(contents: Sequence[bytes], workers: int | None = None) -> list[list[Finding]]:
    """The findings of each content, in order."""
    workers = min(workers or _workers(), len(contents) // (POOL_THRESHOLD // 2) or 1)
    if workers < 2 or len(contents) < POOL_THRESHOLD:
        return [lint_source(data) for data in contents]
    # Imported here: a run of a few files (pre-commit) never pays for them.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: the workers start with the engine already imported (spawn would import it again in each).
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    from connector_scaffold.codemods.fast import engine  # noqa: F401  (imported before forking)

    chunk = max(1, len(contents) // (workers * _CHUNKS_PER_WORKER))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(lint_source, contents, chunksize=chunk))
