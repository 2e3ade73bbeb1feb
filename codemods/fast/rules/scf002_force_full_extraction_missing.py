"""SCF002 on `ast` (see rules/scf002_force_full_extraction_missing.py)."""

from __future__ import annotations

import ast

from ...lint.vocabulary import INCREMENTAL_FLAGS
from ..nodes import target_name
from ..rule import FastRule

_FORCE_FULL = "force_full_extraction"


class ForceFullExtractionMissing(FastRule):
    CODE = "SCF002"
    MESSAGE = "incremental flag without force_full_extraction; add force_full_extraction: bool = False"
    KEYWORDS = (b"incremental",)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        ends = [part.end_lineno or 0 for part in node.bases] + [part.end_lineno or 0 for part in node.keywords]
        header_end = max(ends, default=node.lineno)
        if node.body[0].lineno <= header_end:
            return  # `class A: x = 1`: libcst's rule reads indented bodies only
        flag: ast.stmt | None = None
        for statement in node.body:
            names = _declared(statement)
            if _FORCE_FULL in names:
                return
            if flag is None and names & INCREMENTAL_FLAGS:
                flag = statement
        if flag is None:
            return
        # libcst reports the whole line the flag is on: its first statement.
        first = min(
            (s for s in node.body if s.lineno == flag.lineno),
            key=lambda s: s.col_offset,
        )
        line, column = self.source.position(first)
        self.report_at(line, column, flag.end_lineno or line, fixable=True)


def _declared(statement: ast.stmt) -> set[str]:
    targets: list[ast.expr]
    if isinstance(statement, ast.AnnAssign):
        targets = [statement.target]
    elif isinstance(statement, ast.Assign):
        targets = statement.targets
    else:
        return set()
    return {name for name in map(target_name, targets) if name}
