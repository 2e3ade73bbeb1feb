"""The structural questions codemods, lint rules and project detection ask of a libcst tree, answered once.

Names of calls, decorators and stores; the classes, methods and functions of a module; the simple statements of a
block; the identifiers under a node. Public libcst APIs only. isinstance checks rather than `libcst.matchers`:
importing the matchers alone takes 0.4 s, a fifth of add-incremental's time budget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import libcst as cst

N = TypeVar("N", bound=cst.CSTNode)


def dotted(node: cst.CSTNode | None) -> str | None:
    """`a.b.c` for a Name or an Attribute chain of Names, else None."""
    return _dotted(node, through_calls=False)


def called_name(node: cst.CSTNode | None) -> str:
    """The dotted name of what is called or decorated, reading through calls: `a.b` for `a.b`, `a.b(x)` and
    `a().b`; "" when the chain holds anything else (a subscript, a string, an operation).

    Not `libcst.helpers.get_full_name_for_node`: it also reads through subscripts (`a[0].b` is `a.b`) and names
    `"x".join` `None.join`, while codemods rebuild expressions from these names and must only get real chains.
    """
    return _dotted(node, through_calls=True) or ""


def _dotted(node: cst.CSTNode | None, through_calls: bool) -> str | None:
    if through_calls and isinstance(node, cst.Call):
        return _dotted(node.func, through_calls)
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value, through_calls)
        return f"{base}.{node.attr.value}" if base else None
    return None


def last_name(node: cst.CSTNode | None) -> str | None:
    """The last identifier of a Name or an Attribute (`c` in `a.b.c`)."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return None


def decorator_names(node: cst.FunctionDef | cst.ClassDef) -> list[str]:
    """The decorators' dotted names, without their call: `["task", "workflow.defn"]`; "" for any other form."""
    return [called_name(decorator.decorator) for decorator in node.decorators]


def base_names(cls: cst.ClassDef) -> set[str]:
    """The last name of each base class: `App` for `App` and `application_sdk.app.App`."""
    return {called_name(base.value).rsplit(".", 1)[-1] for base in cls.bases}


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    return next((arg for arg in call.args if arg.keyword is not None and arg.keyword.value == name), None)


def positional(call: cst.Call) -> list[cst.Arg]:
    return [arg for arg in call.args if arg.keyword is None and not arg.star]


def has_star_args(call: cst.Call) -> bool:
    return any(arg.star for arg in call.args)


def is_false(node: cst.CSTNode | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "False"


def string_value(node: cst.CSTNode | None) -> str | None:
    """The value of a plain (not f-, not bytes) string literal."""
    if isinstance(node, cst.SimpleString | cst.ConcatenatedString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def string_constants(statement: cst.CSTNode) -> list[tuple[str, str]]:
    """`NAME = "text"` at a statement line: [(NAME, text)] (module-level constants code reads by name)."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return []
    found = []
    for small in statement.body:
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            value = string_value(small.value)
            if value is not None:
                found.append((small.targets[0].target.value, value))
    return found


def unwrap_await(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.expression if isinstance(node, cst.Await) else node


def target_name(node: cst.CSTNode) -> str | None:
    """The name something is stored under: `x`, `self.x`, `d["x"]`."""
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        return string_value(index.value) if isinstance(index, cst.Index) else None
    return last_name(node)


class _OfKind(cst.CSTVisitor):
    def __init__(self, kind: type[cst.CSTNode], where: Callable[[Any], bool] | None) -> None:
        self.kind, self.where = kind, where
        self.found: list[Any] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, self.kind) and (self.where is None or self.where(node)):
            self.found.append(node)
        return True


def find_all(node: cst.CSTNode, kind: type[N], where: Callable[[N], bool] | None = None) -> list[N]:
    """Every node of `kind` under node (node included) for which `where` holds, in document order."""
    visitor = _OfKind(kind, where)
    node.visit(visitor)
    return visitor.found


class _Names(cst.CSTVisitor):
    """Identifiers under a node: every Name (attribute names included), the attribute names, and the names a
    value reads (those not after a dot)."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.attributes: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.attributes.add(node.attr.value)


class _ReadNames(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False


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


def read_names(nodes: Iterable[cst.CSTNode]) -> set[str]:
    """The names the nodes read: `a` of `a.b.c`, not `b` or `c` (what a module must define or import)."""
    visitor = _ReadNames()
    for node in nodes:
        node.visit(visitor)
    return visitor.names


def mentions(node: cst.CSTNode, name: str) -> bool:
    """Whether `name` appears as a Name or an attribute name anywhere under node."""
    return name in names_in(node)


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


def methods(cls: cst.ClassDef) -> list[cst.FunctionDef]:
    """The functions defined directly in the class body."""
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    return [s for s in body if isinstance(s, cst.FunctionDef)]


def method(cls: cst.ClassDef | None, name: str) -> cst.FunctionDef | None:
    return next((f for f in methods(cls) if f.name.value == name), None) if cls is not None else None


def classes(module: cst.Module) -> list[cst.ClassDef]:
    """The classes defined at the top level of the module."""
    return [s for s in module.body if isinstance(s, cst.ClassDef)]


def find_class(module: cst.Module, name: str) -> cst.ClassDef | None:
    return next((c for c in classes(module) if c.name.value == name), None)


def find_function(module: cst.Module, name: str) -> cst.FunctionDef | None:
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
            return statement
    return None
