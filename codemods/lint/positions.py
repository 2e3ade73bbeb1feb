"""Line spans of the few nodes a file's findings point at, from libcst's PositionProvider.

PositionProvider records a range for every node of the module it is given, which on a whole file costs half a
parse. A finding needs the position of one node, so each flagged node is located in a pruned copy of the tree:
every block on the way down to the statement that holds it keeps only the statement on that way, and the lines of
the statements dropped before it are added back. The statement that holds the node is kept whole, so the range is
the one the whole file would give. Nodes the pruning cannot reach fall back to the whole module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from contextlib import suppress
from typing import Any

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from .walk import child_fields

_NEWLINE = re.compile(r"\r\n?|\n")
# Beyond this many flagged statements in one file, one pass over the whole module costs less than the pruned ones.
_MAX_PRUNED = 16

# (first line, 0-based column, last line)
Span = tuple[int, int, int]
# How a node hangs from its parent: the parent, the field, the index in a sequence field (None: a single child).
Step = tuple[cst.CSTNode, str, int | None]


class _AllFound(Exception):
    pass


def spans(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[int, Span]:
    """Spans keyed by `id(node)` for nodes of `module`."""
    wanted = {id(node): node for node in nodes}
    if not wanted:
        return {}
    found: dict[int, Span] = {}
    lines = _LineCounter(module)
    by_statement: dict[int, list[cst.CSTNode]] = {}
    paths: dict[int, list[Step]] = {}
    for key, path in _paths(module, set(wanted)).items():
        cut = _statement_cut(path)
        if cut is None:
            continue
        statement = _child(path, cut)
        by_statement.setdefault(id(statement), []).append(wanted[key])
        paths.setdefault(id(statement), list(path[: cut + 1]))
    if len(by_statement) > _MAX_PRUNED:
        by_statement = {}  # so many places that one pass over the whole module is cheaper
    for key, flagged in by_statement.items():
        pruned, offset = _pruned(paths[key], lines)
        positions = MetadataWrapper(pruned, unsafe_skip_copy=True).resolve(PositionProvider)
        for node in flagged:
            if node in positions:
                found[id(node)] = _span(node, positions[node], offset)
    missing = [node for key, node in wanted.items() if key not in found]
    if missing:
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        for node in missing:
            if node in positions:
                found[id(node)] = _span(node, positions[node], 0)
    return found


def _span(node: cst.CSTNode, where: CodeRange, offset: int) -> Span:
    start, end = where.start, where.end
    last = end.line - 1 if end.column == 0 and end.line > start.line else end.line
    return start.line + offset, start.column, last + offset + _footer_lines(node)


def _footer_lines(node: cst.CSTNode) -> int:
    """Comment lines below the last statement of the node's last block (libcst keeps them as the block's footer).

    A statement's range ends with its last statement; its span also covers these lines, so that a
    `# scaffold: ignore` written under a flagged handler's body still silences it.
    """
    count = 0
    current: cst.CSTNode | None = node
    while current is not None:
        if isinstance(current, cst.IndentedBlock):
            count += len(current.footer)
            current = current.body[-1] if current.body else None
        elif isinstance(current, cst.SimpleStatementLine | cst.BaseExpression):
            return count
        else:
            children = current.children
            current = children[-1] if children else None
    return count


def _paths(module: cst.Module, wanted: set[int]) -> dict[int, list[Step]]:
    """The steps from the module down to each wanted node, in one search that stops when all are found."""
    found: dict[int, list[Step]] = {}
    path: list[Step] = []

    def go(node: cst.CSTNode) -> None:
        if id(node) in wanted:
            found[id(node)] = list(path)
            if len(found) == len(wanted):
                raise _AllFound
        for name in child_fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, tuple | list):
                for index, item in enumerate(value):
                    if isinstance(item, cst.CSTNode):
                        path.append((node, name, index))
                        go(item)
                        path.pop()
            elif isinstance(value, cst.CSTNode):
                path.append((node, name, None))
                go(value)
                path.pop()

    with suppress(_AllFound):
        go(module)
    return found


def _is_block_step(step: Step) -> bool:
    parent, name, _ = step
    return name == "body" and isinstance(parent, cst.Module | cst.IndentedBlock)


def _statement_cut(path: Sequence[Step]) -> int | None:
    """The index of the step into the innermost statement of a block on the path: everything below it stays."""
    cuts = [index for index, step in enumerate(path) if _is_block_step(step)]
    return cuts[-1] if cuts else None


def _child(path: Sequence[Step], index: int) -> cst.CSTNode:
    parent, name, position = path[index]
    value: Any = getattr(parent, name)
    child: cst.CSTNode = value if position is None else value[position]
    return child


class _LineCounter:
    """Lines of the statements pruned away, each generated once."""

    def __init__(self, module: cst.Module) -> None:
        self._module = module
        self._lines: dict[int, int] = {}

    def before(self, statements: Sequence[cst.CSTNode]) -> int:
        total = 0
        for statement in statements:
            count = self._lines.get(id(statement))
            if count is None:
                count = self._lines[id(statement)] = len(_NEWLINE.findall(self._module.code_for_node(statement)))
            total += count
        return total


def _pruned(path: Sequence[Step], lines: _LineCounter) -> tuple[cst.Module, int]:
    """The module with every block on `path` cut down to its step, and the lines cut away before that step.

    `path` ends with the step into the statement to keep whole.
    """
    offset = 0
    node: cst.CSTNode = _child(path, len(path) - 1)
    for parent, name, position in reversed(path):
        value: Any = getattr(parent, name)
        if _is_block_step((parent, name, position)) and position is not None:
            offset += lines.before(value[:position])
            node = parent.with_changes(body=[node])
        elif position is None:
            node = parent.with_changes(**{name: node})
        else:
            node = parent.with_changes(**{name: (*value[:position], node, *value[position + 1 :])})
    return cst.ensure_type(node, cst.Module), offset
