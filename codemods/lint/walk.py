"""One traversal of a parsed module that calls every rule's visit_/leave_ methods.

libcst's own `module.visit(visitor)` rebuilds every node on the way back up, which costs about as much as the
parse. Rules here only read the tree, so this walk reads the node dataclasses' fields directly and skips the
fields that only hold whitespace, comments, parentheses and punctuation: no rule looks inside those.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

import libcst as cst

from .rule import LintRule

Handlers = dict[type[cst.CSTNode], list[Callable[[Any], Any]]]

_SKIPPED_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "lbrace",
        "rbrace",
        "lbracket",
        "rbracket",
        "leading_lines",
        "lines_after_decorators",
        "header",
        "footer",
        "comma",
        "semicolon",
        "newline",
        "equal",
        "colon",
        "first_colon",
        "second_colon",
        "dot",
        "operator",
        "asynchronous",
        "star",
        "posonly_ind",
        "relative",
        "default_indent",
        "default_newline",
        "encoding",
        "has_trailing_newline",
    }
)

_CHILD_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}
# isinstance against the CSTNode ABC is the walk's largest cost; a per-type answer is a dict lookup.
_IS_NODE: dict[type, bool] = {}


def _is_node_type(cls: type) -> bool:
    answer = _IS_NODE[cls] = issubclass(cls, cst.CSTNode)
    return answer


# The few nodes whose dataclass fields are not in source order (a def's decorators are declared after its body).
_SOURCE_ORDER: dict[type[cst.CSTNode], tuple[str, ...]] = {
    cst.FunctionDef: ("decorators", "name", "type_parameters", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.Arg: ("keyword", "value"),
    cst.ExceptHandler: ("type", "name", "body"),
    cst.ExceptStarHandler: ("type", "name", "body"),
    cst.Parameters: ("posonly_params", "params", "star_arg", "kwonly_params", "star_kwarg"),
}


def _child_fields(cls: type[cst.CSTNode]) -> tuple[str, ...]:
    names = tuple(
        f.name for f in dataclasses.fields(cls) if f.name not in _SKIPPED_FIELDS and "whitespace" not in f.name
    )
    ordered = _SOURCE_ORDER.get(cls)
    if ordered is not None:
        names = tuple(name for name in ordered if name in names) + tuple(n for n in names if n not in ordered)
    _CHILD_FIELDS[cls] = names
    return names


def child_fields(cls: type[cst.CSTNode]) -> tuple[str, ...]:
    """The fields of a node type that can hold what a rule looks at, in source order."""
    names = _CHILD_FIELDS.get(cls)
    return _child_fields(cls) if names is None else names


HandlerNames = tuple[tuple[str, type[cst.CSTNode], str], ...]
# functools.cache would do, but mypy cannot see a class as the Hashable it is.
_HANDLER_NAMES: dict[type[LintRule], HandlerNames] = {}


def _handler_names(rule_cls: type[LintRule]) -> HandlerNames:
    cached = _HANDLER_NAMES.get(rule_cls)
    if cached is not None:
        return cached
    found = []
    for name in sorted(dir(rule_cls)):
        prefix, _, node_name = name.partition("_")
        if prefix not in ("visit", "leave") or not node_name:
            continue
        node_cls = getattr(cst, node_name, None)
        if not (isinstance(node_cls, type) and issubclass(node_cls, cst.CSTNode)):
            raise TypeError(f"{rule_cls.__name__}.{name}: libcst has no node type {node_name!r}")
        found.append((prefix, node_cls, name))
    names = _HANDLER_NAMES[rule_cls] = tuple(found)
    return names


def handler_tables(rules: Iterable[LintRule]) -> tuple[Handlers, Handlers]:
    """Map each node type to the bound visit_ and leave_ methods of every rule, in rule order."""
    visit: Handlers = {}
    leave: Handlers = {}
    for rule in rules:
        for prefix, node_cls, name in _handler_names(type(rule)):
            table = visit if prefix == "visit" else leave
            table.setdefault(node_cls, []).append(getattr(rule, name))
    return visit, leave


def walk(root: cst.CSTNode, visit: Handlers, leave: Handlers) -> None:
    """Depth first, children in source order, calling visit_ before and leave_ after a node's children."""
    fields = _CHILD_FIELDS
    is_node = _IS_NODE

    def go(node: cst.CSTNode) -> None:
        cls = type(node)
        handlers = visit.get(cls)
        if handlers:
            for handler in handlers:
                handler(node)
        names = fields.get(cls)
        if names is None:
            names = _child_fields(cls)
        for name in names:
            value = getattr(node, name)
            kind = type(value)
            if kind is tuple or kind is list:
                for item in value:
                    item_kind = type(item)
                    if is_node.get(item_kind) or (item_kind not in is_node and _is_node_type(item_kind)):
                        go(item)
            elif is_node.get(kind) or (kind not in is_node and _is_node_type(kind)):
                go(value)
        handlers = leave.get(cls)
        if handlers:
            for handler in handlers:
                handler(node)

    go(root)
