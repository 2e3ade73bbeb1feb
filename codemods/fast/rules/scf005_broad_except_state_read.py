"""SCF005 on `ast` (see rules/scf005_broad_except_state_read.py)."""

from __future__ import annotations

import ast
import re
from typing import Any

from ...lint.vocabulary import STATE_READ_CALL
from ..nodes import dotted, last_name
from ..rule import FastRule

_BROAD = frozenset({"Exception", "BaseException", "StorageError"})
_STORE_READS = frozenset({"probe", "materialize", "load"})
_OBJECT_READS = frozenset({"download_file", "download_prefix", "get_content", "download_s3_prefix_with_structure"})
_STATE_WORDS = ("state", "marker", "watermark", "previous", "persistent", "last_run")


class BroadExceptStateRead(FastRule):
    CODE = "SCF005"
    MESSAGE = "broad except around a state or marker read; catch StorageNotFoundError only"
    KEYWORDS = (b"marker", b"state", b"watermark", b"probe", b"materialize", b"download_", b"get_content")
    REQUIRES = (re.compile(rb"\bexcept\b"),)

    def setup(self) -> None:
        self._tries: list[list[Any]] = []
        # Handlers of a try* are ExceptStarHandlers to libcst, which this rule does not look at.
        self._star_handlers: set[int] = set()

    def visit_Try(self, node: ast.Try) -> None:
        self._tries.append([node, True, False])

    def leave_Try(self, node: ast.Try) -> None:
        self._tries.pop()

    def visit_TryStar(self, node: ast.AST) -> None:
        self._star_handlers.update(id(handler) for handler in node.handlers)  # type: ignore[attr-defined]

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        frame = self._tries[-1] if self._tries else None
        if frame is None or not frame[1] or id(node) in self._star_handlers:
            return
        frame[1] = False
        if frame[2]:
            for handler in frame[0].handlers:
                if _broad(handler.type) and not _raises(handler.body):
                    self.report(handler)

    def visit_Call(self, node: ast.Call) -> None:
        name = last_name(node.func) or ""
        receiver = (dotted(node.func) or "").lower()
        if (
            STATE_READ_CALL.match(name)
            or (name in _STORE_READS and ("state" in receiver or ("store" in receiver and name != "load")))
            or (name in _OBJECT_READS and self._names_state(node))
        ):
            for frame in self._tries:
                if frame[1]:
                    frame[2] = True

    def _names_state(self, call: ast.Call) -> bool:
        """Whether an argument's names or strings speak of a state, a marker or the previous run (libcst's Name
        covers identifiers, attribute names, keyword names and parameters alike)."""
        pending: list[ast.AST] = [*call.args, *(keyword.value for keyword in call.keywords)]
        while pending:
            node = pending.pop()
            texts: list[str] = []
            if isinstance(node, ast.Name):
                texts.append(node.id)
            elif isinstance(node, ast.Attribute):
                texts.append(node.attr)
            elif isinstance(node, ast.keyword | ast.arg) and node.arg is not None:
                texts.append(node.arg)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
                texts.append(node.value if isinstance(node.value, str) else node.value.decode("latin-1"))
            if any(word in text.lower() for text in texts for word in _STATE_WORDS):
                return True
            pending.extend(ast.iter_child_nodes(node))
        return False


def _broad(caught: ast.expr | None) -> bool:
    if caught is None:
        return True
    if isinstance(caught, ast.Tuple):
        return any(_broad(element) for element in caught.elts)
    return last_name(caught) in _BROAD


def _raises(block: list[ast.stmt]) -> bool:
    """Whether the handler re-raises somewhere in its own statements (not in nested functions)."""
    pending: list[Any] = list(block)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.expr):
            continue
        for part in ("body", "orelse", "finalbody", "handlers"):
            value = getattr(node, part, None)
            if isinstance(value, list):
                pending.extend(value)
    return False
