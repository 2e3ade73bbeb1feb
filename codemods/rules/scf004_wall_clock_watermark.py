"""SCF004: a watermark taken from the wall clock after extraction skips whatever changed while the run extracted."""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import dotted, last_name, positional, string_value, target_name
from ..fast.rules.scf004_wall_clock_watermark import ACTIVITY_CALLS as _ACTIVITY_CALLS
from ..fast.rules.scf004_wall_clock_watermark import CLOCKS as _CLOCKS
from ..fast.rules.scf004_wall_clock_watermark import EXTRACT_CALL as _EXTRACT_CALL
from ..fast.rules.scf004_wall_clock_watermark import WATERMARK_NAME as _WATERMARK_NAME
from ..lint.bases import ScopedRule
from ..lint.patterns import PERSIST_CALL
from ..lint.rule import Invalid


class WallClockWatermark(ScopedRule):
    CODE = "SCF004"
    MESSAGE = "watermark taken from the wall clock after extraction; capture it before extracting (fetch_marker)"
    GUARDRAIL = "extraction seed: an incremental extractor that uses NOW() after the fact; atlan-sdk §5 IMPL-10"
    KEYWORDS = (b"now", b"time", b"today")

    VALID = (
        """
        async def run(self, input):
            next_marker = datetime.now(timezone.utc).isoformat()
            await self.extract_tables(input)
            await persist_marker(cqn, next_marker)
        """,
        """
        async def run(self, input):
            rows = await self.extract_tables(input)
            started = datetime.now()
            watermark = max(row["updated_at"] for row in rows)
        """,
    )
    INVALID = (
        Invalid(
            """
            async def run(self, input):
                rows = await self.extract_tables(input)
                next_marker = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            """
        ),
        Invalid(
            """
            async def run(self, input):
                await persist_marker(cqn, marker_value=str(time.time()))
            """
        ),
    )

    def setup(self) -> None:
        # Per function: has it called an extraction yet?
        self._extracted: list[bool] = [False]
        # Watermark assignments and persist calls we are inside of.
        self._sinks: list[tuple[cst.CSTNode, bool]] = []

    def enter_function(self, node: cst.FunctionDef) -> None:
        self._extracted.append(False)

    def exit_function(self, node: cst.FunctionDef) -> None:
        self._extracted.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        if any(_WATERMARK_NAME.search(target_name(t.target) or "") for t in node.targets):
            self._sinks.append((node, False))

    def leave_Assign(self, node: cst.Assign) -> None:
        if self._sinks and self._sinks[-1][0] is node:
            self._sinks.pop()

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if _WATERMARK_NAME.search(target_name(node.target) or ""):
            self._sinks.append((node, False))

    def leave_AnnAssign(self, node: cst.AnnAssign) -> None:
        if self._sinks and self._sinks[-1][0] is node:
            self._sinks.pop()

    def visit_Call(self, node: cst.Call) -> None:
        if dotted(node.func) in _CLOCKS:
            # Persisting the clock is always after the fact; assigning it is only after an extraction.
            if self._sinks and (self._sinks[-1][1] or self._extracted[-1]):
                self.report(node)
            return
        name = last_name(node.func) or ""
        if name in _ACTIVITY_CALLS:
            activity = next(iter(positional(node)), None)
            name = (activity and (last_name(activity.value) or string_value(activity.value))) or ""
        if PERSIST_CALL.match(name):
            self._sinks.append((node, True))
        elif _EXTRACT_CALL.match(name) and not _WATERMARK_NAME.search(name) and "state" not in name:
            self._extracted[-1] = True

    def leave_Call(self, node: cst.Call) -> None:
        if self._sinks and self._sinks[-1][0] is node:
            self._sinks.pop()
