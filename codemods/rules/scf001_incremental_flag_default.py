"""SCF001: the incremental flag must default to False, so that a connector runs in full until asked otherwise."""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import dotted, is_false, keyword, positional, string_value, target_name
from ..lint.bases import ScopedRule
from ..lint.patterns import INCREMENTAL_FLAGS
from ..lint.rule import Invalid

_FALSE = cst.Name("False")
# Keys under which v2 workflow args carry the flag.
_FLAG_KEYS = INCREMENTAL_FLAGS | {"incremental-enabled", "incremental-extraction"}


class IncrementalFlagDefault(ScopedRule):
    CODE = "SCF001"
    MESSAGE = "incremental flag must default to False"
    GUARDRAIL = "atlan-sdk §5 REFUSE-01/IMPL-18: incremental_enabled exists with default False"
    KEYWORDS = (b"incremental",)

    VALID = (
        """
        class Args(Input):
            incremental_enabled: bool = False
            incremental_extraction: bool = Field(default=False, alias="incremental-extraction")
        """,
        """
        def run(incremental_enabled: bool = False, other=True):
            enabled = args.get("incremental-extraction", False)
            return Input(incremental_enabled=True)
        """,
    )
    INVALID = (
        Invalid(
            """
            class Args(Input):
                incremental_enabled: bool = True
            """,
            expected="""
            class Args(Input):
                incremental_enabled: bool = False
            """,
        ),
        Invalid(
            """
            class Args(BaseModel):
                incremental_extraction: bool
            """,
            expected="""
            class Args(BaseModel):
                incremental_extraction: bool = False
            """,
        ),
        Invalid(
            """
            class Args(BaseModel):
                incremental_extraction: bool = Field(True, alias="incremental-extraction")
                incremental_enabled = Field(alias="x")
            """,
            expected="""
            class Args(BaseModel):
                incremental_extraction: bool = Field(False, alias="incremental-extraction")
                incremental_enabled = Field(default=False, alias="x")
            """,
        ),
        Invalid(
            """
            def run(incremental_enabled: bool = None):
                flag = workflow_args.get("incremental-extraction", True)
            """,
            expected="""
            def run(incremental_enabled: bool = False):
                flag = workflow_args.get("incremental-extraction", False)
            """,
        ),
    )

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if not (self.in_class_body and target_name(node.target) in INCREMENTAL_FLAGS):
            return
        if node.value is None:
            self.report(node, replacement=node.with_changes(value=_FALSE, equal=cst.AssignEqual()))
        else:
            self._check_value(node.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.in_class_body and any(target_name(t.target) in INCREMENTAL_FLAGS for t in node.targets):
            self._check_value(node.value)

    def visit_Param(self, node: cst.Param) -> None:
        if node.name.value in INCREMENTAL_FLAGS and node.default is not None and not is_false(node.default):
            self.report(node.default, replacement=_FALSE)

    def visit_Call(self, node: cst.Call) -> None:
        # args.get("incremental-extraction", True)
        args = positional(node)
        if (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "get"
            and len(args) == 2
            and string_value(args[0].value) in _FLAG_KEYS
            and not is_false(args[1].value)
        ):
            self.report(args[1].value, replacement=_FALSE)

    def _check_value(self, value: cst.BaseExpression) -> None:
        if isinstance(value, cst.Call) and (dotted(value.func) or "").rpartition(".")[2] in ("Field", "field"):
            self._check_field(value)
        elif not is_false(value):
            self.report(value, replacement=_FALSE)

    def _check_field(self, field: cst.Call) -> None:
        default = keyword(field, "default") or next(iter(positional(field)), None)
        if default is not None:
            if not is_false(default.value):
                self.report(default.value, replacement=_FALSE)
        elif keyword(field, "default_factory") is not None:
            self.report(field)
        else:
            self.report(field, replacement=_with_default_false)


def _with_default_false(field: cst.Call) -> cst.Call:
    first = cst.Arg(
        value=_FALSE,
        keyword=cst.Name("default"),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if field.args else cst.MaybeSentinel.DEFAULT,
    )
    return field.with_changes(args=[first, *field.args])
