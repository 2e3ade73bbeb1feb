"""Structural questions several rules ask: names of calls and targets, decorators, and where a node sits."""

from __future__ import annotations

import re
from typing import Any, Literal

import libcst as cst

from .rule import LintRule

INCREMENTAL_FLAGS = frozenset({"incremental_enabled", "incremental_extraction"})

# Calls that persist a state or a marker: persist_marker, write_current_state, update_incremental_marker, ...
PERSIST_CALL = re.compile(r"^(persist|save|store|write|commit|update)_\w*(marker|state|watermark)\w*$")
# Calls that read one back: fetch_marker, read_current_state, load_state, ...
STATE_READ_CALL = re.compile(r"^(fetch|read|load|get|download)_\w*(marker|state|watermark)\w*$")

Role = Literal["task", "activity", "orchestrator"]


def dotted(node: cst.CSTNode | None) -> str | None:
    """`a.b.c` for a Name or an Attribute chain of Names, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def last_name(node: cst.CSTNode | None) -> str | None:
    """The last identifier of a Name or an Attribute (`c` in `a.b.c`)."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return None


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    return next((arg for arg in call.args if arg.keyword is not None and arg.keyword.value == name), None)


def positional(call: cst.Call) -> list[cst.Arg]:
    return [arg for arg in call.args if arg.keyword is None and not arg.star]


def has_star_args(call: cst.Call) -> bool:
    return any(arg.star for arg in call.args)


def is_false(node: cst.CSTNode | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "False"


def string_value(node: cst.CSTNode | None) -> str | None:
    """The value of a plain (not f-, not bytes) string literal."""
    if isinstance(node, cst.SimpleString | cst.ConcatenatedString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def unwrap_await(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.expression if isinstance(node, cst.Await) else node


def target_name(node: cst.CSTNode) -> str | None:
    """The name something is stored under: `x`, `self.x`, `d["x"]`."""
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        return string_value(index.value) if isinstance(index, cst.Index) else None
    return last_name(node)


def decorator_names(function: cst.FunctionDef) -> set[str]:
    """Dotted names of the decorators, without their call: {"task", "workflow.run"}."""
    names = set()
    for decorator in function.decorators:
        expression = decorator.decorator
        name = dotted(expression.func if isinstance(expression, cst.Call) else expression)
        if name:
            names.add(name)
    return names


def role_of(function: cst.FunctionDef, in_class: bool) -> Role | None:
    """What the SDK makes of a method: a v3 @task, a v2 activity, or the orchestration (run / @entrypoint)."""
    names = decorator_names(function)
    tails = {name.rpartition(".")[2] for name in names}
    if "task" in tails:
        return "task"
    if "activity.defn" in names:
        return "activity"
    if "entrypoint" in tails or "workflow.run" in names or (in_class and function.name.value == "run"):
        return "orchestrator"
    return None


class Scopes(LintRule):
    """Keeps the enclosing classes and functions; a rule that defines visit_/leave_ for them calls super()."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.scopes: list[tuple[cst.CSTNode, Role | None]] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.append((node, None))

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        in_class = bool(self.scopes) and isinstance(self.scopes[-1][0], cst.ClassDef)
        self.scopes.append((node, role_of(node, in_class)))

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.pop()

    @property
    def role(self) -> Role | None:
        """The role of the innermost function, None outside functions."""
        for node, role in reversed(self.scopes):
            if isinstance(node, cst.FunctionDef):
                return role
        return None

    @property
    def in_class_body(self) -> bool:
        return bool(self.scopes) and isinstance(self.scopes[-1][0], cst.ClassDef)


class Bindings(LintRule):
    """Calls `on_binding(name, value, node)` for every name bound to a value: assignments, annotated
    assignments, keyword arguments, parameter defaults and dict entries with a string key."""

    def on_binding(self, name: str, value: cst.BaseExpression, node: cst.CSTNode) -> None:
        raise NotImplementedError

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            name = target_name(target.target)
            if name:
                self.on_binding(name, node.value, node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        name = target_name(node.target)
        if name and node.value is not None:
            self.on_binding(name, node.value, node)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.on_binding(node.keyword.value, node.value, node)

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is not None:
            self.on_binding(node.name.value, node.default, node)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        name = string_value(node.key)
        if name:
            self.on_binding(name, node.value, node)
