"""SCF013 on `ast` (see rules/scf013_transfer_inside_task.py)."""

from __future__ import annotations

import ast
import re

from ..bases import FastScopedRule

TRANSFERS = frozenset({"upload", "upload_refs", "download", "cleanup_storage"})


class TransferInsideTask(FastScopedRule):
    CODE = "SCF013"
    MESSAGE = "self.upload/download inside a @task; call it from run() or an @entrypoint"
    KEYWORDS = (b"upload", b"download", b"cleanup_storage")
    REQUIRES = (re.compile(rb"\bself\b"), re.compile(rb"task"))

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in TRANSFERS
            and isinstance(func.value, ast.Name)
            and func.value.id == "self"
            and self.role == "task"
        ):
            self.report(node)
