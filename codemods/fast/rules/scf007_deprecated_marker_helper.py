"""SCF007 on `ast`: what it reports, and whether the fix applies, depends on every use in the file together, which
the libcst rule decides with the fix in hand; here a file with a candidate goes to the libcst engine."""

from __future__ import annotations

import ast

from ..nodes import last_name
from ..rule import FastRule

_DEPRECATED = frozenset({"fetch_marker_from_storage", "persist_marker_to_storage"})


class DeprecatedMarkerHelper(FastRule):
    CODE = "SCF007"
    MESSAGE = "deprecated marker helper (removed in SDK v4); use fetch_marker / persist_marker"
    KEYWORDS = (b"_marker_from_storage", b"_marker_to_storage")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if any(alias.name in _DEPRECATED for alias in node.names):
            self.needs_cst()

    def visit_Call(self, node: ast.Call) -> None:
        if last_name(node.func) in _DEPRECATED:
            self.needs_cst()
