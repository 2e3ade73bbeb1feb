"""The SQL dialects add-incremental writes incremental SQL for, and how an app's SQL client names one.

A dialect is chosen from the SQLAlchemy URL of the app's client (`DatabaseConfig(template="mysql+aiomysql://...")`)
or `--dialect`; the incremental SQL templates branch on `Dialect.name`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

DialectName = Literal["mysql", "postgresql", "snowflake"]
DIALECTS: tuple[DialectName, ...] = ("mysql", "postgresql", "snowflake")

# SQLAlchemy backend names (the part of the URL scheme before `+driver`) -> the dialect whose catalog SQL fits.
_BACKENDS: dict[str, DialectName] = {
    "mysql": "mysql",
    "mariadb": "mysql",
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "snowflake": "snowflake",
}
URL_SCHEME = re.compile(r"^([a-z][a-z0-9]*)(?:\+[a-z0-9_]+)?://", re.IGNORECASE)


@dataclass(frozen=True)
class Dialect:
    name: DialectName
    # sqlglot's name for it: the app's SQL is parsed with it to find the columns its queries return.
    sqlglot: str
    # MySQL and Snowflake read a backslash in a string literal as an escape; PostgreSQL (standard strings) does not.
    backslash_escapes: bool

    def concat(self, parts: list[str]) -> str:
        """`a || '.' || b` (CONCAT() on MySQL, where || is OR unless PIPES_AS_CONCAT is set)."""
        dotted = [p for part in parts for p in (part, "'.'")][:-1]
        return f"CONCAT({', '.join(dotted)})" if self.name == "mysql" else " || ".join(dotted)


_ALL = {
    "mysql": Dialect("mysql", "mysql", backslash_escapes=True),
    "postgresql": Dialect("postgresql", "postgres", backslash_escapes=False),
    "snowflake": Dialect("snowflake", "snowflake", backslash_escapes=True),
}


def dialect(name: DialectName) -> Dialect:
    return _ALL[name]


def dialect_from_url(url: str) -> DialectName | None:
    """The dialect of a SQLAlchemy URL or URL template (`postgresql+asyncpg://{user}@...`), or None."""
    match = URL_SCHEME.match(url.strip())
    return _BACKENDS.get(match.group(1).lower()) if match else None
