"""The incremental SQL add-incremental writes, executed for real.

PostgreSQL: a real server from the `pgserver` wheel (binaries inside the wheel, started offline; as root it runs
postgres as a `pgserver` system user it creates, so CI as root works too). The v2_sql_postgres fixture is made
incremental, then its incremental table query labels tables against a marker: a table untouched since the marker
NO CHANGE, an altered one UPDATED, a new one CREATED; its incremental column query returns the columns of the
tables it is given only. MySQL/MariaDB and Snowflake have no server pip can install and start here: their queries
(from the v2_sql_mysql fixture and --dialect snowflake) are parsed with sqlglot in those dialects.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path

import libcst as cst
import pytest
import sqlglot

from connector_scaffold.codemods.cst_helpers import find_all, string_value
from tests.incremental_helpers import add_incremental, copy_app, git_commit

# What the SDK's prepare_query() puts in the app's placeholders when the run has no include/exclude filter.
NO_FILTERS = {"normalized_include_regex": ".*", "normalized_exclude_regex": "^$", "temp_table_regex_sql": ""}


@pytest.fixture(scope="module")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import pgserver

    pgdata = tmp_path_factory.mktemp("pgdata")
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    # The query dates tables by the commit time of their catalog rows; postgres records it only with this on.
    server.psql("ALTER SYSTEM SET track_commit_timestamp = on;")
    server.cleanup()
    server = pgserver.get_server(pgdata, cleanup_mode="delete")
    yield server.get_uri()
    server.cleanup()


@pytest.fixture(scope="module")
def postgres_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    app = copy_app("v2_sql_postgres", tmp_path_factory.mktemp("apps") / "pg")
    result = add_incremental(app)
    assert result.exit_code == 0, result.output
    return app


def _fill(sql: str, **values: str) -> str:
    """The SDK's order: {marker_timestamp} by replace, then the app's placeholders by str.format."""
    marker = values.pop("marker_timestamp", None)
    if marker is not None:
        sql = sql.replace("{marker_timestamp}", marker)
    return sql.format(**{**NO_FILTERS, **values})


def _table_id_sql(app: Path) -> str:
    """The id expression build_incremental_column_sql() was generated with (its `table_id = "..."` line)."""
    module = cst.parse_module((app / "app" / "activities.py").read_text())
    for assign in find_all(module, cst.Assign):
        target = assign.targets[0].target
        if isinstance(target, cst.Name) and target.value == "table_id":
            value = string_value(assign.value)
            assert value is not None
            return value
    raise AssertionError("no table_id = ... in build_incremental_column_sql()")


def test_a_changed_table_is_created_or_updated_and_an_unchanged_one_no_change(
    postgres: str, postgres_app: Path
) -> None:
    import psycopg

    table_sql = (postgres_app / "app" / "sql" / "extract_table_incremental.sql").read_text()
    with psycopg.connect(postgres, autocommit=True) as db:
        db.execute("CREATE SCHEMA shop")
        db.execute("CREATE TABLE shop.orders (id int, total numeric)")
        db.execute("CREATE TABLE shop.customers (id int, name text)")
        db.execute("CREATE TABLE shop.ledger (id int)")
        # The marker of the "last run": the next whole second after these commits (markers are %Y-%m-%dT%H:%M:%SZ).
        committed = db.execute("SELECT clock_timestamp()").fetchone()[0]
        marker = (committed + timedelta(seconds=1)).replace(microsecond=0)
        while db.execute("SELECT clock_timestamp()").fetchone()[0] <= marker:
            time.sleep(0.05)  # waiting for the clock to pass the marker, not timing anything
        db.execute("ALTER TABLE shop.customers ADD COLUMN email text")
        db.execute("CREATE TABLE shop.invoices (id int, due date)")

        sql = _fill(table_sql, marker_timestamp=marker.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        rows = db.execute(
            f"SELECT table_name, incremental_state FROM ({sql}) labelled WHERE table_schema = 'shop'"
        ).fetchall()
    assert dict(rows) == {
        "orders": "NO CHANGE",
        "ledger": "NO CHANGE",
        "customers": "UPDATED",
        "invoices": "CREATED",
    }


def test_the_full_table_query_and_the_incremental_one_list_the_same_tables(postgres: str, postgres_app: Path) -> None:
    import psycopg

    full = (postgres_app / "app" / "sql" / "extract_table.sql").read_text().strip().rstrip(";")
    incremental = (postgres_app / "app" / "sql" / "extract_table_incremental.sql").read_text()
    with psycopg.connect(postgres, autocommit=True) as db:
        before = db.execute(_fill(full)).fetchall()
        after = db.execute(_fill(incremental, marker_timestamp="2000-01-01T00:00:00Z")).fetchall()
    assert sorted(r[:-1] for r in after) == sorted(before)  # the app's columns, then incremental_state
    assert {r[-1] for r in after} <= {"CREATED", "UPDATED", "NO CHANGE"}


def test_the_incremental_column_query_returns_the_given_tables_columns_only(postgres: str, postgres_app: Path) -> None:
    import psycopg

    column_sql = (postgres_app / "app" / "sql" / "extract_column_incremental.sql").read_text()
    with psycopg.connect(postgres, autocommit=True) as db:
        db.execute("CREATE SCHEMA IF NOT EXISTS hr")
        db.execute('CREATE TABLE hr."O\'Brien" (id int, note text)')
        db.execute("CREATE TABLE hr.staff (id int, name text, team text)")
        database = db.execute("SELECT current_database()").fetchone()[0]
        wanted = [f"{database}.hr.O'Brien", f"{database}.hr.staff"]
        ids = ", ".join("'" + i.replace("'", "''") + "'" for i in wanted)
        table_filter = f"({_table_id_sql(postgres_app)} IN ({ids}))"
        # build_incremental_column_sql() keeps {table_id_filter} through str.format, then puts the ids in it.
        sql = _fill(column_sql.replace("{table_id_filter}", "{{table_id_filter}}")).replace(
            "{table_id_filter}", table_filter
        )
        rows = db.execute(f"SELECT table_name, column_name FROM ({sql}) cols").fetchall()
    assert sorted(rows) == [
        ("O'Brien", "id"),
        ("O'Brien", "note"),
        ("staff", "id"),
        ("staff", "name"),
        ("staff", "team"),
    ]


@pytest.mark.parametrize(("fixture", "dialect"), [("v2_sql_mysql", "mysql"), ("v2_sql_mysql", "snowflake")])
def test_mysql_and_snowflake_queries_parse_in_their_dialect(fixture: str, dialect: str, tmp_path: Path) -> None:
    app = copy_app(fixture, tmp_path / "app", git=False)
    if dialect == "snowflake":
        # The sample's MySQL REGEXP filters are not Snowflake SQL: a Snowflake-style app's queries use RLIKE.
        for path in (app / "app" / "sql").glob("*.sql"):
            path.write_text(path.read_text().replace("NOT REGEXP", "NOT RLIKE").replace("REGEXP", "RLIKE"))
        client = app / "app" / "clients.py"
        client.write_text(client.read_text().replace("mysql+aiomysql", "snowflake"))
    git_commit(app, "fixture app")
    result = add_incremental(app)
    assert result.exit_code == 0, result.output
    table_sql = (app / "app" / "sql" / "extract_table_incremental.sql").read_text()
    filled = _fill(table_sql, marker_timestamp="2024-01-15T00:00:00Z")
    parsed = sqlglot.parse_one(filled, read=dialect)
    assert "incremental_state" in [e.alias_or_name for e in parsed.expressions]
    column_sql = (app / "app" / "sql" / "extract_column_incremental.sql").read_text()
    table_filter = f"({_table_id_sql(app)} IN ('def.shop.orders'))"
    filled = _fill(column_sql.replace("{table_id_filter}", "{{table_id_filter}}")).replace(
        "{table_id_filter}", table_filter
    )
    assert sqlglot.parse_one(filled, read=dialect).find(sqlglot.exp.In) is not None
    assert re.search(r"\{\w+\}", filled) is None
