"""Add the snippet's imports that the patched module now uses and does not bind yet.

A name joins an existing `from X import ...` of the same module when there is one, else a new import line goes
below the last top-level import; `ruff check --select I` then sorts the block in the app's own style.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from ..cst_helpers import called_name, is_line_of, names_in
from .splice import append_entries, fix_commas


class _ModuleBindings(cst.CSTVisitor):
    """Names bound at module level (also under `if TYPE_CHECKING:` or `try:`); function and class bodies are
    not entered, their own names are."""

    def __init__(self) -> None:
        self.bound: set[str] = set()

    def visit_Import(self, node: cst.Import) -> None:
        self.bound.update((a.evaluated_alias or a.evaluated_name).split(".")[0] for a in node.names)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if not isinstance(node.names, cst.ImportStar):
            self.bound.update(a.evaluated_alias or a.evaluated_name for a in node.names)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.bound.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.bound.add(node.name.value)
        return False


def _bound_names(module: cst.Module) -> set[str]:
    visitor = _ModuleBindings()
    module.visit(visitor)
    return visitor.bound


@dataclass(frozen=True)
class _FromImport:
    """A top-level `from X import a, b` line (not relative, not `*`) and its index in the module body."""

    index: int
    line: cst.SimpleStatementLine
    node: cst.ImportFrom
    source: str
    names: Sequence[cst.ImportAlias]


def _from_imports(module: cst.Module) -> list[_FromImport]:
    found = []
    for index, statement in enumerate(module.body):
        if isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.ImportFrom):
            line, node = statement, statement.body[0]
            if not node.relative and node.module is not None and not isinstance(node.names, cst.ImportStar):
                found.append(_FromImport(index, line, node, called_name(node.module), node.names))
    return found


def ensure_imports(module: cst.Module, *snippets: cst.Module) -> cst.Module:
    """Import what the module uses from the snippets' imports and lacks; unchanged when nothing is missing."""
    used = names_in(module)
    bound = _bound_names(module)
    missing: list[cst.SimpleStatementLine] = []
    for wanted_from in [f for snippet in snippets for f in _from_imports(snippet)]:
        wanted = [a for a in wanted_from.names if a.evaluated_name in used and a.evaluated_name not in bound]
        if not wanted:
            continue
        merged = _merge_into_existing(module, wanted_from.source, wanted)
        if merged is not None:
            module = merged
        else:
            node = wanted_from.node.with_changes(names=fix_commas(wanted))
            missing.append(wanted_from.line.with_changes(body=[node]))
        bound.update(a.evaluated_name for a in wanted)
    if not missing:
        return module
    last_import = max((i for i, s in enumerate(module.body) if is_line_of(s, cst.Import, cst.ImportFrom)), default=-1)
    body = list(module.body)
    body[last_import + 1 : last_import + 1] = missing
    return module.with_changes(body=body)


def _merge_into_existing(module: cst.Module, source: str, wanted: list[cst.ImportAlias]) -> cst.Module | None:
    existing = next((f for f in _from_imports(module) if f.source == source), None)
    if existing is None:
        return None
    # Appended in the import's own layout; `ruff check --select I` sorts the names afterwards.
    names = append_entries(existing.names, wanted)
    body = list(module.body)
    body[existing.index] = existing.line.with_changes(body=[existing.node.with_changes(names=names)])
    return module.with_changes(body=body)
