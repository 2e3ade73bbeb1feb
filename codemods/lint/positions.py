"""Line spans of the few nodes a file's findings point at.

libcst's PositionProvider records a range for every node of the module, which costs twice the parse. A finding
needs the start of one node and the line it ends on, so this runs the same code generation but records only the
flagged nodes, keeps no output, and stops as soon as the last of them has been generated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, field

import libcst as cst

# libcst's own PositionProvider subclasses this same state; it is not exported, and the position tests break
# first if it moves.
from libcst._nodes.internal import CodegenState

_NEWLINE = re.compile(r"\r\n?|\n")

# (first line, 0-based column, last line)
Span = tuple[int, int, int]


class _AllFound(Exception):
    pass


# Code generation asks every expression and statement for a context; most get this shared no-op one.
_UNWANTED = nullcontext()


class _Syntactic:
    """Records the span of one wanted node between entering and leaving its syntactic part."""

    def __init__(self, state: _SpanState, node: cst.CSTNode) -> None:
        self._state = state
        self._node = node
        self._start = (state.line, state.column)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        line, column = self._start
        self._state.spans[id(self._node)] = (line, column, self._state.last_line(line))


@dataclass
class _SpanState(CodegenState):
    wanted: set[int] = field(default_factory=set)
    line: int = 1
    column: int = 0
    spans: dict[int, Span] = field(default_factory=dict)
    _opened: dict[int, tuple[int, int]] = field(default_factory=dict)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.column += len(token)

    def add_token(self, value: str) -> None:
        if "\n" in value or "\r" in value:
            segments = _NEWLINE.split(value)
            self.line += len(segments) - 1
            self.column = len(segments[-1])
        else:
            self.column += len(value)

    def last_line(self, start_line: int) -> int:
        # A statement's code ends with its newline; the node ends on the line before.
        return self.line - 1 if self.column == 0 and self.line > start_line else self.line

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.wanted:
            self._opened[id(node)] = (self.line, self.column)

    def record_syntactic_position(  # type: ignore[override]
        self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None, end_node: cst.CSTNode | None = None
    ) -> AbstractContextManager[None]:
        return _Syntactic(self, node) if id(node) in self.wanted else _UNWANTED

    def after_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key not in self.wanted:
            return
        line, column = self._opened.pop(key)
        # The syntactic span (without owned whitespace) was recorded inside, when the node has one.
        self.spans.setdefault(key, (line, column, self.last_line(line)))
        self.wanted.discard(key)
        if not self.wanted:
            raise _AllFound


def spans(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[int, Span]:
    """Spans keyed by `id(node)` for nodes of `module`."""
    state = _SpanState(default_indent=module.default_indent, default_newline=module.default_newline)
    state.wanted = {id(node) for node in nodes}
    if not state.wanted:
        return {}
    with suppress(_AllFound):
        module._codegen(state)
    return state.spans
