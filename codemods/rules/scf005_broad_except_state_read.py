"""SCF005: only the SDK's not-found error may be swallowed around a state or marker read.

A broad handler turns a corrupt or unreachable state into "no state", and the next run silently re-extracts or
skips; a handler that re-raises is fine.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..cst_helpers import dotted, last_name
from ..lint.patterns import STATE_READ_CALL
from ..lint.rule import Invalid, LintRule

_BROAD = frozenset({"Exception", "BaseException", "StorageError"})
# Reads on a CurrentStateStore (or any *state* / *store* object).
_STORE_READS = frozenset({"probe", "materialize"})


class BroadExceptStateRead(LintRule):
    CODE = "SCF005"
    MESSAGE = "broad except around a state or marker read; catch StorageNotFoundError only"
    GUARDRAIL = "atlan-sdk §5 IMPL-07: only StorageNotFoundError may be swallowed around state reads"
    KEYWORDS = (b"marker", b"state", b"watermark", b"probe", b"materialize")

    VALID = (
        """
        try:
            pair = await fetch_marker(cqn)
        except StorageNotFoundError:
            pair = None
        """,
        """
        try:
            snapshot = await store.probe()
        except Exception:
            logger.error("state read failed", exc_info=True)
            raise
        """,
        """
        try:
            rows = await client.list_tables()
        except Exception:
            rows = []
        """,
    )
    INVALID = (
        Invalid(
            """
            try:
                marker = await fetch_marker(cqn)
            except Exception:
                marker = None
            """
        ),
        Invalid(
            """
            try:
                snapshot = await self.state_store.probe()
            except (StorageError, ValueError):
                snapshot = None
            """
        ),
        Invalid(
            """
            try:
                state = load_state(path)
            except:
                state = {}
            """
        ),
    )

    def setup(self) -> None:
        # Open try statements: [node, inside its body, a state read seen in the body]
        self._tries: list[list[Any]] = []

    def visit_Try(self, node: cst.Try) -> None:
        self._tries.append([node, True, False])

    def leave_Try(self, node: cst.Try) -> None:
        self._tries.pop()

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        frame = self._tries[-1] if self._tries else None
        if frame is None or not frame[1]:
            return
        frame[1] = False  # the body is done: what follows are handlers, else and finally
        if frame[2]:
            for handler in frame[0].handlers:
                if _broad(handler.type) and not _raises(handler.body):
                    self.report(handler)

    def visit_Call(self, node: cst.Call) -> None:
        name = last_name(node.func) or ""
        receiver = (dotted(node.func) or "").lower()
        if STATE_READ_CALL.match(name) or (name in _STORE_READS and ("state" in receiver or "store" in receiver)):
            for frame in self._tries:
                if frame[1]:
                    frame[2] = True


def _broad(caught: cst.BaseExpression | None) -> bool:
    if caught is None:
        return True
    if isinstance(caught, cst.Tuple):
        return any(_broad(element.value) for element in caught.elements)
    return last_name(caught) in _BROAD


def _raises(block: cst.CSTNode) -> bool:
    """Whether the handler re-raises somewhere in its own statements (not in nested functions)."""
    pending: list[Any] = [block]
    while pending:
        node = pending.pop()
        if isinstance(node, cst.Raise):
            return True
        if isinstance(node, cst.FunctionDef | cst.ClassDef | cst.BaseExpression):
            continue
        for part in ("body", "orelse", "finalbody", "handlers"):
            value = getattr(node, part, None)
            if isinstance(value, cst.CSTNode):
                pending.append(value)
            elif isinstance(value, tuple | list):
                pending.extend(value)
    return False
