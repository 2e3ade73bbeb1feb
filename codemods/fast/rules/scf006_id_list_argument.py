"""SCF006 on `ast` (see rules/scf006_id_list_argument.py)."""

from __future__ import annotations

import ast
import re

from ..bases import FastScopedRule
from ..nodes import dotted, last_name, positional, target_name
from .scf003_persist_before_upload import ACTIVITY_CALLS

_ID_LIST = re.compile(r"^(ids|id_list|\w+_ids|\w+_id_list)$")
_COLLECTIONS = frozenset({"list", "List", "Sequence", "set", "Set", "frozenset", "FrozenSet", "tuple", "Tuple"})


class IdListArgument(FastScopedRule):
    CODE = "SCF006"
    MESSAGE = "id list passed as an activity/task argument; write it to a file and pass the FileReference"
    KEYWORDS = (b"ids", b"id_list")

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if not (self.in_class_body and _ID_LIST.match(target_name(node.target) or "")):
            return
        contract = self.scopes[-1][0]
        bases = {last_name(base) or "" for base in contract.bases}  # type: ignore[attr-defined]
        if any(base.endswith(("Input", "Output")) for base in bases) and _is_collection(node.annotation):
            self.report(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = last_name(node.func) or ""
        if name in ACTIVITY_CALLS:
            for argument in positional(node)[1:]:
                self._check_value(argument)
            for keyword in node.keywords:
                if keyword.arg == "args":
                    self._check_value(keyword.value)
        elif self.role == "orchestrator" and name.endswith("Input"):
            for keyword in node.keywords:
                if keyword.arg is not None and _ID_LIST.match(keyword.arg):
                    self.report(keyword)

    def _check_value(self, value: ast.expr) -> None:
        values = list(value.elts) if isinstance(value, ast.List | ast.Tuple) else [value]
        for item in values:
            item = item.value if isinstance(item, ast.Starred) else item
            if _ID_LIST.match(last_name(item) or ""):
                self.report(item)


def _is_collection(annotation: ast.expr) -> bool:
    if isinstance(annotation, ast.Subscript):
        outer = dotted(annotation.value) or ""
        if outer.rpartition(".")[2] in ("Annotated", "Optional"):
            inner = annotation.slice.elts[0] if isinstance(annotation.slice, ast.Tuple) else annotation.slice
            return not isinstance(inner, ast.Slice) and _is_collection(inner)
        return outer.rpartition(".")[2] in _COLLECTIONS
    if isinstance(annotation, ast.BinOp):
        return _is_collection(annotation.left) or _is_collection(annotation.right)
    return (dotted(annotation) or "").rpartition(".")[2] in _COLLECTIONS
