"""SCF009: every HTTP request has a timeout.

requests waits forever without one, on module calls (`requests.get`) and on a `requests.Session()`'s verbs alike;
httpx applies a 5 s default, so only an explicit `timeout=None` waits forever there. Client objects are followed
through the names a file binds them to: assignments (`self._session = requests.Session()` in `__init__`),
`with ... as`, and parameters annotated with the client types; imports are resolved through their aliases.
"""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import dotted, has_star_args, keyword
from ..lint.rule import Invalid, LintRule

_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"})
_CLIENTS = {"requests": frozenset({"Session", "session"}), "httpx": frozenset({"Client", "AsyncClient"})}
_NAMES = {module: _VERBS | clients for module, clients in _CLIENTS.items()}


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
        # httpx's 5 s default applies (application_sdk/main.py, dev/_dapr.py in the Atlan SDK).
        """
        import httpx

        async with httpx.AsyncClient() as client:
            response = await client.get(url)
        httpx.get(url)
        """,
        # A session whose verbs all pass a timeout (lakeflow sap_successfactors.py).
        """
        import requests

        class Client:
            def __init__(self):
                self.session = requests.Session()

            def fetch(self, url, params):
                return self.session.get(url, params=params, timeout=60)
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

            async with http.AsyncClient(base_url=base, timeout=None) as client:
                ...
            """
        ),
        Invalid(
            """
            from requests import post

            post(url, json=body)
            """
        ),
        # The session set in __init__ and used in a method (lakeflow azure_devops.py, zoho_client.py).
        Invalid(
            """
            import requests

            class AzureDevOps:
                def __init__(self):
                    self._session = requests.Session()
                    self._session.headers.update({"Accept": "application/json"})

                def token(self, url, data):
                    return self._session.post(url, data=data)
            """
        ),
        Invalid(
            """
            from requests import Session

            with Session() as session:
                session.get(url, params=params)
            """
        ),
        Invalid(
            """
            import requests

            def fetch(session: requests.Session, url: str):
                return session.get(url)
            """
        ),
        Invalid(
            """
            import httpx

            client = httpx.Client(base_url=base)
            client.get("/items", timeout=None)
            """
        ),
    )

    def setup(self) -> None:
        # local name -> (module, imported name or None for the module itself)
        self._bound: dict[str, tuple[str, str | None]] = {}
        # dotted name of a client object -> its library
        self._clients: dict[str, str] = {}

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            module = dotted(alias.name)
            if module in _NAMES:
                local = alias.asname.name if alias.asname else alias.name
                self._bound[dotted(local) or module] = (module, None)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = dotted(node.module) if node.module is not None else None
        if module not in _NAMES or isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = dotted(alias.name) or ""
            local = dotted(alias.asname.name) if alias.asname else name
            if name in _NAMES[module] and local:
                self._bound[local] = (module, name)

    def _resolve(self, node: cst.BaseExpression) -> tuple[str, str] | None:
        """(library, name) of `requests.get`, `http.AsyncClient` or an imported `post`, through aliases."""
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
            module, function = self._bound.get(node.value.value, ("", ""))
            if function is None and node.attr.value in _NAMES[module]:
                return module, node.attr.value
        elif isinstance(node, cst.Name):
            module, function = self._bound.get(node.value, ("", None))
            if function is not None:
                return module, function
        return None

    def _client_of(self, value: cst.BaseExpression | None) -> str | None:
        """The library of a client construction (`requests.Session()`, `httpx.AsyncClient(...)`)."""
        if isinstance(value, cst.Await):
            value = value.expression
        if isinstance(value, cst.Call):
            resolved = self._resolve(value.func)
            if resolved is not None and resolved[1] in _CLIENTS[resolved[0]]:
                return resolved[0]
        return None

    def _bind(self, target: cst.BaseExpression, library: str | None) -> None:
        name = dotted(target)
        if name is None:
            return
        if library is None:
            self._clients.pop(name, None)
        else:
            self._clients[name] = library

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._bound:
            library = self._client_of(node.value)
            for target in node.targets:
                self._bind(target.target, library)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if self._bound:
            library = self._client_of(node.value) if node.value is not None else self._annotated(node.annotation)
            self._bind(node.target, library)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if self._bound and node.asname is not None and isinstance(node.asname.name, cst.Name | cst.Attribute):
            self._bind(node.asname.name, self._client_of(node.item))

    def visit_Param(self, node: cst.Param) -> None:
        if self._bound and node.annotation is not None:
            library = self._annotated(node.annotation)
            if library is not None:
                self._clients[node.name.value] = library

    def _annotated(self, annotation: cst.Annotation) -> str | None:
        resolved = self._resolve(annotation.annotation)
        return resolved[0] if resolved is not None and resolved[1] in _CLIENTS[resolved[0]] else None

    def visit_Call(self, node: cst.Call) -> None:
        if not self._bound or has_star_args(node):
            return
        timeout = keyword(node, "timeout")
        if timeout is not None and not (isinstance(timeout.value, cst.Name) and timeout.value.value == "None"):
            return
        resolved = self._resolve(node.func)
        if resolved is not None:
            library, name = resolved
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value in _VERBS:
            library, name = self._clients.get(dotted(node.func.value) or "", ""), node.func.attr.value
            if not library:
                return
        else:
            return
        # requests has no default timeout anywhere; httpx waits forever only when told to (timeout=None).
        if (library == "requests" and name not in _CLIENTS["requests"]) or timeout is not None:
            self.report(node)
