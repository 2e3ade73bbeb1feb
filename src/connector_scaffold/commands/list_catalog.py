"""`scaffold list`: the built-in catalog, one row per source (plain table or JSON), sorted by name."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from connector_scaffold.catalog import catalog_entry, catalog_names
from connector_scaffold.catalog.facts import catalog_facts
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.pipeline import Echo
from connector_scaffold.spec import load_spec
from connector_scaffold.targets import TARGETS

FORMATS = ("text", "json")
COLUMNS = ("name", "auth", "pagination", "entities", "targets")


@dataclass(frozen=True)
class CatalogRow:
    name: str
    display_name: str
    auth: str
    pagination: str
    entities: int
    entity_names: list[str]
    requests_per_second: float
    # Every catalog entry renders for every target: tests/test_catalog.py renders each one with each target.
    targets: list[str]
    references: list[str]


def catalog_rows() -> list[CatalogRow]:
    """One row per catalog entry, sorted by name; a malformed entry is a ScaffoldError naming it."""
    rows = []
    for name in catalog_names():
        spec = load_spec(catalog_entry(name) or {})
        rows.append(
            CatalogRow(
                name=name,
                display_name=spec.display_name,
                auth=spec.auth.type,
                pagination=spec.pagination.style,
                entities=len(spec.entities),
                entity_names=[entity.name for entity in spec.entities],
                requests_per_second=spec.rate_limit.requests_per_second,
                targets=list(TARGETS),
                references=catalog_facts(name).references(),
            )
        )
    return rows


def table_lines(rows: list[CatalogRow]) -> list[str]:
    """A plain table: a header, then one left-aligned row per source (no trailing spaces)."""
    cells = [list(COLUMNS)] + [[r.name, r.auth, r.pagination, str(r.entities), ",".join(r.targets)] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells]


def run(output_format: str, out: Echo, err: Echo) -> int:
    del err  # nothing to warn about: the catalog is part of the package
    if output_format not in FORMATS:
        raise ScaffoldError(f"--format {output_format!r}: not one of {', '.join(FORMATS)}")
    rows = catalog_rows()
    if output_format == "json":
        out(json.dumps([asdict(row) for row in rows], indent=2))
    else:
        for line in table_lines(rows):
            out(line)
    return 0
