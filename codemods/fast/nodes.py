"""The questions rules ask of an `ast` tree, answered as `cst_helpers` answers them of a libcst tree."""

from __future__ import annotations

import ast
from collections.abc import Iterator


def dotted(node: ast.AST | None) -> str | None:
    """`a.b.c` for a Name or an Attribute chain of Names, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def called_name(node: ast.AST | None) -> str:
    """The dotted name of what is called or decorated, reading through calls ("" for any other form)."""
    while isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        base = called_name(node.value)
        return f"{base}.{node.attr}" if base else ""
    return node.id if isinstance(node, ast.Name) else ""


def last_name(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def decorator_names(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> list[str]:
    return [called_name(decorator) for decorator in node.decorator_list]


def keyword(call: ast.Call, name: str) -> ast.keyword | None:
    return next((arg for arg in call.keywords if arg.arg == name), None)


def positional(call: ast.Call) -> list[ast.expr]:
    return [arg for arg in call.args if not isinstance(arg, ast.Starred)]


def has_star_args(call: ast.Call) -> bool:
    return any(isinstance(arg, ast.Starred) for arg in call.args) or any(k.arg is None for k in call.keywords)


def is_false(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def string_value(node: ast.AST | None) -> str | None:
    """The value of a plain (not f-, not bytes) string literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def unwrap_await(node: ast.expr) -> ast.expr:
    return node.value if isinstance(node, ast.Await) else node


def target_name(node: ast.AST) -> str | None:
    """The name something is stored under: `x`, `self.x`, `d["x"]`."""
    if isinstance(node, ast.Subscript):
        return string_value(node.slice)
    return last_name(node)


def params(arguments: ast.arguments) -> Iterator[tuple[ast.arg, ast.expr | None]]:
    """Every parameter with its default, in source order (ast keeps the defaults apart from the names)."""
    ordered = [*arguments.posonlyargs, *arguments.args]
    defaults: list[ast.expr | None] = [None] * (len(ordered) - len(arguments.defaults))
    defaults.extend(arguments.defaults)
    yield from zip(ordered, defaults, strict=True)
    if arguments.vararg is not None:
        yield arguments.vararg, None
    yield from zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
    if arguments.kwarg is not None:
        yield arguments.kwarg, None
