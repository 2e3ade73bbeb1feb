"""Entity types from what each extraction step writes and reads under `raw/`, and the parent -> child links
between them: a step that reads the records an earlier step wrote and writes another type extracts that type
per parent. Names are found in the code's own strings only (`raw/app`, `join(out, "raw", "app")`,
`Path(out) / "raw" / "chart"`, `write_records(out, "sheet", ...)` of a helper that writes under raw/,
`typename="site"`); a name seen nowhere is never invented."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

import libcst as cst

from connector_scaffold.codemods.cst_helpers import called_name, keyword, string_value
from connector_scaffold.targets.atlan.analysis.code_index import CodeIndex, Function
from connector_scaffold.targets.atlan.analysis.model import Link, Step

RAW = "raw"
RAW_PATH = re.compile(r"(?:^|/)raw/([A-Za-z_][A-Za-z0-9_]*)")
NOT_ENTITIES = {"raw", "transformed", "processed", "json", "parquet", "result", "output", "records", "data", "tmp"}


@dataclass(frozen=True)
class Mention:
    name: str
    where: str


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _text(index: CodeIndex, node: cst.BaseExpression) -> str | None:
    value = string_value(node)
    if value is None and isinstance(node, cst.Name):
        value = index.constants.get(node.value)
    return value


def _writes_raw(index: CodeIndex, function: Function) -> bool:
    key = ("writes_raw", id(function.node))
    if key not in index.memo:
        index.memo[key] = _reaches_raw(index, function)
    return index.memo[key]


def _reaches_raw(index: CodeIndex, function: Function) -> bool:
    for reached in index.reached_functions(function):
        for node in _strings(reached.node):
            if node.strip("/") == RAW or RAW_PATH.search(node):
                return True
        for name in _names(reached.node):
            if index.constants.get(name, "").strip("/") == RAW:
                return True
    return False


def _strings(node: cst.CSTNode) -> list[str]:
    found: list[str] = []

    class _V(cst.CSTVisitor):
        def visit_SimpleString(self, n: cst.SimpleString) -> None:
            value = string_value(n)
            if value is not None:
                found.append(value)

        def visit_FormattedStringText(self, n: cst.FormattedStringText) -> None:
            found.append(n.value)

    node.visit(_V())
    return found


def _names(node: cst.CSTNode) -> list[str]:
    found: list[str] = []

    class _V(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            found.append(n.value)

    node.visit(_V())
    return found


def _divide_chain(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
        return [*_divide_chain(node.left), node.right]
    return [node]


class _MentionVisitor(cst.CSTVisitor):
    """Entity names in one function: raw/<name> paths, `raw` followed by a name, names handed to raw helpers."""

    def __init__(self, index: CodeIndex, function: Function, raw_helpers: dict[str, bool]) -> None:
        self.index, self.function, self.raw_helpers = index, function, raw_helpers
        self.found: list[Mention] = []

    def _add(self, name: str, node: cst.CSTNode) -> None:
        self.found.append(Mention(name, self.index.sources.where(self.function.path, node)))

    def _sequence(self, parts: list[cst.BaseExpression], node: cst.CSTNode) -> None:
        texts = [_text(self.index, p) for p in parts]
        for before, after in pairwise(texts):
            if before is not None and before.strip("/") == RAW and after and after.isidentifier():
                self._add(after, node)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        match = RAW_PATH.search(string_value(node) or "")
        if match:
            self._add(match.group(1), node)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        self._sequence(_divide_chain(node), node)

    def visit_Call(self, node: cst.Call) -> None:
        self._sequence([a.value for a in node.args], node)
        typename = keyword(node, "typename")
        value = string_value(typename.value) if typename else None
        if value and value.isidentifier():
            self._add(value, node)
        short = called_name(node.func).rsplit(".", 1)[-1]
        helpers = self.index.functions.get(short, [])
        if helpers and short not in self.raw_helpers:
            self.raw_helpers[short] = any(_writes_raw(self.index, h) for h in helpers)
        if self.raw_helpers.get(short):
            for arg in node.args:
                value = string_value(arg.value)
                if value and value.isidentifier():
                    self._add(value, node)


def mentions(index: CodeIndex, function: Function) -> list[Mention]:
    """Entity names the function (and the app functions it reaches) writes or reads under raw/."""
    found: list[Mention] = []
    raw_helpers: dict[str, bool] = {}
    for fn in index.reached_functions(function):
        visitor = _MentionVisitor(index, fn, raw_helpers)
        fn.node.visit(visitor)
        found += visitor.found
    cleaned = [Mention(singular(m.name), m.where) for m in found if m.name.lower() not in NOT_ENTITIES]
    return sorted(set(cleaned), key=lambda m: (m.name, _sort_where(m.where)))


def _sort_where(where: str) -> tuple[str, int]:
    path, _, line = where.rpartition(":")
    return path, int(line) if line.isdigit() else 0


def assign(steps: list[Step], found: dict[str, list[Mention]]) -> tuple[list[Step], list[Link], dict[str, list[str]]]:
    """Each entity's producer is the first extraction step (in run order) that names it; a later step naming
    it reads it. Returns the steps with writes/reads, the links, and each entity's evidence."""
    produced: dict[str, str] = {}
    evidence: dict[str, list[str]] = {}
    updated: list[Step] = []
    links: list[Link] = []
    for step in steps:
        names = sorted({m.name for m in found.get(step.name, [])})
        if step.role not in ("extract", "other") or not names:
            updated.append(step)
            continue
        derived = {n: _derived_from(n, produced) for n in names if n not in produced}
        # `dashboards_filtered` is a filtered copy of dashboard: a read, not an entity.
        copies = {n for n, (base, suffix) in derived.items() if base and suffix in COPY_SUFFIXES}
        writes = tuple(n for n in names if n not in produced and n not in copies)
        reads = tuple(
            sorted({n for n in names if n in produced and produced[n] != step.name} | {derived[n][0] for n in copies})
        )
        for name in writes:
            base = derived.get(name, ("", ""))[0]
            if base and base not in reads:
                # `dashboard_details` written per dashboard: a detail of that entity.
                where = next(m.where for m in found[step.name] if m.name == name)
                links.append(Link(base, name, where, f"{step.name} writes {name} for {base} records"))
        for name in writes:
            produced[name] = step.name
        for m in found[step.name]:
            if m.name in writes:
                evidence.setdefault(m.name, []).append(m.where)
        for parent in reads:
            where = next((m.where for m in found[step.name] if m.name == parent), "")
            where = where or next(m.where for m in found[step.name] if derived.get(m.name, ("",))[0] == parent)
            links += [Link(parent, child, where, f"{step.name} reads {parent} records") for child in writes]
        updated.append(_with(step, writes, reads))
    return updated, links, {k: sorted(set(v), key=_sort_where) for k, v in evidence.items()}


COPY_SUFFIXES = ("filtered", "filter", "copy", "raw")


def _derived_from(name: str, produced: dict[str, str]) -> tuple[str, str]:
    """(entity, suffix) when `name` is an earlier entity's name with a suffix (`dashboards_filtered`,
    `dashboard_details`, `question_queries`), else ("", "")."""
    head, _, tail = name.partition("_")
    base = singular(head)
    return (base, tail) if tail and base in produced else ("", "")


def _with(step: Step, writes: tuple[str, ...], reads: tuple[str, ...]) -> Step:
    from dataclasses import replace

    role = "extract" if step.role == "other" and writes else step.role
    return replace(step, writes=writes, reads=reads, role=role)
