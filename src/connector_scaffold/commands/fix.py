"""`scaffold fix [PATHS]`: apply every fix `check` offers, atomically, then report what is left."""

from __future__ import annotations

from pathlib import Path

from connector_scaffold.check.runner import CheckRequest
from connector_scaffold.check.runner import run as run_lint
from connector_scaffold.pipeline import Echo


def run(
    paths: tuple[Path, ...],
    out: Echo,
    err: Echo,
    *,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    use_cache: bool = True,
    include_tests: bool = False,
) -> int:
    """Exit 0 even when findings remain, as pre-commit expects from a fixer."""
    request = CheckRequest(
        paths=paths or (Path("."),),
        select=select if select else None,
        ignore=ignore,
        use_cache=use_cache,
        include_tests=include_tests,
        fix=True,
    )
    return run_lint(request, out, err)
