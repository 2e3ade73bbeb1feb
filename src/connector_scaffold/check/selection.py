"""Which rule codes run: --select / --ignore and the config, as code prefixes like ruff's."""

from __future__ import annotations

import re
from collections.abc import Iterable

from connector_scaffold.codemods.lint.findings import PARSE_ERROR
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.paths import codemods_dir

_RULE_FILE = re.compile(r"^(scf\d{3})_\w+\.py$")


def known_codes() -> tuple[str, ...]:
    """Every code, read from the rule files' names so that no rule (and no libcst) has to be imported."""
    rules = (
        match.group(1).upper()
        for path in (codemods_dir() / "rules").iterdir()
        if (match := _RULE_FILE.match(path.name))
    )
    return (PARSE_ERROR, *sorted(rules))


def split(values: Iterable[str]) -> tuple[str, ...]:
    """`--select A,B --select C` and config lists alike, as one tuple of selectors."""
    return tuple(part.strip().upper() for value in values for part in value.split(",") if part.strip())


def enabled_codes(known: tuple[str, ...], select: Iterable[str] | None, ignore: Iterable[str]) -> frozenset[str]:
    chosen = _matching(known, split(select), "select") if select is not None else set(known)
    return frozenset(chosen - _matching(known, split(ignore), "ignore"))


def _matching(known: tuple[str, ...], selectors: tuple[str, ...], option: str) -> set[str]:
    found: set[str] = set()
    for selector in selectors:
        codes = set(known) if selector == "ALL" else {code for code in known if code.startswith(selector)}
        if not codes:
            raise ScaffoldError(f"--{option}: unknown rule code {selector!r}; known: {known[0]}..{known[-1]}")
        found |= codes
    return found
