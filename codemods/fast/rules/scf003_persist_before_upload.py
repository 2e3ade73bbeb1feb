"""SCF003 on `ast` (see rules/scf003_persist_before_upload.py)."""

from __future__ import annotations

import ast
import re

from ...lint.vocabulary import PERSIST_CALL
from ..bases import FastScopedRule, Function
from ..nodes import dotted, last_name, positional, string_value

ACTIVITY_CALLS = frozenset(
    {"execute_activity", "execute_activity_method", "execute_local_activity", "execute_local_activity_method"}
)
_UPLOADS = frozenset({"upload", "upload_refs", "upload_to_atlan"})


class PersistBeforeUpload(FastScopedRule):
    CODE = "SCF003"
    MESSAGE = "state or marker persisted before the upload; persist it after the upload succeeded"
    KEYWORDS = (b"upload",)
    # A persist call (PERSIST_CALL, directly or as an activity's name) or a state's commit().
    REQUIRES = (re.compile(rb"(?:persist|save|store|write|commit|update)_\w*(?:marker|state|watermark)|commit"),)

    def setup(self) -> None:
        self._calls: list[list[tuple[str, ast.Call]]] = []

    def enter_function(self, node: Function) -> None:
        self._calls.append([])

    def exit_function(self, node: Function) -> None:
        calls = self._calls.pop()
        kinds = [kind for kind, _ in calls]
        if "upload" not in kinds:
            return
        for kind, call in calls[: kinds.index("upload")]:
            if kind == "persist":
                self.report(call)

    def visit_Call(self, node: ast.Call) -> None:
        if self.role != "orchestrator":
            return
        name = last_name(node.func)
        if name in ACTIVITY_CALLS:
            activity = next(iter(positional(node)), None)
            name = (last_name(activity) or string_value(activity)) if activity else None
        elif name == "commit" and "state" in (dotted(node.func) or ""):
            name = "commit_state"
        if name in _UPLOADS:
            self._calls[-1].append(("upload", node))
        elif name and PERSIST_CALL.match(name):
            self._calls[-1].append(("persist", node))
