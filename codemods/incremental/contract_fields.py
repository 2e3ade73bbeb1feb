"""Add annotated fields (the incremental flags, or a detail step's changed-ids file) to a model class."""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import called_name, find_all, find_class, is_expression_line, small_statement
from ..errors import NotFound


def _field_name(statement: cst.BaseStatement) -> str | None:
    """`name` of a `name: type [= default]` line, else None."""
    small = small_statement(statement)
    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
        return small.target.value
    return None


def _body(cls: cst.ClassDef) -> list[cst.BaseStatement]:
    return list(cls.body.body) if isinstance(cls.body, cst.IndentedBlock) else []


def field_names(cls: cst.ClassDef) -> set[str]:
    return {name for statement in _body(cls) if (name := _field_name(statement))}


def uses_kebab_aliases(cls: cst.ClassDef) -> bool:
    """Whether the model already maps kebab-case keys (`Field(alias="page-size")`), as UI configs send them."""
    aliases = find_all(cls, cst.Arg, lambda a: a.keyword is not None and a.keyword.value == "alias")
    return any(isinstance(a.value, cst.SimpleString) and "-" in a.value.raw_value for a in aliases)


def add_fields(module: cst.Module, class_name: str, snippet_class: cst.ClassDef) -> cst.Module:
    """Add the snippet's fields the class lacks, after its last field (methods and validators stay below)."""
    original = find_class(module, class_name)
    if original is None:
        raise NotFound(f"class {class_name} is not defined at the top level of this module")
    have = field_names(original)
    new = [s for s in _body(snippet_class) if _field_name(s) is not None and _field_name(s) not in have]
    if not new:
        return module
    if isinstance(original.body, cst.IndentedBlock):
        body = list(original.body.body)
        block = original.body
    else:
        # `class X(Input): ...` on one line: its statements move into an indented block, the `...` goes.
        suite = cst.ensure_type(original.body, cst.SimpleStatementSuite)
        small = [s for s in suite.body if not (isinstance(s, cst.Expr) and isinstance(s.value, cst.Ellipsis))]
        body, block = [cst.SimpleStatementLine([s]) for s in small], cst.IndentedBlock(body=[])
    last_field = max((i for i, s in enumerate(body) if _field_name(s) is not None), default=-1)
    if last_field == -1 and body and is_expression_line(body[0], cst.SimpleString):
        last_field = 0  # below the docstring
    if len(body) == 1 and is_expression_line(body[0], cst.Ellipsis):
        body, last_field = [], -1  # an indented `...` body gets the fields instead
    body[last_field + 1 : last_field + 1] = [s.with_changes(leading_lines=[]) for s in new]
    patched = original.with_changes(body=block.with_changes(body=body))
    return module.with_changes(body=[patched if s is original else s for s in module.body])


def required_fields(cls: cst.ClassDef) -> list[str]:
    """Fields without a default (`x: int`, `x: int = Field(alias="x")`, `x: int = Field(...)`)."""
    required = []
    for statement in _body(cls):
        assign = small_statement(statement)
        name = _field_name(statement)
        if name is None or not isinstance(assign, cst.AnnAssign):
            continue
        annotation = assign.annotation.annotation
        outer = annotation.value if isinstance(annotation, cst.Subscript) else annotation
        if called_name(outer).rsplit(".", 1)[-1] == "ClassVar":
            continue
        if assign.value is None or (_is_field_call(assign.value) and not _field_has_default(assign.value)):
            required.append(name)
    return required


def _is_field_call(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Call) and called_name(value.func).rsplit(".", 1)[-1] == "Field"


def _field_has_default(call: cst.BaseExpression) -> bool:
    args = cst.ensure_type(call, cst.Call).args
    if any(a.keyword is not None and a.keyword.value in ("default", "default_factory") for a in args):
        return True
    positional = [a for a in args if a.keyword is None and not a.star]
    return bool(positional) and not isinstance(positional[0].value, cst.Ellipsis)
