"""Rule base classes for what many rules need to know during the one traversal: where a node sits, and which
names are bound to which values.

Each base owns the visit_/leave_ handlers it declares in HANDLES and calls the hooks its rules define; a rule
never calls super(), and defining an owned handler is refused when the rule's class is created.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import libcst as cst

from ..cst_helpers import string_value, target_name
from .patterns import Role, role_of
from .rule import LintRule, Report


class ScopedRule(LintRule, base=True):
    """Knows the enclosing classes and functions and the SDK role of the innermost function (`self.role`).

    Hooks: `enter_function` after the function became the innermost scope, `exit_function` while it still is.
    """

    HANDLES = frozenset({"visit_ClassDef", "leave_ClassDef", "visit_FunctionDef", "leave_FunctionDef"})

    def __init__(self, reports: list[Report], metadata: Mapping[Any, Mapping[cst.CSTNode, Any]]) -> None:
        self.scopes: list[tuple[cst.CSTNode, Role | None]] = []
        super().__init__(reports, metadata)

    def enter_function(self, node: cst.FunctionDef) -> None:
        """Called when a function's body is entered."""

    def exit_function(self, node: cst.FunctionDef) -> None:
        """Called when a function's body has been walked."""

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.append((node, None))

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append((node, role_of(node, self.in_class_body)))
        self.enter_function(node)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.exit_function(node)
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


class BindingRule(LintRule, base=True):
    """Calls `on_binding(name, value, node)` for every name bound to a value: assignments, annotated
    assignments, keyword arguments, parameter defaults and dict entries with a string key."""

    HANDLES = frozenset({"visit_Assign", "visit_AnnAssign", "visit_Arg", "visit_Param", "visit_DictElement"})

    def on_binding(self, name: str, value: cst.BaseExpression, node: cst.CSTNode) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define on_binding()")

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
