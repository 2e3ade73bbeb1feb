"""Every function and method of the app with its call sites, and what a step reaches through the app's own
functions: the base the workflow, entity, API and timestamp facts are read from.

A call site knows the loops around it in its function: a `for` or a comprehension repeats it once per item (the
N+1 shape), a `while` pages. Following calls, a loop met on the way is kept, so a request three functions below
a `for workbook in workbooks` is still per workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from connector_scaffold.codemods.cst_helpers import called_name, string_constants
from connector_scaffold.targets.atlan.analysis.sources import Sources

LOOPS = (cst.For, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
MAX_DEPTH = 4


@dataclass(frozen=True)
class Function:
    path: str
    node: cst.FunctionDef
    owner: str  # the class name, "" for a function

    @property
    def name(self) -> str:
        return self.node.name.value


@dataclass(frozen=True)
class Site:
    call: cst.Call
    function: Function
    line: int
    loop: str  # file:line of the innermost for/comprehension around it in its function, or ""
    paged: str  # file:line of the innermost while around it, or ""
    callees: tuple[str, ...]  # app function names it calls or hands over (run_in_thread(write, ...))
    loop_names: tuple[str, ...] = ()  # the names in that loop's target and iterable (`for page in valid_pages`)


@dataclass(frozen=True)
class Reached:
    site: Site
    loop: str  # the first per-item loop on the way from the step, or ""
    paged: str
    loop_names: tuple[str, ...] = ()


class _SiteVisitor(cst.CSTVisitor):
    def __init__(self, index: CodeIndex, function: Function) -> None:
        self.index, self.function = index, function
        self.loops: list[cst.CSTNode] = []
        self.whiles: list[cst.CSTNode] = []
        self.sites: list[Site] = []
        self.depth = 0

    def _where(self, node: cst.CSTNode) -> str:
        return self.index.sources.where(self.function.path, node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        return self.depth == 1  # a nested def is a function of its own, reached by name

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, LOOPS):
            self.loops.append(node)
        elif isinstance(node, cst.While):
            self.whiles.append(node)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if isinstance(original_node, LOOPS):
            self.loops.pop()
        elif isinstance(original_node, cst.While):
            self.whiles.pop()
        super().on_leave(original_node)

    def visit_Call(self, node: cst.Call) -> None:
        names = [called_name(node.func).rsplit(".", 1)[-1]]
        names += [a.value.value for a in node.args if isinstance(a.value, cst.Name)]
        callees = tuple(dict.fromkeys(n for n in names if n in self.index.functions))
        self.sites.append(
            Site(
                node,
                self.function,
                self.index.sources.line(self.function.path, node),
                self._where(self.loops[-1]) if self.loops else "",
                self._where(self.whiles[-1]) if self.whiles else "",
                callees,
                _loop_names(self.loops[-1]) if self.loops else (),
            )
        )


@dataclass
class CodeIndex:
    sources: Sources
    functions: dict[str, list[Function]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)  # module-level NAME = "text"
    _sites: dict[int, list[Site]] = field(default_factory=dict)
    _reach: dict[int, list[Reached]] = field(default_factory=dict)
    memo: dict[tuple[str, int], bool] = field(default_factory=dict)  # per-function answers other modules cache

    @classmethod
    def build(cls, sources: Sources) -> CodeIndex:
        index = cls(sources)
        for path, module in sources.modules.items():
            for statement in module.body:
                index.constants.update(string_constants(statement))
            _FunctionCollector(index, path).walk(module)
        return index

    def sites(self, function: Function) -> list[Site]:
        key = id(function.node)
        if key not in self._sites:
            visitor = _SiteVisitor(self, function)
            function.node.visit(visitor)
            self._sites[key] = visitor.sites
        return self._sites[key]

    def method(self, owner: str, name: str) -> Function | None:
        return next((f for f in self.functions.get(name, []) if f.owner == owner), None)

    def reach(self, start: Function) -> list[Reached]:
        """Call sites of `start` and of the app functions it calls, MAX_DEPTH levels deep, each once."""
        if id(start.node) not in self._reach:
            self._reach[id(start.node)] = self._walk(start)
        return self._reach[id(start.node)]

    def _walk(self, start: Function) -> list[Reached]:
        found: list[Reached] = []
        seen = {id(start.node)}
        pending: list[tuple[Function, str, str, tuple[str, ...], int]] = [(start, "", "", (), 0)]
        while pending:
            function, loop, paged, loop_names, depth = pending.pop(0)
            for site in self.sites(function):
                names = loop_names if loop else site.loop_names
                reached = Reached(site, loop or site.loop, paged or site.paged, names)
                found.append(reached)
                if depth >= MAX_DEPTH:
                    continue
                for name in site.callees:
                    for callee in self.functions.get(name, []):
                        if id(callee.node) not in seen:
                            seen.add(id(callee.node))
                            pending.append((callee, reached.loop, reached.paged, names, depth + 1))
        return found

    def reached_functions(self, start: Function) -> list[Function]:
        functions = {id(start.node): start}
        for reached in self.reach(start):
            for name in reached.site.callees:
                for callee in self.functions.get(name, []):
                    functions.setdefault(id(callee.node), callee)
        return list(functions.values())


class _FunctionCollector(cst.CSTVisitor):
    def __init__(self, index: CodeIndex, path: str) -> None:
        self.index, self.path = index, path
        self.owners: list[str] = []

    def walk(self, module: cst.Module) -> None:
        module.visit(self)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.owners.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.owners.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        owner = self.owners[-1] if self.owners else ""
        self.index.functions.setdefault(node.name.value, []).append(Function(self.path, node, owner))
        self.owners.append("")  # a def inside a function is not a method

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.owners.pop()


def _loop_names(loop: cst.CSTNode) -> tuple[str, ...]:
    """Names in a loop's target and iterable: what the loop goes over, for tying it to an entity."""
    parts: list[cst.CSTNode] = []
    if isinstance(loop, cst.For):
        parts = [loop.target, loop.iter]
    elif isinstance(loop, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
        parts = [loop.for_in.target, loop.for_in.iter]
    names: list[str] = []

    class _V(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            names.append(node.value)

    for part in parts:
        part.visit(_V())
    return tuple(dict.fromkeys(names))
