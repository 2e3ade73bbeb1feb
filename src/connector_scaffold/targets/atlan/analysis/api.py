"""The API map of a REST app: every HTTP request the steps reach, its method, target and parameters, whether a
`while` pages it and whether a `for` repeats it once per record (the N+1 detail calls incremental saves)."""

from __future__ import annotations

import re

import libcst as cst

from connector_scaffold.codemods.cst_helpers import called_name, keyword, string_value
from connector_scaffold.targets.atlan.analysis.code_index import CodeIndex, Function, Site
from connector_scaffold.targets.atlan.analysis.model import ApiCall

VERBS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "request": "REQUEST"}
# Client wrappers name the verb: execute_http_get_request (SDK BaseClient), get_json, http_post.
WRAPPER = re.compile(r"(?:^|_)(get|post|put|patch|delete)(?:_request|_json)?$")
HTTPISH = ("http", "client", "session", "requests", "httpx", "api")


def http_method(call: cst.Call) -> str:
    name = called_name(call.func)
    if "." not in name:
        return ""
    receiver, _, attr = name.rpartition(".")
    last = receiver.rsplit(".", 1)[-1].lower()
    if attr in VERBS and any(h in last for h in HTTPISH):
        return VERBS[attr]
    if attr.startswith(("execute_http_", "http_")) or (attr.endswith("_json") and any(h in last for h in HTTPISH)):
        match = WRAPPER.search(attr)
        return match.group(1).upper() if match else ""
    return ""


def calls(index: CodeIndex, step_functions: dict[str, Function], order: list[str]) -> list[ApiCall]:
    """Each HTTP call site once per step that reaches it: the same client method is a paged list for one step
    and a per-record detail call for another."""
    found: list[ApiCall] = []
    for step in order:
        function = step_functions.get(step)
        if function is None:
            continue
        seen: set[tuple[str, int]] = set()
        reach = index.reach(function)
        for reached in sorted(reach, key=lambda r: (r.site.function.path, r.site.line, r.loop)):
            site = reached.site
            method = http_method(site.call)
            key = (site.function.path, site.line)
            if not method or key in seen:
                continue
            seen.add(key)
            found.append(
                ApiCall(
                    where=f"{site.function.path}:{site.line}",
                    function=f"{site.function.owner + '.' if site.function.owner else ''}{site.function.name}",
                    method=method,
                    target=_target(index, site.function, site.call, [r.site for r in reach]),
                    params=_params(index, site.function, site.call),
                    paged_by=reached.paged,
                    per_item_loop=reached.loop,
                    step=step,
                    loop_names=reached.loop_names,
                )
            )
    return found


def _first_arg(call: cst.Call) -> cst.BaseExpression | None:
    for name in ("url", "path"):
        arg = keyword(call, name)
        if arg is not None:
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[0].value if positional else None


def _assigned(function: Function, name: str) -> cst.BaseExpression | None:
    found: list[cst.BaseExpression] = []

    class _V(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if any(isinstance(t.target, cst.Name) and t.target.value == name for t in node.targets):
                found.append(node.value)

    function.node.visit(_V())
    return found[0] if len(found) == 1 else None


def _target(index: CodeIndex, function: Function, call: cst.Call, reach: list[Site]) -> str:
    node = _first_arg(call)
    if node is None:
        return "UNKNOWN (no URL argument)"
    code = index.sources.code(function.path, node)
    if isinstance(node, cst.Name) and node.value in _params_of(function):
        # `list_all(self, path, ...)`: the URL is what this step's code hands to it.
        passed = _passed(index, function, node.value, reach)
        if passed:
            return f"{code} = {' | '.join(passed)}"
    if isinstance(node, cst.Name):
        value = _assigned(function, node.value)
        if value is not None:
            node, code = value, index.sources.code(function.path, value)
    if isinstance(node, cst.Call):
        # `AnaplanUrls.pages(host)`: the app's URL builder returning one string shows the path itself.
        short = called_name(node.func).rsplit(".", 1)[-1]
        builders = index.functions.get(short, [])
        if len(builders) == 1:
            returned = _single_return(builders[0])
            if returned is not None:
                return f"{code} -> {index.sources.code(builders[0].path, returned)}"
    if string_value(node) is None and isinstance(node, cst.Name) and node.value in index.constants:
        return f"{code} = {index.constants[node.value]!r}"
    return code


def _params_of(function: Function) -> list[str]:
    return [p.name.value for p in function.node.params.params if p.name.value not in ("self", "cls")]


def _passed(index: CodeIndex, function: Function, name: str, reach: list[Site]) -> list[str]:
    position = _params_of(function).index(name)
    found: list[str] = []
    for site in reach:
        if called_name(site.call.func).rsplit(".", 1)[-1] != function.name:
            continue
        value = keyword(site.call, name)
        positional = [a for a in site.call.args if a.keyword is None and not a.star]
        arg = value.value if value else positional[position].value if position < len(positional) else None
        if arg is not None:
            found.append(index.sources.code(site.function.path, arg))
    return list(dict.fromkeys(found))


def _single_return(function: Function) -> cst.BaseExpression | None:
    found: list[cst.BaseExpression] = []

    class _V(cst.CSTVisitor):
        def visit_Return(self, node: cst.Return) -> None:
            if node.value is not None:
                found.append(node.value)

    function.node.visit(_V())
    if len(found) == 1 and isinstance(found[0], (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
        return found[0]
    return None


def _params(index: CodeIndex, function: Function, call: cst.Call) -> tuple[str, ...]:
    keys: list[str] = []
    for name in ("params", "json", "data"):
        arg = keyword(call, name)
        if arg is None:
            continue
        value = arg.value
        if isinstance(value, cst.Name):
            value = _assigned(function, value.value) or value
        if isinstance(value, cst.Dict):
            keys += [
                f"{name}.{string_value(e.key)}"
                for e in value.elements
                if isinstance(e, cst.DictElement) and string_value(e.key) is not None
            ]
        else:
            keys.append(f"{name}={index.sources.code(function.path, arg.value)}")
    return tuple(keys)
