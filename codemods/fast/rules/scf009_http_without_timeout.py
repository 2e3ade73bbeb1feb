"""SCF009 on `ast` (see rules/scf009_http_without_timeout.py)."""

from __future__ import annotations

import ast

from ..nodes import dotted, has_star_args, is_none, keyword
from ..rule import FastRule

VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"})
CLIENTS = {"requests": frozenset({"Session", "session"}), "httpx": frozenset({"Client", "AsyncClient"})}
NAMES = {module: VERBS | clients for module, clients in CLIENTS.items()}


class HttpWithoutTimeout(FastRule):
    CODE = "SCF009"
    MESSAGE = "HTTP call without a timeout; pass timeout="
    KEYWORDS = (b"requests", b"httpx")

    def setup(self) -> None:
        self._bound: dict[str, tuple[str, str | None]] = {}
        self._clients: dict[str, str] = {}

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name in NAMES:
                self._bound[alias.asname or alias.name] = (alias.name, None)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        # libcst's module name leaves out the leading dots of a relative import.
        if node.module not in NAMES:
            return
        for alias in node.names:
            if alias.name in NAMES[node.module]:
                self._bound[alias.asname or alias.name] = (node.module, alias.name)

    def _resolve(self, node: ast.expr) -> tuple[str, str] | None:
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module, function = self._bound.get(node.value.id, ("", ""))
            if function is None and node.attr in NAMES[module]:
                return module, node.attr
        elif isinstance(node, ast.Name):
            module, function = self._bound.get(node.id, ("", None))
            if function is not None:
                return module, function
        return None

    def _client_of(self, value: ast.expr | None) -> str | None:
        if isinstance(value, ast.Await):
            value = value.value
        if isinstance(value, ast.Call):
            resolved = self._resolve(value.func)
            if resolved is not None and resolved[1] in CLIENTS[resolved[0]]:
                return resolved[0]
        return None

    def _bind(self, target: ast.expr, library: str | None) -> None:
        name = dotted(target)
        if name is None:
            return
        if library is None:
            self._clients.pop(name, None)
        else:
            self._clients[name] = library

    def visit_Assign(self, node: ast.Assign) -> None:
        if self._bound:
            library = self._client_of(node.value)
            for target in node.targets:
                self._bind(target, library)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if self._bound:
            library = self._client_of(node.value) if node.value is not None else self._annotated(node.annotation)
            self._bind(node.target, library)

    def visit_withitem(self, node: ast.withitem) -> None:
        if self._bound and isinstance(node.optional_vars, ast.Name | ast.Attribute):
            self._bind(node.optional_vars, self._client_of(node.context_expr))

    def visit_arg(self, node: ast.arg) -> None:
        if self._bound and node.annotation is not None:
            library = self._annotated(node.annotation)
            if library is not None:
                self._clients[node.arg] = library

    def _annotated(self, annotation: ast.expr) -> str | None:
        resolved = self._resolve(annotation)
        return resolved[0] if resolved is not None and resolved[1] in CLIENTS[resolved[0]] else None

    def visit_Call(self, node: ast.Call) -> None:
        if not self._bound or has_star_args(node):
            return
        timeout = keyword(node, "timeout")
        if timeout is not None and not is_none(timeout.value):
            return
        resolved = self._resolve(node.func)
        if resolved is not None:
            library, name = resolved
        elif isinstance(node.func, ast.Attribute) and node.func.attr in VERBS:
            library, name = self._clients.get(dotted(node.func.value) or "", ""), node.func.attr
            if not library:
                return
        else:
            return
        if (library == "requests" and name not in CLIENTS["requests"]) or timeout is not None:
            self.report(node)
