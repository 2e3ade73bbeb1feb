"""SCF002: a model with an incremental flag also has `force_full_extraction`, the way back to a full run."""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import keyword, target_name
from ..lint.patterns import INCREMENTAL_FLAGS
from ..lint.rule import Invalid, LintRule

_FORCE_FULL = "force_full_extraction"


class ForceFullExtractionMissing(LintRule):
    CODE = "SCF002"
    MESSAGE = "incremental flag without force_full_extraction; add force_full_extraction: bool = False"
    GUARDRAIL = "atlan-sdk §5 IMPL-15/REFUSE-05: force_full_extraction=False exists"
    KEYWORDS = (b"incremental",)

    VALID = (
        """
        class Args(Input):
            incremental_enabled: bool = False
            force_full_extraction: bool = False
        """,
        """
        class Settings:
            marker_offset_hours: int = 3
        """,
    )
    INVALID = (
        Invalid(
            """
            class IncrementalWorkflowArgs(BaseModel):
                incremental_extraction: bool = Field(default=False, alias="incremental-extraction")
            """,
            expected="""
            class IncrementalWorkflowArgs(BaseModel):
                incremental_extraction: bool = Field(default=False, alias="incremental-extraction")
                force_full_extraction: bool = Field(default=False, alias="force-full-extraction")
            """,
        ),
        Invalid(
            """
            class Args(Input):
                # the switch
                incremental_enabled: bool = False  # off by default
                marker_offset_hours: int = 3
            """,
            expected="""
            class Args(Input):
                # the switch
                incremental_enabled: bool = False  # off by default
                force_full_extraction: bool = False
                marker_offset_hours: int = 3
            """,
        ),
        Invalid(
            """
            class Config:
                incremental_extraction = False
            """,
            expected="""
            class Config:
                incremental_extraction = False
                force_full_extraction = False
            """,
        ),
        Invalid(
            '''
            class Contract(Input):
                incremental_extraction: bool = False
                """Enable incremental extraction mode."""

                column_batch_size: int = 25000
            ''',
            expected='''
            class Contract(Input):
                incremental_extraction: bool = False
                """Enable incremental extraction mode."""
                force_full_extraction: bool = False

                column_batch_size: int = 25000
            ''',
        ),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not isinstance(node.body, cst.IndentedBlock):
            return
        body = node.body.body
        flag: int | None = None
        for index, statement in enumerate(body):
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                names = _declared(small)
                if _FORCE_FULL in names:
                    return
                if flag is None and names & INCREMENTAL_FLAGS:
                    flag = index
        if flag is None:
            return
        line = cst.parse_statement(_declaration(body[flag]))
        # The new field goes after the flag's attribute docstring, if it has one, not between the two.
        after = flag + 1 if flag + 1 < len(body) and _is_docstring(body[flag + 1]) else flag
        self.report(body[flag], target=body[after], replacement=lambda updated: cst.FlattenSentinel([updated, line]))


def _declaration(flag: cst.BaseStatement) -> str:
    """`force_full_extraction` declared like the flag: annotated or not, with a kebab alias when it has one."""
    small = flag.body[0]  # type: ignore[attr-defined]
    annotation = ": bool" if isinstance(small, cst.AnnAssign) else ""
    value = small.value
    if isinstance(value, cst.Call) and keyword(value, "alias") is not None:
        return f'{_FORCE_FULL}{annotation} = Field(default=False, alias="force-full-extraction")\n'
    return f"{_FORCE_FULL}{annotation} = False\n"


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def _declared(small: cst.BaseSmallStatement) -> set[str]:
    if isinstance(small, cst.AnnAssign):
        targets = [small.target]
    elif isinstance(small, cst.Assign):
        targets = [target.target for target in small.targets]
    else:
        return set()
    return {name for name in map(target_name, targets) if name}
