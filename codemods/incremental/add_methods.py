"""Add the snippet's methods to an existing class (v2 activities class or v3 App), or its functions to a module;
once each."""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import find_class, methods
from ..errors import NotFound


def add_methods(module: cst.Module, class_name: str, snippet_class: cst.ClassDef) -> cst.Module:
    """Append the snippet's methods the class lacks, after its own; a method it has is never replaced."""
    target = find_class(module, class_name)
    if target is None:
        raise NotFound(f"class {class_name} is not defined at the top level of this module")
    existing = {f.name.value for f in methods(target)}
    new = [f for f in methods(snippet_class) if f.name.value not in existing]
    if not new:
        return module
    # A class with methods has an indented body; a one-line `class X: ...` has none to find.
    body = cst.ensure_type(target.body, cst.IndentedBlock)
    spaced = [f.with_changes(leading_lines=[cst.EmptyLine(indent=False)]) for f in new]
    patched = target.with_changes(body=body.with_changes(body=[*body.body, *spaced]))
    return module.with_changes(body=[patched if s is target else s for s in module.body])


def add_functions(module: cst.Module, snippet: cst.Module) -> cst.Module:
    """Append the snippet module's top-level functions the module lacks, after everything else; the module's own
    functions, edited or not, are never replaced."""
    existing = {s.name.value for s in module.body if isinstance(s, cst.FunctionDef)}
    new = [s for s in snippet.body if isinstance(s, cst.FunctionDef) and s.name.value not in existing]
    if not new:
        return module
    spaced = [f.with_changes(leading_lines=[cst.EmptyLine(indent=False)] * 2) for f in new]
    return module.with_changes(body=[*module.body, *spaced])
