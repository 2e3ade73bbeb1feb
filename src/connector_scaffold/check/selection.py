"""Which rule codes run: --select / --ignore and the config, as code prefixes like ruff's.

The layers are ruff's: the config's `select` (default: every rule) plus `extend-select`, minus its `ignore`; a
`--select` on the command line starts over from what it names (so it re-enables a code the config ignores), and
`--ignore` always applies. `per-file-ignores` then remove codes file by file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

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
    """`--select A,B --select C` and config lists alike, as one tuple of selectors (upper case)."""
    return tuple(part.strip().upper() for value in values for part in value.split(",") if part.strip())


def check_selectors(known: Sequence[str], selectors: Iterable[str], where: str) -> None:
    """Refuse a selector that names no code, saying where it was written."""
    for selector in selectors:
        if selector != "ALL" and not any(code.startswith(selector) for code in known):
            raise ScaffoldError(f"{where}: unknown rule code {selector!r}; known: {known[0]}..{known[-1]}")


def enabled_codes(
    known: tuple[str, ...],
    select: Iterable[str] | None,
    ignore: Iterable[str],
    *,
    extend_select: Iterable[str] = (),
    cli_select: Iterable[str] | None = None,
    cli_ignore: Iterable[str] = (),
) -> frozenset[str]:
    if cli_select is not None:
        chosen = matching(known, _given(cli_select), "--select")
    else:
        chosen = matching(known, split(select), "select") if select is not None else set(known)
        chosen = (chosen | matching(known, split(extend_select), "extend-select")) - matching(
            known, split(ignore), "ignore"
        )
    return frozenset(chosen - matching(known, split(cli_ignore), "--ignore"))


def _given(select: Iterable[str]) -> tuple[str, ...]:
    selectors = split(select)
    if not selectors:
        raise ScaffoldError("--select: no rule code given (use --select ALL for every rule)")
    return selectors


def matching(known: Sequence[str], selectors: Iterable[str], option: str) -> set[str]:
    found: set[str] = set()
    for selector in selectors:
        codes = set(known) if selector == "ALL" else {code for code in known if code.startswith(selector)}
        if not codes:
            raise ScaffoldError(f"{option}: unknown rule code {selector!r}; known: {known[0]}..{known[-1]}")
        found |= codes
    return found
