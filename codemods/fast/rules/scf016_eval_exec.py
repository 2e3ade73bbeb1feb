"""SCF016 on `ast` (see rules/scf016_eval_exec.py)."""

from __future__ import annotations

import ast
import re

from ..nodes import dotted
from ..rule import FastRule

BUILTINS = frozenset({"eval", "exec", "builtins.eval", "builtins.exec"})


class EvalExec(FastRule):
    CODE = "SCF016"
    MESSAGE = "eval/exec; parse data with json or ast.literal_eval instead"
    KEYWORDS = (b"eval", b"exec")
    REQUIRES = (re.compile(rb"\b(?:eval|exec)\b"),)

    def visit_Call(self, node: ast.Call) -> None:
        if dotted(node.func) in BUILTINS:
            self.report(node)
