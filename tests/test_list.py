"""`scaffold list`: the catalog as a plain table and as JSON, sorted, with one-line errors for bad usage."""

from __future__ import annotations

import json
from pathlib import Path

from connector_scaffold.catalog import catalog_entry, catalog_names
from connector_scaffold.spec import load_spec
from connector_scaffold.targets import TARGETS
from tests.conftest import scaffold_process


def test_the_table_has_a_header_and_one_row_per_catalog_entry_sorted(cli) -> None:
    done = cli("list")
    assert done.exit_code == 0
    lines = done.output.splitlines()
    assert lines[0].split() == ["name", "auth", "pagination", "entities", "targets"]
    rows = [line.split() for line in lines[1:]]
    assert [row[0] for row in rows] == sorted(catalog_names())
    assert len(rows) >= 8
    for name, auth, pagination, entities, targets in rows:
        spec = load_spec(catalog_entry(name) or {})
        assert (auth, pagination, int(entities)) == (spec.auth.type, spec.pagination.style, len(spec.entities))
        assert targets.split(",") == list(TARGETS)
    assert all(line == line.rstrip() for line in lines)
    # Columns line up: every row's auth starts where the header's does.
    column = lines[0].index("auth")
    assert all(line[column - 2 : column] == "  " and line[column] != " " for line in lines[1:])


def test_json_holds_the_same_facts_as_data(cli) -> None:
    done = cli("list", "--format", "json")
    assert done.exit_code == 0
    rows = json.loads(done.output)
    assert [row["name"] for row in rows] == sorted(catalog_names())
    table = [line.split() for line in cli("list").output.splitlines()[1:]]
    for row, (name, auth, pagination, entities, targets) in zip(rows, table, strict=True):
        assert (row["name"], row["auth"], row["pagination"], str(row["entities"])) == (name, auth, pagination, entities)
        assert ",".join(row["targets"]) == targets
        assert row["entities"] == len(row["entity_names"])
        assert row["references"] and all(url.startswith("https://") for url in row["references"])
        assert row["requests_per_second"] > 0


def test_the_explicit_text_format_is_the_default(cli) -> None:
    assert cli("list", "--format", "text").output == cli("list").output


def test_a_bad_format_is_a_one_line_error_exit_2(tmp_path: Path) -> None:
    done = scaffold_process("list", "--format", "xml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == ["error: --format 'xml': not one of text, json"]


def test_an_unexpected_argument_is_bad_usage(cli) -> None:
    done = cli("list", "stripe")
    assert done.exit_code == 2
    assert "unexpected extra argument" in done.output
