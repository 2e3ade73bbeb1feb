"""Wire the incremental steps into the orchestration (v2 `@workflow.run`, v3 `App.run()`), once each.

Anchors are statements that call a step by name (`self.activities_cls.extract_workbooks`, `self.upload`, ...).
Blocks are inserted after the one simple statement calling the anchor, in the block that holds it; every edit
first checks whether it is already there, so a second run returns the function unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import libcst as cst

from ..cst_helpers import attributes_in, called_name, find_all, is_expression_line, mentions, small_statement
from ..errors import NotFound
from .splice import snippet_return

Edit = Callable[[Sequence[cst.BaseStatement], int], list[cst.BaseStatement]]


class AnchorError(NotFound):
    """The orchestration has no single statement or call to edit at."""


def _calls(node: cst.CSTNode, step: str) -> bool:
    return step in attributes_in(node)


class _AtAnchor(cst.CSTTransformer):
    """Apply `edit` to the block holding the one simple statement that calls `step`."""

    def __init__(self, step: str, edit: Edit, last: bool = False) -> None:
        self.step, self.edit, self.last, self.hits, self.blocks = step, edit, last, 0, 0

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        body = updated.body
        found = [i for i, s in enumerate(body) if isinstance(s, cst.SimpleStatementLine) and _calls(s, self.step)]
        if not found:
            return updated
        self.hits += len(found)
        self.blocks += 1
        return updated.with_changes(body=self.edit(body, found[-1] if self.last else found[0]))


def at_anchor(function: cst.FunctionDef, step: str, edit: Edit, last: bool = False) -> cst.FunctionDef:
    """Edit at the one statement calling `step`; with `last`, at the last of several in one block."""
    visitor = _AtAnchor(step, edit, last)
    updated = cst.ensure_type(function.visit(visitor), cst.FunctionDef)
    if visitor.hits == 0:
        raise AnchorError(f"no statement in {function.name.value}() calls {step}")
    if visitor.hits > 1 and not (last and visitor.blocks == 1):
        raise AnchorError(f"{function.name.value}() calls {step} more than once")
    return updated


def insert_after(
    function: cst.FunctionDef, step: str, block: list[cst.BaseStatement], done: str, last: bool = False
) -> cst.FunctionDef:
    """Insert `block` after the statement calling `step` (the last of several in one block with `last`), unless
    the function already calls `done`."""
    if mentions(function, done):
        return function
    return at_anchor(function, step, lambda body, i: [*body[: i + 1], *block, *body[i + 1 :]], last)


def replace_in_argument(
    function: cst.FunctionDef,
    step: str,
    key: str,
    listed: str,
    wrap: cst.FunctionDef,
    names: dict[str, cst.BaseExpression],
    done: str,
) -> cst.FunctionDef:
    """In the `{key: ...listed...}` entry of the one call of `step`, replace `listed` with what `wrap` returns;
    unless the entry already mentions `done`."""
    calls = find_all(function, cst.Call, lambda c: called_name(c.func).endswith(f".{step}"))
    if len(calls) != 1:
        raise AnchorError(f"{function.name.value}() must call {step} once")
    entries = [
        e
        for e in find_all(calls[0], cst.DictElement)
        if isinstance(e.key, cst.SimpleString) and e.key.evaluated_value == key
    ]
    if len(entries) != 1:
        raise AnchorError(f"the call of {step} must set {key!r} once")
    entry = entries[0]
    if mentions(entry.value, done):
        return function
    targets = [n for n in find_all(entry.value, cst.Attribute) if called_name(n) == listed]
    if len(targets) != 1:
        raise AnchorError(f"the {key!r} of {step} must name {listed} once")
    replacement = wrap_expression(wrap, names)
    return cst.ensure_type(function.visit(_SwapNode(targets[0], replacement)), cst.FunctionDef)


def wrap_expression(wrap: cst.FunctionDef, names: dict[str, cst.BaseExpression]) -> cst.BaseExpression:
    return _expression(snippet_return(wrap).visit(_Placeholders(names)))


def _expression(node: object) -> cst.BaseExpression:
    # cst.ensure_type takes concrete classes only.
    if not isinstance(node, cst.BaseExpression):
        raise TypeError(f"a snippet expression became a {type(node).__name__}")
    return node


class _SwapNode(cst.CSTTransformer):
    def __init__(self, old: cst.CSTNode, new: cst.BaseExpression) -> None:
        self.old, self.new = old, new

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        return self.new if original is self.old else updated


def insert_at_start(function: cst.FunctionDef, block: list[cst.BaseStatement], done: str) -> cst.FunctionDef:
    """Insert `block` first in the function (below a docstring), unless the function already calls `done`."""
    if mentions(function, done):
        return function
    body = list(cst.ensure_type(function.body, cst.IndentedBlock).body)
    start = 1 if body and is_expression_line(body[0], cst.SimpleString) else 0
    body[start:start] = block
    return function.with_changes(body=function.body.with_changes(body=body))


def is_guarded(function: cst.FunctionDef, step: str, marker: str) -> bool:
    """Whether the call of `step` already sits under an `if` whose test mentions `marker` (a name or a key)."""
    code = cst.Module(body=[]).code_for_node
    return any(marker in code(node.test) and _calls(node.body, step) for node in find_all(function, cst.If))


def guard_step(
    function: cst.FunctionDef,
    step: str,
    guard: cst.If,
    marker: str,
    output_type: str | None,
    steps: Collection[str] = (),
) -> cst.FunctionDef:
    """Run `step` only when `guard` holds (the snippet's `DETAIL_STEP` is the step's statement).

    A step whose result is assigned gets `target = output_type()` in the else branch, so the code after it
    still finds the name. A statement that also runs another of `steps` (an `asyncio.gather`) is refused:
    guarding it would skip the other step too.
    """
    if is_guarded(function, step, marker):
        return function

    def edit(body: Sequence[cst.BaseStatement], index: int) -> list[cst.BaseStatement]:
        statement = cst.ensure_type(body[index], cst.SimpleStatementLine)
        others = sorted(s for s in steps if s != step and _calls(statement, s))
        if others:
            raise AnchorError(f"{step} runs in one statement with {', '.join(others)}; run it on its own line")
        inner = statement.body[0]
        assigned = isinstance(inner, cst.Assign) and len(inner.targets) == 1
        names: dict[str, cst.BaseExpression] = {}
        if isinstance(inner, cst.Assign) and assigned:
            if output_type is None:
                raise AnchorError(f"the result of {step} is used later and its output type is unknown")
            names = {"DETAIL_TARGET": inner.targets[0].target, "DETAIL_OUTPUT": cst.Name(output_type)}
        elif isinstance(inner, cst.Assign | cst.AnnAssign | cst.AugAssign):
            raise AnchorError(f"the result of {step} is assigned in a form add-incremental cannot guard")
        new_guard = cst.ensure_type(guard.visit(_Placeholders(names, statement.with_changes(leading_lines=[]))), cst.If)
        if not assigned:
            new_guard = new_guard.with_changes(orelse=None)
        return [*body[:index], new_guard.with_changes(leading_lines=statement.leading_lines), *body[index + 1 :]]

    return at_anchor(function, step, edit)


class _Placeholders(cst.CSTTransformer):
    """Replace placeholder names in a snippet; a bare `DETAIL_STEP` line becomes the step's own statement."""

    def __init__(self, names: dict[str, cst.BaseExpression], step: cst.SimpleStatementLine | None = None) -> None:
        self.names, self.step = names, step

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.BaseStatement:
        small = small_statement(original)
        if self.step is not None and isinstance(small, cst.Expr) and _is_name(small.value, "DETAIL_STEP"):
            return self.step
        return updated

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        return self.names.get(original.value, updated)


def rewrite_step_argument(function: cst.FunctionDef, step: str, wrap: cst.FunctionDef) -> cst.FunctionDef:
    """v3: hand the detail task its changed-ids file: `self.step(x)` -> `self.step(x.model_copy(update=...))`."""
    template = snippet_return(wrap)
    calls = find_all(function, cst.Call, lambda c: called_name(c.func).endswith(f".{step}"))
    if len(calls) != 1 or len(calls[0].args) != 1:
        raise AnchorError(f"{function.name.value}() must call {step} once with one argument")
    call = calls[0]
    argument = call.args[0].value
    if mentions(argument, "model_copy") and _mentions_string(argument, template):
        return function
    new_argument = _expression(template.visit(_Placeholders({"DETAIL_ARGUMENT": argument})))
    new_call = call.with_changes(args=[call.args[0].with_changes(value=new_argument)])
    return cst.ensure_type(function.visit(_SwapCall(call, new_call)), cst.FunctionDef)


def _mentions_string(node: cst.CSTNode, template: cst.CSTNode) -> bool:
    """Whether node already holds the template's string keys (the changed-ids field it sets)."""
    keys = {s.value for s in find_all(template, cst.SimpleString)}
    return keys <= {s.value for s in find_all(node, cst.SimpleString)}


def _is_name(node: cst.CSTNode, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


class _SwapCall(cst.CSTTransformer):
    def __init__(self, old: cst.Call, new: cst.Call) -> None:
        self.old, self.new = old, new

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        return self.new if original is self.old else updated


def step_options(function: cst.FunctionDef, step: str) -> list[cst.Arg]:
    """The keyword arguments (retry policy, timeouts) of the call that runs `step`, to reuse for new steps."""
    for call in find_all(function, cst.Call):
        if any(_calls(arg.value, step) for arg in call.args if arg.keyword is None and not arg.star):
            return [a for a in call.args if (a.keyword is not None and a.keyword.value != "args") or a.star == "**"]
    return []


# Options of an inserted v2 activity call that describe the anchor, not the new step.
_ANCHOR_ONLY = frozenset({"summary", "activity_id", "task_queue"})
_TIMEOUTS = frozenset({"start_to_close_timeout", "schedule_to_close_timeout"})


def activity_options(function: cst.FunctionDef, step: str) -> list[cst.Arg]:
    """Options for an inserted v2 `execute_activity_method` call: the anchor's retry policy and timeouts, with
    the workflow's default start-to-close timeout when the anchor has none (Temporal fails a workflow task that
    schedules an activity without one, and retries it forever). A heartbeat timeout is kept: the inserted
    activities heartbeat (`@auto_heartbeater`). No summary: it names the anchor."""
    kept = [a for a in step_options(function, step) if a.keyword is None or a.keyword.value not in _ANCHOR_ONLY]
    has_timeout = any(a.keyword is not None and a.keyword.value in _TIMEOUTS for a in kept)
    if not has_timeout and not any(a.star == "**" for a in kept):
        default = cst.parse_expression("self.default_start_to_close_timeout")
        kept.append(cst.Arg(default, keyword=cst.Name("start_to_close_timeout")))
    return kept


class _AfterStatement(cst.CSTTransformer):
    def __init__(self, target: cst.CSTNode, block: list[cst.BaseStatement]) -> None:
        self.target, self.block, self.done = target, block, False

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        for i, statement in enumerate(original.body):
            if statement is self.target:
                self.done = True
                body = list(updated.body)
                return updated.with_changes(body=[*body[: i + 1], *self.block, *body[i + 1 :]])
        return updated


def insert_after_step(
    function: cst.FunctionDef, step: str, block: list[cst.BaseStatement], done: str
) -> cst.FunctionDef:
    """Insert `block` once after the last run of `step`: after the outermost loop that calls it (a step run per
    asset type is done only when the loop is), else after its last statement."""
    if mentions(function, done):
        return function
    loops = [
        loop for loop in find_all(function.body, cst.For) + find_all(function.body, cst.While) if _calls(loop, step)
    ]
    outer = [
        loop for loop in loops if not any(other is not loop and loop in find_all(other, type(loop)) for other in loops)
    ]
    if not outer:
        return insert_after(function, step, block, done, last=True)
    visitor = _AfterStatement(outer[-1], block)
    updated = cst.ensure_type(function.visit(visitor), cst.FunctionDef)
    if not visitor.done:
        raise AnchorError(f"the loop calling {step} in {function.name.value}() is not in a block")
    return updated
