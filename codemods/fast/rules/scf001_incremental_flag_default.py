"""SCF001 on `ast` (see rules/scf001_incremental_flag_default.py for the rule and its examples)."""

from __future__ import annotations

import ast

from ...lint.vocabulary import INCREMENTAL_FLAGS
from ..bases import FastScopedRule
from ..nodes import dotted, is_false, keyword, params, positional, string_value, target_name

_FLAG_KEYS = INCREMENTAL_FLAGS | {"incremental-enabled", "incremental-extraction"}


class IncrementalFlagDefault(FastScopedRule):
    CODE = "SCF001"
    MESSAGE = "incremental flag must default to False"
    KEYWORDS = (b"incremental",)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if not (self.in_class_body and target_name(node.target) in INCREMENTAL_FLAGS):
            return
        if node.value is None:
            self.report(node, fixable=True)
        else:
            self._check_value(node.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        if self.in_class_body and any(target_name(t) in INCREMENTAL_FLAGS for t in node.targets):
            self._check_value(node.value)

    def visit_arguments(self, node: ast.arguments) -> None:
        for param, default in params(node):
            if param.arg in INCREMENTAL_FLAGS and default is not None and not is_false(default):
                self.report(default, fixable=True)

    def visit_Call(self, node: ast.Call) -> None:
        args = positional(node)
        if (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and len(args) == 2
            and string_value(args[0]) in _FLAG_KEYS
            and not is_false(args[1])
        ):
            self.report(args[1], fixable=True)

    def _check_value(self, value: ast.expr) -> None:
        if isinstance(value, ast.Call) and (dotted(value.func) or "").rpartition(".")[2] in ("Field", "field"):
            found = keyword(value, "default")
            default = found.value if found is not None else next(iter(positional(value)), None)
            if default is not None:
                if not is_false(default):
                    self.report(default, fixable=True)
            else:
                self.report(value, fixable=keyword(value, "default_factory") is None)
        elif not is_false(value):
            self.report(value, fixable=True)
