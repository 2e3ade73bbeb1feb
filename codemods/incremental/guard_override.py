"""An app's own override of an SDK step the incremental SQL classes change (`fetch_tables` switches to the
incremental query, `fetch_columns` is skipped): it must hand incremental runs to the SDK, or it would undo them."""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import find_class, mentions, method
from ..errors import NotFound

READY = "is_incremental_ready"


def defer_when_incremental(module: cst.Module, class_name: str, step: str) -> cst.Module:
    """Put `if IncrementalWorkflowArgs.model_validate(args).is_incremental_ready(): return await super().step(args)`
    first in the override's body (after its docstring); unchanged when the body already asks is_incremental_ready."""
    cls = find_class(module, class_name)
    function = method(cls, step)
    if cls is None or function is None:
        raise NotFound(f"{class_name}.{step}() is not defined in this module")
    if mentions(function.body, READY):
        return module
    params = [p for p in function.params.params if p.name.value != "self"]
    if not params:
        raise NotFound(f"{class_name}.{step}() takes no workflow_args to hand on")
    args = params[0].name.value
    guard = cst.parse_statement(
        f"if IncrementalWorkflowArgs.model_validate({args}).{READY}():\n"
        f"    # Incremental runs are the SDK's: it picks the incremental query or skips the step.\n"
        f"    return await super().{step}({args})\n"
    )
    body = cst.ensure_type(function.body, cst.IndentedBlock)
    statements = list(body.body)
    first = 1 if statements and _is_docstring(statements[0]) else 0
    statements.insert(first, guard)
    patched = function.with_changes(body=body.with_changes(body=statements))
    module = module.visit(_Swap(function, patched))
    from .imports import ensure_imports

    return ensure_imports(
        module, cst.parse_module("from application_sdk.common.incremental.models import IncrementalWorkflowArgs\n")
    )


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


class _Swap(cst.CSTTransformer):
    def __init__(self, old: cst.FunctionDef, new: cst.FunctionDef) -> None:
        self.old, self.new = old, new

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        return self.new if original is self.old else updated
