"""How deeply a module nests, measured before libcst sees it: libcst's native parser overflows its stack (a
segfault) on a couple of thousand nested brackets, and its Python visitors hit the recursion limit on a chain of a
thousand operators. CPython itself refuses more than 200 nested brackets; scaffold refuses a module whose syntax
tree is deeper than MAX_DEPTH levels, far beyond anything written by hand, and says so in one line.
"""

from __future__ import annotations

import ast

# Syntax-tree levels (module, statement, expression, operand...). libcst handles about 900 before Python's
# recursion limit; 400 keeps the codemods' deeper call stacks clear of it too.
MAX_DEPTH = 400


class NestedTooDeeply(ValueError):
    """A module nests deeper than MAX_DEPTH (or than CPython's own parser allows)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line


def check_depth(source: bytes | str) -> None:
    """Raise NestedTooDeeply for a module libcst must not be given; any other syntax error is left to the parser."""
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        if "too many nested" in (error.msg or "") or "too deeply nested" in (error.msg or ""):
            raise NestedTooDeeply(error.lineno or 1, f"{error.msg} (more than Python allows)") from None
        return
    except (RecursionError, MemoryError):
        raise NestedTooDeeply(1, "nested too deeply for Python's own parser") from None
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            line = getattr(node, "lineno", 1)
            raise NestedTooDeeply(line, f"nested more than {MAX_DEPTH} levels deep; simplify it or split it up")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
