"""SCF009: every HTTP request has a timeout; requests waits forever without one."""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import dotted, has_star_args, keyword
from ..lint.rule import Invalid, LintRule

_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"})
# httpx clients take the timeout once, for all their requests.
_CALLS = {"requests": _VERBS, "httpx": _VERBS | {"Client", "AsyncClient"}}


class HttpWithoutTimeout(LintRule):
    CODE = "SCF009"
    MESSAGE = "HTTP call without a timeout; pass timeout="
    GUARDRAIL = "DESIGN (extraction seed, failure handling): every request has a timeout"
    KEYWORDS = (b"requests", b"httpx")

    VALID = (
        """
        import httpx
        import requests

        requests.get(url, timeout=30)
        client = httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(30.0))
        response = await client.get("/v1/charges")
        requests.post(url, **options)
        """,
    )
    INVALID = (
        Invalid(
            """
            import requests

            response = requests.get("https://api.example.com/v1/items", params=params)
            """
        ),
        Invalid(
            """
            import httpx as http

            async with http.AsyncClient(base_url=base) as client:
                ...
            """
        ),
        Invalid(
            """
            from requests import post

            post(url, json=body)
            """
        ),
    )

    def setup(self) -> None:
        # local name -> (module, function or None for the module itself)
        self._bound: dict[str, tuple[str, str | None]] = {}

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            module = dotted(alias.name)
            if module in _CALLS:
                local = alias.asname.name if alias.asname else alias.name
                self._bound[dotted(local) or module] = (module, None)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = dotted(node.module) if node.module is not None else None
        if module not in _CALLS or isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = dotted(alias.name) or ""
            local = dotted(alias.asname.name) if alias.asname else name
            if name in _CALLS[module] and local:
                self._bound[local] = (module, name)

    def visit_Call(self, node: cst.Call) -> None:
        if not self._bound or keyword(node, "timeout") is not None or has_star_args(node):
            return
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            module, function = self._bound.get(func.value.value, ("", ""))
            if function is None and func.attr.value in _CALLS[module]:
                self.report(node)
        elif isinstance(func, cst.Name):
            module, function = self._bound.get(func.value, ("", None))
            if function is not None:
                self.report(node)
