"""The workflow's run() under the SDK's incremental SQL workflow (SDK 2.x).

Temporal wants `@workflow.run` on the class itself, so every SQL workflow has a run(): one that calls
`super().run()` already gets the SDK's incremental run() once the base is switched; a missing one is added as
such; one that orchestrates itself (atlanhq/atlan-sample-apps connectors/mysql) gets the SDK's phase 1 (marker,
previous state) right after its get_workflow_args step and phases 3 and 4 (changed tables' columns, state, marker)
at its end, through two methods added to the class.
"""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import called_name, find_all, find_class, method, methods, target_name, unwrap_await
from ..errors import NotFound
from .add_methods import add_methods

SETUP, FINISH = "read_incremental_state", "complete_incremental_run"


def incremental_run(module: cst.Module, class_name: str, snippet: cst.ClassDef) -> cst.Module:
    """The class's run() made incremental (see the module docstring); unchanged when it already is."""
    cls = find_class(module, class_name)
    if cls is None:
        raise NotFound(f"class {class_name} is not defined at the top level of this module")
    run = method(cls, "run")
    if run is None:
        return add_methods(module, class_name, _only(snippet, "run"))
    if calls_super_run(run) or _calls(run, SETUP):
        return module
    body = cst.ensure_type(run.body, cst.IndentedBlock)
    statements = list(body.body)
    setup_index = next((i for i, s in enumerate(statements) if _args_name(s) is not None), None)
    if setup_index is None:
        raise NotFound(
            f"{class_name}.run() has no `workflow_args = await ...get_workflow_args...` step to read the marker after"
        )
    args = _args_name(statements[setup_index]) or "workflow_args"
    config = _config_name(run)
    returns = [i for i, s in enumerate(statements) if _is_return(s)]
    if returns[:-1] or (returns and returns[-1] != len(statements) - 1) or find_all(_without_last(body), cst.Return):
        raise NotFound(f"{class_name}.run() returns from more than its last line; the state must be saved at its end")
    end = returns[-1] if returns else len(statements)
    setup = cst.parse_statement(f"{args} = await self.{SETUP}({args}, {config})\n")
    finish = cst.parse_statement(f"await self.{FINISH}({args}, {config})\n")
    statements = [*statements[: setup_index + 1], setup, *statements[setup_index + 1 : end], finish, *statements[end:]]
    patched = run.with_changes(body=body.with_changes(body=statements))
    module = module.visit(_Swap(run, patched))
    keep = [f for f in methods(snippet) if f.name.value in (SETUP, FINISH)]
    return add_methods(module, class_name, snippet.with_changes(body=snippet.body.with_changes(body=keep)))


def _only(snippet: cst.ClassDef, name: str) -> cst.ClassDef:
    return snippet.with_changes(
        body=snippet.body.with_changes(body=[f for f in methods(snippet) if f.name.value == name])
    )


def calls_super_run(run: cst.FunctionDef) -> bool:
    """Whether run() hands over to the base class's run() (then it is the SDK's incremental one)."""
    return any(_is_super_run(c) for c in find_all(run, cst.Call))


def _is_super_run(call: cst.Call) -> bool:
    func = call.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "run"
        and isinstance(func.value, cst.Call)
        and isinstance(func.value.func, cst.Name)
        and func.value.func.value == "super"
    )


def _calls(run: cst.FunctionDef, name: str) -> bool:
    return any(called_name(c.func).rsplit(".", 1)[-1] == name for c in find_all(run, cst.Call))


def _args_name(statement: cst.BaseStatement) -> str | None:
    """`X` of `X = await workflow.execute_activity_method(....get_workflow_args, ...)` (annotated or not)."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return None
    node = statement.body[0]
    if isinstance(node, cst.Assign) and len(node.targets) == 1:
        target, value = node.targets[0].target, node.value
    elif isinstance(node, cst.AnnAssign) and node.value is not None:
        target, value = node.target, node.value
    else:
        return None
    call = unwrap_await(value)
    if not isinstance(call, cst.Call) or not call.args:
        return None
    if not called_name(call.args[0].value).endswith("get_workflow_args"):
        return None
    return target_name(target)


def _config_name(run: cst.FunctionDef) -> str:
    params = [p.name.value for p in run.params.params if p.name.value != "self"]
    return params[0] if params else "workflow_config"


def _is_return(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Return)


def _without_last(body: cst.IndentedBlock) -> cst.IndentedBlock:
    """The body without a final `return`, whose own Return nodes are then nested ones."""
    statements = list(body.body)
    if statements and _is_return(statements[-1]):
        statements = statements[:-1]
    return body.with_changes(body=statements)


class _Swap(cst.CSTTransformer):
    def __init__(self, old: cst.FunctionDef, new: cst.FunctionDef) -> None:
        self.old, self.new = old, new

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        return self.new if original is self.old else updated
