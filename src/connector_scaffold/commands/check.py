"""`scaffold check [PATHS]`: lint against the guardrails; report (text or JSON) or show the fixes as a diff."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from connector_scaffold.check.runner import CheckRequest
from connector_scaffold.check.runner import run as run_lint

if TYPE_CHECKING:  # the pipeline imports the ChangeSet machinery, which a check without fixes never needs
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
    output_format: str = "text",
    diff: bool = False,
) -> int:
    """Exit 0 when clean, 1 with findings (or, with `diff`, fixes to show)."""
    request = CheckRequest(
        paths=paths or (Path("."),),
        select=select if select else None,
        ignore=ignore,
        use_cache=use_cache,
        include_tests=include_tests,
        output_format=output_format,
        diff=diff,
    )
    return run_lint(request, out, err)
