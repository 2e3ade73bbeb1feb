"""The `ast` forms of `lint.bases`: where a node sits (enclosing classes and functions, the SDK role of the
innermost function) and which names are bound to which values."""

from __future__ import annotations

import ast
from typing import Literal

from .nodes import decorator_names, params, string_value, target_name
from .rule import FastRule

Role = Literal["task", "activity", "orchestrator"]
Function = ast.FunctionDef | ast.AsyncFunctionDef


def role_of(function: Function, in_class: bool) -> Role | None:
    """What the SDK makes of a method (as `lint.patterns.role_of`)."""
    names = set(decorator_names(function))
    tails = {name.rpartition(".")[2] for name in names}
    if "task" in tails:
        return "task"
    if "activity.defn" in names:
        return "activity"
    if "entrypoint" in tails or "workflow.run" in names or (in_class and function.name == "run"):
        return "orchestrator"
    return None


class FastScopedRule(FastRule, base=True):
    HANDLES = frozenset({"visit_ClassDef", "leave_ClassDef", "visit_FunctionDef", "leave_FunctionDef"})

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.scopes: list[tuple[ast.AST, Role | None]] = []
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def enter_function(self, node: Function) -> None:
        """Called when a function's body is entered."""

    def exit_function(self, node: Function) -> None:
        """Called when a function's body has been walked."""

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scopes.append((node, None))

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        self.scopes.pop()

    def visit_FunctionDef(self, node: Function) -> None:
        self.scopes.append((node, role_of(node, self.in_class_body)))
        self.enter_function(node)

    def leave_FunctionDef(self, node: Function) -> None:
        self.exit_function(node)
        self.scopes.pop()

    @property
    def role(self) -> Role | None:
        for node, role in reversed(self.scopes):
            if not isinstance(node, ast.ClassDef):
                return role
        return None

    @property
    def in_class_body(self) -> bool:
        return bool(self.scopes) and isinstance(self.scopes[-1][0], ast.ClassDef)


class FastBindingRule(FastRule, base=True):
    """Calls `on_binding(name, value)` for every name bound to a value, as `lint.bases.BindingRule`."""

    HANDLES = frozenset({"visit_Assign", "visit_AnnAssign", "visit_keyword", "visit_arguments", "visit_Dict"})

    def on_binding(self, name: str, value: ast.expr) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define on_binding()")

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            name = target_name(target)
            if name:
                self.on_binding(name, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        name = target_name(node.target)
        if name and node.value is not None:
            self.on_binding(name, node.value)

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg is not None:
            self.on_binding(node.arg, node.value)

    def visit_arguments(self, node: ast.arguments) -> None:
        for param, default in params(node):
            if default is not None:
                self.on_binding(param.arg, default)

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            name = string_value(key)
            if name:
                self.on_binding(name, value)
