"""SCF014 on `ast` (see rules/scf014_hand_built_persistent_path.py)."""

from __future__ import annotations

import ast

from ..rule import FastRule

PREFIX = "persistent-artifacts/"  # scaffold: ignore[SCF014]


class HandBuiltPersistentPath(FastRule):
    CODE = "SCF014"
    MESSAGE = "hand-built persistent-artifacts path; use get_persistent_artifacts_path / get_persistent_s3_prefix"
    KEYWORDS = (PREFIX.encode(),)

    def setup(self) -> None:
        self._docstrings: set[int] = set()

    def visit_Expr(self, node: ast.Expr) -> None:
        self._docstrings.add(id(node.value))

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if isinstance(value, str) and PREFIX in value:
            self._pieces(node, docstring=id(node) in self._docstrings)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        if any(isinstance(v, ast.Constant) and isinstance(v.value, str) and PREFIX in v.value for v in node.values):
            self._pieces(node, docstring=False)

    def _pieces(self, node: ast.Constant | ast.JoinedStr, docstring: bool) -> None:
        pieces = self.source.pieces(node)
        # libcst skips a string statement only when it is one literal, not a concatenation of several.
        if docstring and len(pieces) == 1:
            return
        for piece in pieces:
            if PREFIX in piece.text:
                self.report_at(piece.line, piece.column, piece.line + piece.text.count("\n"))
