"""Switch a class to another base class (the SDK's incremental SQL classes): the base in the class statement, the
new base imported, the old one's import dropped when nothing else uses it."""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import find_class, names_in
from ..errors import NotFound


def switch_base(module: cst.Module, class_name: str, old: str, new: str, new_module: str) -> cst.Module:
    """`class X(old)` -> `class X(new)` plus `from new_module import new`; unchanged when X already has `new`."""
    target = find_class(module, class_name)
    if target is None:
        raise NotFound(f"class {class_name} is not defined at the top level of this module")
    bases = [_name(b.value) for b in target.bases]
    if new in bases:
        return module
    if old not in bases:
        raise NotFound(f"class {class_name} does not subclass {old}")
    swapped = [b.with_changes(value=cst.Name(new)) if _name(b.value) == old else b for b in target.bases]
    module = module.with_changes(body=[target.with_changes(bases=swapped) if s is target else s for s in module.body])
    module = _drop_unused_import(module, old)
    return _import(module, new, new_module)


def _name(node: cst.BaseExpression) -> str:
    """`Base` or the last part of `sql.Base`."""
    if isinstance(node, cst.Name):
        return node.value
    return node.attr.value if isinstance(node, cst.Attribute) else ""


def _drop_unused_import(module: cst.Module, name: str) -> cst.Module:
    """Remove `name` from a `from x import ...` when the module no longer reads it (ruff would flag it, F401)."""
    imports = {id(s): node for s in module.body if (node := _import_from(s)) is not None}
    rest = module.with_changes(body=[s for s in module.body if id(s) not in imports])
    if name in names_in(rest):
        return module
    body: list[cst.BaseStatement] = []
    for statement in module.body:
        node = imports.get(id(statement))
        if node is None or isinstance(node.names, cst.ImportStar):
            body.append(statement)
            continue
        kept = [a for a in node.names if a.evaluated_alias or a.evaluated_name != name]
        if len(kept) == len(node.names):
            body.append(statement)
        elif kept:
            last = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            names = [*kept[:-1], last] if node.lpar is None else kept
            line = cst.ensure_type(statement, cst.SimpleStatementLine)
            body.append(line.with_changes(body=[node.with_changes(names=names)]))
    return module.with_changes(body=body)


def _import_from(statement: cst.BaseStatement) -> cst.ImportFrom | None:
    if isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.ImportFrom):
        return statement.body[0]
    return None


def _import(module: cst.Module, name: str, source: str) -> cst.Module:
    from .imports import ensure_imports

    return ensure_imports(module, cst.parse_module(f"from {source} import {name}\n"))
