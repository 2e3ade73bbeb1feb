"""The query map of a SQL app: each `app/sql/*.sql` file, the catalog views it reads, the columns it returns,
its placeholders and the timestamp columns it selects, with line numbers; the SQL dialect from the client's
connection template; the SDK's file -> step convention (extract_table.sql -> fetch_tables)."""

from __future__ import annotations

import re
from itertools import pairwise

from connector_scaffold.targets.atlan.analysis.entities import singular
from connector_scaffold.targets.atlan.analysis.model import Link, Query, Timestamp
from connector_scaffold.targets.atlan.analysis.timestamps import field_role

SOURCE = re.compile(r"\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_$.\"]*)", re.I)
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
WORD = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\b")
# Connection-URL schemes (SQLAlchemy dialects) -> the dialect names of the feasibility checklist.
DIALECTS = (
    ("mysql", "MySQL"),
    ("mariadb", "MySQL"),
    ("postgres", "PostgreSQL"),
    ("redshift", "PostgreSQL"),
    ("snowflake", "Snowflake"),
    ("oracle", "Oracle"),
    ("mssql", "SQL Server"),
    ("clickhouse", "ClickHouse"),
)
HIERARCHY = ("database", "schema", "table", "column")
# The key column a child's query carries for its parent (catalog spelling), which is the link's evidence.
PARENT_KEYS = {
    "schema": ("catalog_name", "table_catalog", "database_name"),
    "table": ("table_schema", "table_schem", "schema_name"),
    "column": ("table_name",),
}


def strip_comments(text: str) -> str:
    """Comments blanked out, newlines kept (line numbers stay right)."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return re.sub(r"/\*.*?\*/|--[^\n]*", blank, text, flags=re.S)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def queries(texts: dict[str, str]) -> tuple[list[Query], list[Timestamp], list[Link]]:
    found: list[Query] = []
    stamps: list[Timestamp] = []
    entity_files: dict[str, tuple[str, str]] = {}
    for path in sorted(p for p in texts if p.startswith("app/") and p.endswith(".sql")):
        text = strip_comments(texts[path])
        stem = path.rsplit("/", 1)[-1].removesuffix(".sql")
        entity = singular(stem.removeprefix("extract_")) if stem.startswith("extract_") else ""
        is_fragment = "temp_table_regex" in stem or not re.search(r"\bSELECT\b", text, re.I)
        step = f"fetch_{entity}s" if entity and not is_fragment else ""
        if is_fragment:
            entity = ""
        sources = tuple(dict.fromkeys(f"{m.group(1)}@{_line(text, m.start(1))}" for m in SOURCE.finditer(text)))
        found.append(
            Query(path, step, entity, sources, tuple(_columns(text)), tuple(dict.fromkeys(PLACEHOLDER.findall(text))))
        )
        if entity:
            entity_files[entity] = (path, text)
        for match in WORD.finditer(text):
            role = field_role(match.group(1))
            if role:
                stamps.append(Timestamp(match.group(1), role, entity, f"{path}:{_line(text, match.start())}", "sql"))
    links = []
    for parent, child in pairwise(HIERARCHY):
        if parent not in entity_files or child not in entity_files:
            continue
        path, text = entity_files[child]
        for key in PARENT_KEYS[child]:
            hit = re.search(rf"\b{key}\b", text, re.I)
            if hit:
                links.append(Link(parent, child, f"{path}:{_line(text, hit.start())}", f"{child} rows carry {key}"))
                break
    return found, stamps, links


def _columns(text: str) -> list[str]:
    """The output names of the outermost SELECT list (the alias, or the last name of each item)."""
    match = re.search(r"\bSELECT\b(.*?)\bFROM\b", text, re.I | re.S)
    if not match:
        return []
    items, depth, current = [], 0, ""
    for char in match.group(1):
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    names = []
    for item in items:
        words = WORD.findall(item)
        if words:
            names.append(words[-1])
    return names


def dialect(texts: dict[str, str]) -> tuple[str, str]:
    """(dialect, file:line of the connection template that names it), or ("", "")."""
    for path in sorted(p for p in texts if p.startswith("app/") and p.endswith(".py")):
        for number, line in enumerate(texts[path].splitlines(), 1):
            match = re.search(r"""["']([a-z0-9]+)(?:\+[a-z0-9_]+)?://""", line)
            if match:
                for scheme, name in DIALECTS:
                    if match.group(1).startswith(scheme):
                        return name, f"{path}:{number}"
    return "", ""
