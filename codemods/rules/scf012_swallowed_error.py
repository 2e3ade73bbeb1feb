"""SCF012: an error is logged, dead-lettered or re-raised, never silently dropped with `except ...: pass`."""

from __future__ import annotations

import libcst as cst

from ..lint.rule import Invalid, LintRule


class SwallowedError(LintRule):
    CODE = "SCF012"
    MESSAGE = "error silently swallowed (except ...: pass); log it, dead-letter it or re-raise"
    GUARDRAIL = "extraction seed: MUST NOT silently drop records on errors (conformance E001/E002)"
    KEYWORDS = (b"except",)

    VALID = (
        """
        try:
            row = parse(line)
        except ValueError:
            logger.warning("bad record", exc_info=True)
            dead_letter.write(line)
        """,
    )
    INVALID = (
        Invalid(
            """
            try:
                row = parse(line)
            except ValueError:
                pass
            """
        ),
        Invalid(
            """
            try:
                close()
            except Exception: ...
            """
        ),
    )

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        body = node.body
        statements = body.body if isinstance(body, cst.SimpleStatementSuite) else _single_line(body)
        if len(statements) == 1 and _does_nothing(statements[0]):
            self.report(node)


def _single_line(block: cst.BaseSuite) -> tuple[cst.BaseSmallStatement, ...]:
    if len(block.body) == 1 and isinstance(block.body[0], cst.SimpleStatementLine):
        return tuple(block.body[0].body)
    return ()


def _does_nothing(statement: cst.BaseSmallStatement) -> bool:
    return isinstance(statement, cst.Pass) or (
        isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Ellipsis)
    )
