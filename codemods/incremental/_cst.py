"""Shared libcst helpers: names of decorators and calls, placeholder substitution, snippet lookup."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import libcst as cst

N = TypeVar("N", bound=cst.CSTNode)
Listed = TypeVar("Listed", cst.Arg, cst.Element, cst.ImportAlias)


class _OfKind(cst.CSTVisitor):
    def __init__(self, kind: type[cst.CSTNode], where: Callable[[Any], bool] | None) -> None:
        self.kind, self.where, self.found = kind, where, []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, self.kind) and (self.where is None or self.where(node)):
            self.found.append(node)
        return True


def find_all(node: cst.CSTNode, kind: type[N], where: Callable[[N], bool] | None = None) -> list[N]:
    """Every node of `kind` under node (node included) for which `where` holds, in document order.

    isinstance checks rather than libcst.matchers: importing the matchers alone takes 0.4 s, a fifth of the
    command's time budget.
    """
    visitor = _OfKind(kind, where)
    node.visit(visitor)
    return visitor.found


def small_statement(statement: cst.CSTNode) -> cst.BaseSmallStatement | None:
    """The first small statement of a simple statement line (`x: int = 0`, `import a`), else None."""
    if isinstance(statement, cst.SimpleStatementLine) and statement.body:
        return statement.body[0]
    return None


def is_line_of(statement: cst.CSTNode, *kinds: type[cst.CSTNode]) -> bool:
    """Whether statement is a simple statement line whose first statement is one of kinds."""
    return isinstance(small_statement(statement), kinds)


def is_expression_line(statement: cst.CSTNode, *kinds: type[cst.CSTNode]) -> bool:
    """Whether statement is a bare expression (a docstring, `...`, a placeholder name) of one of kinds."""
    small = small_statement(statement)
    return isinstance(small, cst.Expr) and isinstance(small.value, kinds)


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()
        self.attributes: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.attributes.add(node.attr.value)


def names_in(node: cst.CSTNode) -> set[str]:
    """Every identifier under node: names and attribute names."""
    visitor = _Names()
    node.visit(visitor)
    return visitor.names


def attributes_in(node: cst.CSTNode) -> set[str]:
    """The attribute names under node (`b` and `c` in `a.b.c()`)."""
    visitor = _Names()
    node.visit(visitor)
    return visitor.attributes


def snippet_return(function: cst.FunctionDef) -> cst.BaseExpression:
    """The expression a snippet function returns: the template of an expression to splice in."""
    returned = find_all(function, cst.Return)
    if not returned or returned[0].value is None:
        raise ValueError(f"snippet {function.name.value}() must return an expression")
    return returned[0].value


def dotted(node: cst.BaseExpression) -> str:
    """`a.b.c` for Name/Attribute chains, the callee for calls, "" for anything else."""
    if isinstance(node, cst.Call):
        return dotted(node.func)
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted(node.value)
        return f"{head}.{node.attr.value}" if head else ""
    return ""


def decorator_names(function: cst.FunctionDef) -> list[str]:
    return [dotted(d.decorator) for d in function.decorators]


def methods(cls: cst.ClassDef) -> list[cst.FunctionDef]:
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    return [s for s in body if isinstance(s, cst.FunctionDef)]


def find_class(module: cst.Module, name: str) -> cst.ClassDef | None:
    for statement in module.body:
        if isinstance(statement, cst.ClassDef) and statement.name.value == name:
            return statement
    return None


def find_function(module: cst.Module, name: str) -> cst.FunctionDef | None:
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
            return statement
    return None


def mentions(node: cst.CSTNode, name: str) -> bool:
    """Whether `name` appears as a Name or an attribute name anywhere under node."""
    return name in names_in(node)


class _Substitute(cst.CSTTransformer):
    def __init__(self, names: Mapping[str, cst.BaseExpression], starred: Iterable[cst.Arg] | None) -> None:
        self.names = names
        self.starred = list(starred or [])

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        return self.names.get(original.value, updated)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        args: list[cst.Arg] = []
        for arg in updated.args:
            if arg.star == "**" and isinstance(arg.value, cst.Name) and arg.value.value == "STEP_OPTIONS":
                args.extend(self.starred)
            else:
                args.append(arg)
        return updated.with_changes(args=fix_commas(args))


def fix_commas(entries: list[Listed]) -> list[Listed]:
    """`a, b, c` on one line: a comma and a space between entries, none after the last."""
    between = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return [e.with_changes(comma=cst.MaybeSentinel.DEFAULT if e is entries[-1] else between) for e in entries]


def append_entries(existing: Sequence[Listed], added: Sequence[Listed]) -> list[Listed]:
    """`existing + added` in the layout of `existing`: the new entries copy the separator between the existing
    ones (a newline and indent in a one-per-line list) and the last one takes over the trailing comma and its
    comment; the existing entries keep theirs."""
    if not added:
        return list(existing)
    if not existing:
        return fix_commas(list(added))
    last = existing[-1]
    commas = [e.comma for e in existing[:-1] if isinstance(e.comma, cst.Comma)]
    between = commas[-1] if commas else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    middle = [e.with_changes(comma=between) for e in added[:-1]]
    return [*existing[:-1], last.with_changes(comma=between), *middle, added[-1].with_changes(comma=last.comma)]


def substitute(
    node: cst.CSTNode, names: Mapping[str, cst.BaseExpression], step_options: Iterable[cst.Arg] | None = None
) -> cst.CSTNode:
    """Replace placeholder Names (WORKFLOW_ARGS, ...) and a `**STEP_OPTIONS` argument in a snippet node."""
    return node.visit(_Substitute(names, step_options))


def body_of(function: cst.FunctionDef) -> list[cst.BaseStatement]:
    """The statements of a snippet function."""
    return list(cst.ensure_type(function.body, cst.IndentedBlock).body)
