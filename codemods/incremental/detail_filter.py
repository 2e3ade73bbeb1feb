"""Limit a detail step to the changed ids: wrap the iterable of its loop over the listed entities.

`for workbook in workbooks:` becomes `for workbook in select_changed_workbook(workbooks, workflow_args):`; the
selector yields every record unless the step's input names a changed-ids file, so with incremental off the
loop is what it was.
"""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import called_name, find_all, find_class, method
from ..errors import NoLoop, NotFound
from .splice import snippet_return, substitute


def _detail_method(module: cst.Module, class_name: str, name: str) -> cst.FunctionDef:
    function = method(find_class(module, class_name), name)
    if function is None:
        raise NotFound(f"{class_name}.{name} is not defined in this module")
    return function


def limit_detail_loop(module: cst.Module, class_name: str, method: str, wrap: cst.FunctionDef) -> cst.Module:
    """Wrap the first `for` loop of `class_name.method` with the selector `wrap` returns; once."""
    function = _detail_method(module, class_name, method)
    loops = find_all(function.body, cst.For)
    if not loops:
        raise NoLoop(f"{class_name}.{method} has no loop over the listed records to limit")
    loop = loops[0]
    template = snippet_return(wrap)
    if called_name(loop.iter) == called_name(template):
        return module
    if len(function.params.params) < 2:
        raise NotFound(f"{class_name}.{method} takes no step input to read the changed ids from")
    step_input = cst.Name(function.params.params[1].name.value)
    new_iter = cst.ensure_type(substitute(template, {"ITERABLE": loop.iter, "DETAIL_ARGS": step_input}), cst.Call)
    return cst.ensure_type(module.visit(_SwapIter(loop, new_iter)), cst.Module)


class _SwapIter(cst.CSTTransformer):
    def __init__(self, loop: cst.For, new_iter: cst.BaseExpression) -> None:
        self.loop, self.new_iter = loop, new_iter

    def leave_For(self, original: cst.For, updated: cst.For) -> cst.For:
        return updated.with_changes(iter=self.new_iter) if original is self.loop else updated
