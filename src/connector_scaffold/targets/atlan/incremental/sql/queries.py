"""The app's own table and column queries, read with sqlglot: what they return (the catalog, schema and table
columns the incremental SQL joins and filters on) and their text to wrap.

The incremental SQL wraps the app's query as it is (its filters and `{placeholders}` included), so the incremental
run returns the same rows and columns as the full one, plus `incremental_state` on tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlglot
from sqlglot import expressions as exp

from connector_scaffold.errors import ScaffoldError
from connector_scaffold.targets.atlan.incremental.sql.dialects import Dialect

PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Names the SDK's queries and the public apps give the three parts of a table id, most usual first.
ROLES: dict[str, tuple[str, ...]] = {
    "catalog": ("table_catalog", "table_cat", "catalog_name", "database_name", "table_database"),
    "schema": ("table_schema", "table_schem", "schema_name"),
    "table": ("table_name",),
}


@dataclass(frozen=True)
class AppQuery:
    path: str
    body: str  # the query without its trailing `;`, to sit inside a subquery
    catalog: str | None
    schema: str
    table: str


def read_query(path: str, text: str, dialect: Dialect, need_catalog: bool) -> AppQuery:
    """The query of an app SQL file and its id columns; ScaffoldError names the file when they cannot be found."""
    body = text.strip().rstrip(";").rstrip()
    names = output_columns(body, dialect)
    if names is None:
        raise ScaffoldError(
            f"{path}: cannot read the columns this query returns ({dialect.name} SQL, or a `*` select list); "
            "name them in the SELECT list, or pass --dialect if the dialect is wrong"
        )
    found = {role: next((n for n in names if n.lower() in choices), None) for role, choices in ROLES.items()}
    missing = [r for r in ("schema", "table") if found[r] is None] + (
        ["catalog"] if need_catalog and found["catalog"] is None else []
    )
    if missing:
        wanted = " / ".join(f"{r} ({', '.join(ROLES[r])})" for r in missing)
        raise ScaffoldError(
            f"{path}: the query returns no {wanted} column (it returns {', '.join(names)}); the SDK's table ids are "
            "catalog.schema.table: alias those columns so"
        )
    return AppQuery(path, body, found["catalog"], found["schema"] or "", found["table"] or "")


def output_columns(sql: str, dialect: Dialect) -> list[str] | None:
    """The names of the columns the last SELECT of `sql` returns, or None when sqlglot cannot tell."""
    # Placeholders are filled in by the SDK at run time: inside quotes they become '', bare fragments nothing.
    parseable = PLACEHOLDER.sub("", sql)
    try:
        statements = [s for s in sqlglot.parse(parseable, read=dialect.sqlglot) if s is not None]
    except sqlglot.errors.SqlglotError:
        return None
    if not statements:
        return None
    query = statements[-1]
    select = query if isinstance(query, exp.Select) else query.find(exp.Select)
    if select is None:
        return None
    names = [e.alias_or_name for e in select.expressions]
    if names == ["*"]:
        return _catalog_view_columns(select)
    if any(not n or n == "*" for n in names):
        return None
    return names


def _catalog_view_columns(select: exp.Select) -> list[str] | None:
    """`SELECT t.* FROM information_schema.tables t` (the SDK's PostgreSQL example): the standard view's id columns,
    which every INFORMATION_SCHEMA.TABLES / COLUMNS has."""
    source = select.args.get("from_") or select.args.get("from")
    table = source.find(exp.Table) if source is not None else None
    if table is None or select.args.get("joins"):
        return None
    if table.db.lower() == "information_schema" and table.name.lower() in ("tables", "columns"):
        return ["table_catalog", "table_schema", "table_name"]
    return None
