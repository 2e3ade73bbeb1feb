"""SCF004 on `ast` (see rules/scf004_wall_clock_watermark.py)."""

from __future__ import annotations

import ast
import re

from ...lint.vocabulary import PERSIST_CALL
from ..bases import FastScopedRule, Function
from ..nodes import dotted, last_name, positional, string_value, target_name

CLOCKS = frozenset(
    {
        "datetime.now",
        "datetime.utcnow",
        "datetime.today",
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.datetime.today",
        "date.today",
        "datetime.date.today",
        "time.time",
        "time.time_ns",
        "pendulum.now",
        "arrow.now",
        "arrow.utcnow",
        "self.now",
        "workflow.now",
    }
)
WATERMARK_NAME = re.compile(r"marker|watermark|high_water|last_sync|last_extract", re.IGNORECASE)
EXTRACT_CALL = re.compile(r"^(extract|fetch|list|paginate|crawl|scan)(_|$)")
ACTIVITY_CALLS = frozenset({"execute_activity", "execute_activity_method"})


class WallClockWatermark(FastScopedRule):
    CODE = "SCF004"
    MESSAGE = "watermark taken from the wall clock after extraction; capture it before extracting (fetch_marker)"
    KEYWORDS = (b"now", b"time", b"today")
    # A clock call (every name in CLOCKS ends so) and a sink: a watermark name or a persist call.
    REQUIRES = (
        re.compile(rb"\b(?:now|utcnow|today|time|time_ns)\s*\("),
        re.compile(rb"(?i)marker|watermark|high_water|last_sync|last_extract|state"),
    )

    def setup(self) -> None:
        self._extracted: list[bool] = [False]
        self._sinks: list[tuple[ast.AST, bool]] = []

    def enter_function(self, node: Function) -> None:
        self._extracted.append(False)

    def exit_function(self, node: Function) -> None:
        self._extracted.pop()

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(WATERMARK_NAME.search(target_name(t) or "") for t in node.targets):
            self._sinks.append((node, False))

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if WATERMARK_NAME.search(target_name(node.target) or ""):
            self._sinks.append((node, False))

    def visit_Call(self, node: ast.Call) -> None:
        if dotted(node.func) in CLOCKS:
            if self._sinks and (self._sinks[-1][1] or self._extracted[-1]):
                self.report(node)
            return
        name = last_name(node.func) or ""
        if name in ACTIVITY_CALLS:
            activity = next(iter(positional(node)), None)
            name = (activity and (last_name(activity) or string_value(activity))) or ""
        if PERSIST_CALL.match(name):
            self._sinks.append((node, True))
        elif EXTRACT_CALL.match(name) and not WATERMARK_NAME.search(name) and "state" not in name:
            self._extracted[-1] = True

    def _leave(self, node: ast.AST) -> None:
        if self._sinks and self._sinks[-1][0] is node:
            self._sinks.pop()

    leave_Assign = leave_AnnAssign = leave_Call = _leave
