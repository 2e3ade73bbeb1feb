"""SCF006: id lists travel between activities and tasks as files, not arguments (the payload limit is 2 MB)."""

from __future__ import annotations

import re

import libcst as cst

from ..cst_helpers import dotted, last_name, positional, target_name
from ..lint.bases import ScopedRule
from ..lint.rule import Invalid

_ID_LIST = re.compile(r"^(ids|id_list|\w+_ids|\w+_id_list)$")
_COLLECTIONS = frozenset({"list", "List", "Sequence", "set", "Set", "frozenset", "FrozenSet", "tuple", "Tuple"})
_ACTIVITY_CALLS = frozenset(
    {"execute_activity", "execute_activity_method", "execute_local_activity", "execute_local_activity_method"}
)


class IdListArgument(ScopedRule):
    CODE = "SCF006"
    MESSAGE = "id list passed as an activity/task argument; write it to a file and pass the FileReference"
    GUARDRAIL = "atlan-sdk §5 IMPL-03/04: id lists move as a file or FileReference (2 MB payload limit)"
    KEYWORDS = (b"ids", b"id_list")

    VALID = (
        """
        class DetailsInput(Input):
            ids_file: FileReference | None = None
            id_field: str = "id"
        """,
        """
        class MyApp(App):
            async def run(self, input):
                ids_ref = await self.write_ids(table_ids)
                await self.fetch_details(DetailsInput(ids_file=ids_ref))
        """,
    )
    INVALID = (
        Invalid(
            """
            class DetailsInput(Input):
                table_ids: list[str] = []
            """
        ),
        Invalid(
            """
            class MyApp(App):
                async def run(self, input):
                    await self.fetch_details(DetailsInput(workbook_ids=changed))
            """
        ),
        Invalid(
            """
            @workflow.run
            async def run(self, config):
                await workflow.execute_activity_method(acts.fetch_columns, args=[workflow_args, table_ids])
            """
        ),
    )

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if not (self.in_class_body and _ID_LIST.match(target_name(node.target) or "")):
            return
        contract = self.scopes[-1][0]
        bases = {last_name(base.value) or "" for base in contract.bases}  # type: ignore[attr-defined]
        if any(base.endswith(("Input", "Output")) for base in bases) and _is_collection(node.annotation.annotation):
            self.report(node)

    def visit_Call(self, node: cst.Call) -> None:
        name = last_name(node.func) or ""
        if name in _ACTIVITY_CALLS:
            for argument in positional(node)[1:]:
                self._check_value(argument.value)
            for argument in node.args:
                if argument.keyword is not None and argument.keyword.value == "args":
                    self._check_value(argument.value)
        elif self.role == "orchestrator" and name.endswith("Input"):
            for argument in node.args:
                if argument.keyword is not None and _ID_LIST.match(argument.keyword.value):
                    self.report(argument)

    def _check_value(self, value: cst.BaseExpression) -> None:
        values = [e.value for e in value.elements] if isinstance(value, cst.List | cst.Tuple) else [value]
        for item in values:
            if _ID_LIST.match(last_name(item) or ""):
                self.report(item)


def _is_collection(annotation: cst.BaseExpression) -> bool:
    if isinstance(annotation, cst.Subscript):
        outer = dotted(annotation.value) or ""
        if outer.rpartition(".")[2] in ("Annotated", "Optional") and annotation.slice:
            inner = annotation.slice[0].slice
            return isinstance(inner, cst.Index) and _is_collection(inner.value)
        return outer.rpartition(".")[2] in _COLLECTIONS
    if isinstance(annotation, cst.BinaryOperation):  # list[str] | None
        return _is_collection(annotation.left) or _is_collection(annotation.right)
    return (dotted(annotation) or "").rpartition(".")[2] in _COLLECTIONS
