"""The app's SDK requirement gains the `[incremental]` extra (DuckDB, pyarrow, rocksdict: what the SDK's
incremental SQL classes import), as a text edit of that one string: the rest of pyproject.toml stays byte for byte."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from connector_scaffold.errors import ScaffoldError
from connector_scaffold.targets.atlan.project import SDK_PACKAGE

EXTRA = "incremental"


def with_incremental_extra(text: str) -> str:
    """pyproject.toml text with `incremental` among the SDK requirement's extras; unchanged when it is there."""
    project = tomllib.loads(text).get("project", {})
    declared = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        declared.extend(group)
    for spelled in declared:
        requirement = Requirement(spelled)
        if canonicalize_name(requirement.name) != SDK_PACKAGE:
            continue
        if EXTRA in requirement.extras:
            return text
        new = _add_extra(spelled, requirement)
        quoted = [f'"{spelled}"', f"'{spelled}'"]
        found = [q for q in quoted if text.count(q) == 1]
        if not found:
            raise ScaffoldError(f"pyproject.toml: cannot find {spelled!r} once as a string; add [{EXTRA}] by hand")
        quote = found[0][0]
        return text.replace(found[0], f"{quote}{new}{quote}")
    raise ScaffoldError(f"pyproject.toml: does not declare {SDK_PACKAGE}")


def incremental_requirement(spelled: str) -> str:
    """The requirement as with_incremental_extra() leaves it (what a second run reads)."""
    requirement = Requirement(spelled)
    return spelled if EXTRA in requirement.extras else _add_extra(spelled, requirement)


def _add_extra(spelled: str, requirement: Requirement) -> str:
    """The same string with the extra added in its brackets (sorted), or brackets added after the name."""
    extras = ",".join(sorted({*requirement.extras, EXTRA}))
    bracket = re.match(r"^\s*[A-Za-z0-9._-]+\s*\[[^\]]*\]", spelled)
    if bracket:
        name = spelled[: spelled.index("[")]
        return f"{name}[{extras}]{spelled[bracket.end() :]}"
    name_end = re.match(r"^\s*[A-Za-z0-9._-]+", spelled)
    end = name_end.end() if name_end else 0
    return f"{spelled[:end]}[{extras}]{spelled[end:]}"
