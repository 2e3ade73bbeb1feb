"""Limit a detail step to the changed ids, at its input: the listed records it reads.

`for workbook in workbooks:` (workbooks read from the list step's records) becomes
`for workbook in select_changed_workbook(workbooks, workflow_args):`. A step that hands the records to a helper or
client that loops (`guids = await get_app_guids(args)`, then `fetch(client, guids)`) gets the assignment limited
instead: `guids = keep_changed_app(await get_app_guids(args), args)`, the same kind of collection. The selectors
yield every record unless the step's input names a changed-ids file, so with incremental off the step is what it
was. A loop over anything else (a transform's `async for` over batches) is never touched: that is not a detail
step.
"""

from __future__ import annotations

from collections.abc import Collection

import libcst as cst

from ..cst_helpers import called_name, find_all, find_class, method, string_value
from ..errors import NoLoop, NotFound
from .splice import snippet_return, substitute


def _detail_method(module: cst.Module, class_name: str, name: str) -> cst.FunctionDef:
    function = method(find_class(module, class_name), name)
    if function is None:
        raise NotFound(f"{class_name}.{name} is not defined in this module")
    return function


class ListedReads:
    """What marks an expression as reading the listed records: a literal naming their folder, or a call of a
    function of the app that reads them; and, in one method, the names assigned from such expressions."""

    def __init__(self, literals: Collection[str] = (), readers: Collection[str] = ()) -> None:
        self.literals, self.readers = set(literals), set(readers)

    def direct(self, node: cst.CSTNode) -> bool:
        if not self.literals and not self.readers:
            return True  # nothing known: any loop (the behaviour before the listed records were known)
        if any(string_value(s) in self.literals for s in find_all(node, cst.SimpleString)):
            return True
        return any(called_name(c.func).rsplit(".", 1)[-1] in self.readers for c in find_all(node, cst.Call))

    def names(self, function: cst.FunctionDef) -> set[str]:
        """Local names holding the listed records (transitively: `source = ...'raw'/'x'...; rows = read(source)`)."""
        held: set[str] = set()
        assigns = [(a.targets[0].target, a.value) for a in find_all(function.body, cst.Assign) if len(a.targets) == 1]
        changed = True
        while changed:
            changed = False
            for target, value in assigns:
                if isinstance(target, cst.Name) and target.value not in held:
                    mentions = {n.value for n in find_all(value, cst.Name)}
                    if self.direct(value) or mentions & held:
                        held.add(target.value)
                        changed = True
        return held

    def reads(self, node: cst.CSTNode, held: set[str]) -> bool:
        return self.direct(node) or bool({n.value for n in find_all(node, cst.Name)} & held)


def limit_detail_loop(
    module: cst.Module,
    class_name: str,
    method: str,
    wrap: cst.FunctionDef,
    listed: ListedReads | None = None,
    keep: cst.FunctionDef | None = None,
) -> cst.Module:
    """Limit `class_name.method` to the changed records, once: the first plain `for` over the listed records gets
    the selector `wrap` returns; without one, the first assignment of the listed records gets `keep`'s."""
    function = _detail_method(module, class_name, method)
    listed = listed or ListedReads()
    held = listed.names(function)
    loops = [
        loop for loop in find_all(function.body, cst.For) if loop.asynchronous is None and listed.reads(loop.iter, held)
    ]
    template = snippet_return(wrap)
    if len(function.params.params) < 2:
        raise NotFound(f"{class_name}.{method} takes no step input to read the changed ids from")
    step_input = cst.Name(function.params.params[1].name.value)
    if loops:
        loop = loops[0]
        if called_name(loop.iter) == called_name(template):
            return module
        new_iter = cst.ensure_type(substitute(template, {"ITERABLE": loop.iter, "DETAIL_ARGS": step_input}), cst.Call)
        return cst.ensure_type(module.visit(_SwapIter(loop, new_iter)), cst.Module)
    kept = snippet_return(keep) if keep is not None else None
    if kept is not None and (listed.literals or listed.readers):
        assigns = [
            a
            for a in find_all(function.body, cst.Assign)
            if len(a.targets) == 1 and isinstance(a.targets[0].target, cst.Name) and listed.direct(a.value)
        ]
        if any(called_name(a.value) == called_name(kept) for a in assigns):
            return module
        if assigns:
            value = cst.ensure_type(
                substitute(kept, {"ITERABLE": assigns[0].value, "DETAIL_ARGS": step_input}), cst.Call
            )
            return cst.ensure_type(module.visit(_SwapValue(assigns[0], value)), cst.Module)
    raise NoLoop(f"{class_name}.{method} has no loop over the listed records to limit")


class _SwapIter(cst.CSTTransformer):
    def __init__(self, loop: cst.For, new_iter: cst.BaseExpression) -> None:
        self.loop, self.new_iter = loop, new_iter

    def leave_For(self, original: cst.For, updated: cst.For) -> cst.For:
        return updated.with_changes(iter=self.new_iter) if original is self.loop else updated


class _SwapValue(cst.CSTTransformer):
    def __init__(self, assign: cst.Assign, value: cst.BaseExpression) -> None:
        self.assign, self.value = assign, value

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        return updated.with_changes(value=self.value) if original is self.assign else updated
