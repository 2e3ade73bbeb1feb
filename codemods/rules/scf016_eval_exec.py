"""SCF016: no eval or exec: source data parsed as code runs whatever the source sends."""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import dotted
from ..lint.rule import Invalid, LintRule

_BUILTINS = frozenset({"eval", "exec", "builtins.eval", "builtins.exec"})


class EvalExec(LintRule):
    CODE = "SCF016"
    MESSAGE = "eval/exec; parse data with json or ast.literal_eval instead"
    GUARDRAIL = "DESIGN (generated extractor guarantees): no eval"
    KEYWORDS = (b"eval", b"exec")

    VALID = (
        """
        value = ast.literal_eval(text)
        result = model.eval()
        """,
    )
    INVALID = (
        Invalid(
            """
            value = eval(text)
            """
        ),
        Invalid(
            """
            exec(compile(source, "x", "exec"))
            """
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        if dotted(node.func) in _BUILTINS:
            self.report(node)
