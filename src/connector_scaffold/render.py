"""Copier adapter: render a template into a scratch folder and read it back as bytes.

Copier is imported here and nowhere else, so commands that never render (and `--help`) stay fast. Formatting the
result is formatting.py's job.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from connector_scaffold.errors import ScaffoldError
from connector_scaffold.formatting import format_python
from connector_scaffold.paths import template


def render_template(
    name: str, answers: dict[str, Any], *, ruff_format: bool = True, source: Path | None = None
) -> dict[str, bytes]:
    """Render template `name` with `answers`; return {relative posix path: bytes}, formatted by ruff.

    `ruff_format=False` leaves the formatting to the caller, e.g. `format_like` with the target project's config.
    `source` renders another release of the template (`scaffold update`'s old side) instead of the installed one.
    Every render is stamped with the template's release and fingerprint, which the answers files record.
    """
    from copier import run_copy
    from copier.errors import CopierError

    from connector_scaffold.releases import stamp

    root = source or template(name)

    with tempfile.TemporaryDirectory(prefix="scaffold-render-") as scratch:
        out = Path(scratch) / "out"
        try:
            run_copy(
                str(root),
                out,
                data={**answers, **stamp(root)},
                defaults=True,
                overwrite=True,
                quiet=True,
                unsafe=False,
                skip_tasks=True,
            )
        except (CopierError, ValueError) as error:
            raise ScaffoldError(f"template {name!r} did not render: {_one_line(error)}") from None
        if ruff_format:
            format_python(out)
        return read_tree(out)


def read_tree(root: Path) -> dict[str, bytes]:
    """Every regular file under root, keyed by sorted POSIX relative path."""
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[-1] if text else type(error).__name__
