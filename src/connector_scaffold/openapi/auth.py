"""Auth from `securitySchemes` (OpenAPI 3) or `securityDefinitions` (Swagger 2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connector_scaffold.openapi.document import Document
from connector_scaffold.openapi.inference import HIGH, LOW, MEDIUM, Inference

# When a document offers alternatives, the one a connector can use with a single secret and no user in the loop.
_PREFERENCE = ("bearer", "oauth2_client_credentials", "api_key_header", "api_key_query", "basic")


def _auth_of(name: str, scheme: Mapping[str, Any]) -> tuple[dict[str, Any], str] | None:
    """The spec's auth for one scheme and the evidence; None for a scheme a connector cannot use (cookie, mTLS)."""
    kind = str(scheme.get("type", "")).lower()
    if kind == "http":
        http = str(scheme.get("scheme", "")).lower()
        if http == "bearer":
            return {"type": "bearer"}, f"{name}: http bearer"
        if http == "basic":
            return {"type": "basic"}, f"{name}: http basic"
        return None
    if kind == "basic":  # Swagger 2
        return {"type": "basic"}, f"{name}: basic"
    if kind == "apikey":
        where, header = str(scheme.get("in", "")), str(scheme.get("name", ""))
        if where == "header" and header:
            return {"type": "api_key_header", "header_name": header}, f"{name}: apiKey in header {header}"
        if where == "query" and header:
            return {"type": "api_key_query", "query_param": header}, f"{name}: apiKey in query {header}"
        return None
    if kind == "oauth2":
        flows = scheme.get("flows")
        flow: Any = flows.get("clientCredentials") if isinstance(flows, Mapping) else None
        if flow is None and scheme.get("flow") == "application":  # Swagger 2's client-credentials flow
            flow = scheme
        if isinstance(flow, Mapping) and str(flow.get("tokenUrl", "")).startswith("https://"):
            scopes = sorted(str(s) for s in (flow.get("scopes") or {}))
            auth = {"type": "oauth2_client_credentials", "token_url": str(flow["tokenUrl"]), "scopes": scopes}
            return auth, f"{name}: oauth2 clientCredentials flow, token URL {flow['tokenUrl']}"
        return {"type": "bearer"}, f"{name}: oauth2 without a client-credentials flow; send an access token as bearer"
    if kind == "openidconnect":
        return {"type": "bearer"}, f"{name}: openIdConnect; send the access token as bearer"
    return None


def _used_schemes(doc: Document) -> list[str]:
    """Scheme names in the order the document's `security` requirements name them (global first)."""
    names: list[str] = []
    requirements: list[Any] = list(doc.root.get("security") or [])
    for operation in doc.operations():
        requirements.extend(operation.spec.get("security") or [])
    for requirement in requirements:
        if isinstance(requirement, Mapping):
            names.extend(str(n) for n in requirement if str(n) not in names)
    return names


def infer_auth(doc: Document) -> tuple[dict[str, Any], Inference]:
    schemes = doc.security_schemes()
    if not schemes:
        evidence = "the document declares no security schemes"
        return {"type": "bearer"}, Inference("auth", "bearer (assumed)", evidence, LOW)
    used = _used_schemes(doc)
    order = [n for n in used if n in schemes] + [n for n in sorted(schemes) if n not in used]
    options = [(name, found) for name in order if (found := _auth_of(name, schemes[name])) is not None]
    if not options:
        kinds = ", ".join(f"{n} ({schemes[n].get('type')})" for n in sorted(schemes))
        return {"type": "bearer"}, Inference("auth", "bearer (assumed)", f"no usable scheme among {kinds}", LOW)
    options.sort(key=lambda item: _PREFERENCE.index(item[1][0]["type"]))
    _, (auth, evidence) = options[0]
    confidence = HIGH if len(options) == 1 else MEDIUM
    others = [n for n, _ in options[1:]]
    if others:
        evidence += f"; preferred over {', '.join(others)}"
    value = auth["type"] + (f" ({auth['header_name']})" if "header_name" in auth else "")
    return auth, Inference("auth", value, evidence, confidence)
