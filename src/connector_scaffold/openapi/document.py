"""Read an OpenAPI 3.0/3.1 or Swagger 2.0 document and give version-neutral access to what the importer needs.

`$ref`s are resolved by jsonref with lazy proxies: a reference is followed only when the importer reads through it,
so a document with thousands of paths (and recursive schemas) costs what the importer looks at, not the whole graph.
References to other local files resolve relative to the document; remote (http) references are refused, since the
importer reaches no network.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

import jsonref
import yaml

from connector_scaffold.errors import ScaffoldError

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class OpenAPIError(ScaffoldError):
    """A document that cannot be read or is not OpenAPI; one line naming the file."""


def _parse(text: str, where: str) -> Any:
    """JSON when it looks like JSON (fast), YAML otherwise, with libyaml's loader when it is built in."""
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise OpenAPIError(f"{where}:{error.lineno} is not valid JSON: {error.msg}") from None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise OpenAPIError(f"{where}{line} is neither valid JSON nor valid YAML") from None


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OpenAPIError(f"OpenAPI document {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise OpenAPIError(f"OpenAPI document {path} cannot be read: {error}") from None
    return _parse(text, str(path))


def _local_loader(uri: str) -> Any:
    """jsonref's loader for references into other files: local files only."""
    parsed = urlparse(uri)
    if parsed.scheme not in ("", "file"):
        raise OpenAPIError(f"remote reference {uri} is not followed (no network); download it next to the document")
    return _read(Path(url2pathname(parsed.path)))


def _string_keys(value: Any) -> Any:
    """YAML reads `200:` as an int; OpenAPI keys are strings (status codes, property names)."""
    if isinstance(value, dict):
        return {str(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_string_keys(v) for v in value]
    return value


@dataclass(frozen=True)
class Operation:
    path: str
    method: str
    spec: Mapping[str, Any]
    parameters: tuple[Mapping[str, Any], ...]


class Document:
    """One OpenAPI document, `$ref`s resolved on access."""

    def __init__(self, path: Path) -> None:
        raw = _read(path)
        if not isinstance(raw, dict):
            raise OpenAPIError(f"{path} is not an OpenAPI document (expected a mapping at the top)")
        if not isinstance(raw.get("paths"), dict):
            raise OpenAPIError(f"{path} has no `paths`; is it an OpenAPI or Swagger document?")
        version = str(raw.get("openapi") or raw.get("swagger") or "")
        if not (version.startswith("3.") or version.startswith("2.")):
            raise OpenAPIError(f"{path}: neither `openapi: 3.x` nor `swagger: 2.0` at the top")
        self.path = path
        self.version = version
        self.swagger2 = version.startswith("2.")
        resolved = jsonref.replace_refs(
            _string_keys(raw), base_uri=path.resolve().as_uri(), loader=_local_loader, lazy_load=True, proxies=True
        )
        self.root: Mapping[str, Any] = resolved
        self._params_under: dict[str, list[str]] | None = None

    @property
    def info(self) -> Mapping[str, Any]:
        info = self.root.get("info")
        return info if isinstance(info, Mapping) else {}

    def operations(self, method: str = "get") -> Iterator[Operation]:
        """Every operation of `method`, in document order, with path-level parameters merged in."""
        for path, item in self.root["paths"].items():
            if not isinstance(item, Mapping) or not isinstance(item.get(method), Mapping):
                continue
            yield _operation(str(path), item, method)

    def parameter_children(self, path: str) -> list[str]:
        """Paths one `/{param}` segment below `path` (its detail siblings), from an index built once."""
        if self._params_under is None:
            self._params_under = {}
            for other in map(str, self.root["paths"]):
                head, _, last = other.rpartition("/")
                if last.startswith("{") and last.endswith("}"):
                    self._params_under.setdefault(head, []).append(other)
        return self._params_under.get(path, [])

    def get_operation(self, path: str) -> Operation | None:
        """The GET operation at exactly `path`, if the document has one."""
        item = self.root["paths"].get(path)
        if not isinstance(item, Mapping) or not isinstance(item.get("get"), Mapping):
            return None
        return _operation(path, item, "get")

    def success_response(self, operation: Operation) -> Mapping[str, Any] | None:
        responses = operation.spec.get("responses")
        if not isinstance(responses, Mapping):
            return None
        for code in ("200", "206", "2XX", "201", "default"):
            response = responses.get(code)
            if isinstance(response, Mapping):
                return response
        return None

    def response_schema(self, response: Mapping[str, Any]) -> Mapping[str, Any] | None:
        """The JSON body schema of a response (Swagger 2: `schema`; OpenAPI 3: a JSON media type's `schema`)."""
        if self.swagger2:
            schema = response.get("schema")
            return schema if isinstance(schema, Mapping) else None
        content = response.get("content")
        if not isinstance(content, Mapping):
            return None
        for media, body in content.items():
            if "json" in str(media) and isinstance(body, Mapping) and isinstance(body.get("schema"), Mapping):
                found: Mapping[str, Any] = body["schema"]
                return found
        return None

    def security_schemes(self) -> Mapping[str, Mapping[str, Any]]:
        if self.swagger2:
            found = self.root.get("securityDefinitions")
        else:
            components = self.root.get("components")
            found = components.get("securitySchemes") if isinstance(components, Mapping) else None
        if not isinstance(found, Mapping):
            return {}
        return {str(k): v for k, v in found.items() if isinstance(v, Mapping)}

    def server_urls(self) -> list[str]:
        """Base URLs: OpenAPI 3 servers (variables filled with their defaults), Swagger 2 schemes + host + basePath."""
        if self.swagger2:
            host = self.root.get("host")
            if not host:
                return []
            base = str(self.root.get("basePath") or "")
            schemes = self.root.get("schemes") or ["https"]
            return [f"{scheme}://{host}{base}" for scheme in schemes]
        urls = []
        for server in _mappings(self.root.get("servers")):
            url = str(server.get("url") or "")
            for name, variable in (server.get("variables") or {}).items():
                if isinstance(variable, Mapping) and "default" in variable:
                    url = url.replace("{" + str(name) + "}", str(variable["default"]))
            urls.append(url)
        return urls


def _operation(path: str, item: Mapping[str, Any], method: str) -> Operation:
    shared = {(p.get("in"), p.get("name")): p for p in _mappings(item.get("parameters"))}
    own = {(p.get("in"), p.get("name")): p for p in _mappings(item[method].get("parameters"))}
    return Operation(path, method, item[method], tuple({**shared, **own}.values()))


def _mappings(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def ref_name(schema: Any) -> str | None:
    """The name a schema was referenced by (`#/components/schemas/NAME`), when it came through a `$ref`."""
    reference = getattr(schema, "__reference__", None)
    if isinstance(schema, jsonref.JsonRef) and isinstance(reference, Mapping):
        target = str(reference.get("$ref", ""))
        return target.rsplit("/", 1)[-1] or None
    return None
