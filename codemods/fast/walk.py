"""One traversal of an `ast` module in source order that calls every rule's visit_/leave_ methods.

Handlers are named for ast node classes (`visit_Call`, `visit_ExceptHandler`); an async def, with or for also
reaches the handlers of its plain form, as libcst has one node for both. Operators and expression contexts are not
walked (no rule looks at them), nor the text parts of an f-string (a rule reads those from `Source.pieces`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .rule import FastRule

Handlers = dict[type[ast.AST], list[Callable[[Any], Any]]]

_ALIASES: dict[str, tuple[type[ast.AST], ...]] = {
    "FunctionDef": (ast.FunctionDef, ast.AsyncFunctionDef),
    "For": (ast.For, ast.AsyncFor),
    "With": (ast.With, ast.AsyncWith),
}
_SKIPPED = frozenset({"ctx", "op", "ops", "type_ignores", "format_spec"})


def _function(node: Any) -> Iterator[Any]:
    yield from node.decorator_list
    yield node.args
    if node.returns is not None:
        yield node.returns
    yield from node.body


def _class(node: ast.ClassDef) -> Iterator[Any]:
    yield from node.decorator_list
    yield from node.bases
    yield from node.keywords
    yield from node.body


def _if_exp(node: ast.IfExp) -> Iterator[Any]:
    yield node.body
    yield node.test
    yield node.orelse


def _where(node: ast.expr | ast.keyword) -> tuple[int, int]:
    return node.lineno, node.col_offset


def _call(node: ast.Call) -> Iterable[Any]:
    yield node.func
    if node.args and node.keywords:
        arguments: list[ast.expr | ast.keyword] = [*node.args, *node.keywords]
        # ast keeps keywords apart; in the source they may come before a *args.
        yield from sorted(arguments, key=_where)
    else:
        yield from node.args
        yield from node.keywords


def _dict(node: ast.Dict) -> Iterator[Any]:
    for key, value in zip(node.keys, node.values, strict=True):
        if key is not None:
            yield key
        yield value


def _arguments(node: ast.arguments) -> Iterator[Any]:
    from .nodes import params

    for param, default in params(node):
        yield param
        if default is not None:
            yield default


def _joined(node: ast.JoinedStr) -> Iterator[Any]:
    return (value for value in node.values if isinstance(value, ast.FormattedValue))


_ORDERED: dict[type[ast.AST], Callable[[Any], Iterable[Any]]] = {
    ast.FunctionDef: _function,
    ast.AsyncFunctionDef: _function,
    ast.ClassDef: _class,
    ast.IfExp: _if_exp,
    ast.Call: _call,
    ast.Dict: _dict,
    ast.arguments: _arguments,
    ast.JoinedStr: _joined,
}
_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}


def _fields(cls: type[ast.AST]) -> tuple[str, ...]:
    names = _FIELDS[cls] = tuple(name for name in cls._fields if name not in _SKIPPED)
    return names


_HANDLER_NAMES: dict[type[FastRule], tuple[tuple[str, tuple[type[ast.AST], ...], str], ...]] = {}


def _handler_names(rule_cls: type[FastRule]) -> tuple[tuple[str, tuple[type[ast.AST], ...], str], ...]:
    cached = _HANDLER_NAMES.get(rule_cls)
    if cached is not None:
        return cached
    found = []
    for name in sorted(dir(rule_cls)):
        prefix, _, node_name = name.partition("_")
        if prefix not in ("visit", "leave") or not node_name:
            continue
        node_cls = getattr(ast, node_name, None)
        if not (isinstance(node_cls, type) and issubclass(node_cls, ast.AST)):
            raise TypeError(f"{rule_cls.__name__}.{name}: ast has no node type {node_name!r}")
        found.append((prefix, _ALIASES.get(node_name, (node_cls,)), name))
    names = _HANDLER_NAMES[rule_cls] = tuple(found)
    return names


def handler_tables(rules: Iterable[FastRule]) -> tuple[Handlers, Handlers]:
    visit: Handlers = {}
    leave: Handlers = {}
    for rule in rules:
        for prefix, classes, name in _handler_names(type(rule)):
            table = visit if prefix == "visit" else leave
            for node_cls in classes:
                table.setdefault(node_cls, []).append(getattr(rule, name))
    return visit, leave


def walk(root: ast.AST, visit: Handlers, leave: Handlers) -> None:
    """Depth first, children in source order, visit_ before and leave_ after a node's children."""
    fields = _FIELDS
    ordered = _ORDERED
    node_type = ast.AST

    def go(node: Any) -> None:
        cls = type(node)
        handlers = visit.get(cls)
        if handlers:
            for handler in handlers:
                handler(node)
        special = ordered.get(cls)
        if special is not None:
            for child in special(node):
                go(child)
        else:
            names = fields.get(cls)
            if names is None:
                names = _fields(cls)
            for name in names:
                value = getattr(node, name)
                if type(value) is list:
                    for item in value:
                        if isinstance(item, node_type):
                            go(item)
                elif isinstance(value, node_type):
                    go(value)
        handlers = leave.get(cls)
        if handlers:
            for handler in handlers:
                handler(node)

    go(root)
