"""SCF012 on `ast` (see rules/scf012_swallowed_error.py)."""

from __future__ import annotations

import ast
import re

from ..rule import FastRule


class SwallowedError(FastRule):
    CODE = "SCF012"
    MESSAGE = "error silently swallowed (except ...: pass); log it, dead-letter it or re-raise"
    KEYWORDS = (b"except",)
    REQUIRES = (re.compile(rb"\bpass\b|\.\.\."),)

    def setup(self) -> None:
        # Handlers of a try* are ExceptStarHandlers to libcst, which this rule does not look at.
        self._star_handlers: set[int] = set()

    def visit_TryStar(self, node: ast.AST) -> None:
        self._star_handlers.update(id(handler) for handler in node.handlers)  # type: ignore[attr-defined]

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if len(node.body) == 1 and _does_nothing(node.body[0]) and id(node) not in self._star_handlers:
            self.report(node)


def _does_nothing(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Pass) or (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and statement.value.value is Ellipsis
    )
