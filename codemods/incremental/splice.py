"""Splicing snippet code into an app's code: placeholder substitution, a snippet's body or returned expression,
and entries appended in the layout of the list they join."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

import libcst as cst

from ..cst_helpers import find_all

Listed = TypeVar("Listed", cst.Arg, cst.BaseElement, cst.ImportAlias)


class _Substitute(cst.CSTTransformer):
    def __init__(self, names: Mapping[str, cst.BaseExpression], starred: Iterable[cst.Arg] | None) -> None:
        self.names = names
        self.starred = list(starred or [])

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        return self.names.get(original.value, updated)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        args: list[cst.Arg] = []
        for arg in updated.args:
            if arg.star == "**" and isinstance(arg.value, cst.Name) and arg.value.value == "STEP_OPTIONS":
                args.extend(self.starred)
            else:
                args.append(arg)
        return updated.with_changes(args=fix_commas(args))


def fix_commas(entries: list[Listed]) -> list[Listed]:
    """`a, b, c` on one line: a comma and a space between entries, none after the last."""
    between = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return [e.with_changes(comma=cst.MaybeSentinel.DEFAULT if e is entries[-1] else between) for e in entries]


def append_entries(existing: Sequence[Listed], added: Sequence[Listed]) -> list[Listed]:
    """`existing + added` in the layout of `existing`: the new entries copy the separator between the existing
    ones (a newline and indent in a one-per-line list) and the last one takes over the trailing comma and its
    comment; the existing entries keep theirs."""
    if not added:
        return list(existing)
    if not existing:
        return fix_commas(list(added))
    last = existing[-1]
    commas = [e.comma for e in existing[:-1] if isinstance(e.comma, cst.Comma)]
    between = commas[-1] if commas else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    entries = list(existing[:-1])
    entries.append(last.with_changes(comma=between))
    entries.extend(e.with_changes(comma=between) for e in added[:-1])
    entries.append(added[-1].with_changes(comma=last.comma))
    return entries


def substitute(
    node: cst.CSTNode, names: Mapping[str, cst.BaseExpression], step_options: Iterable[cst.Arg] | None = None
) -> cst.CSTNode:
    """Replace placeholder Names (WORKFLOW_ARGS, ...) and a `**STEP_OPTIONS` argument in a snippet node."""
    substituted = node.visit(_Substitute(names, step_options))
    if not isinstance(substituted, cst.CSTNode):
        raise TypeError(f"substituting {sorted(names)} removed the snippet node {type(node).__name__}")
    return substituted


def body_of(function: cst.FunctionDef) -> list[cst.BaseStatement]:
    """The statements of a snippet function."""
    return list(cst.ensure_type(function.body, cst.IndentedBlock).body)


def snippet_return(function: cst.FunctionDef) -> cst.BaseExpression:
    """The expression a snippet function returns: the template of an expression to splice in."""
    returned = find_all(function, cst.Return)
    if not returned or returned[0].value is None:
        raise ValueError(f"snippet {function.name.value}() must return an expression")
    return returned[0].value
