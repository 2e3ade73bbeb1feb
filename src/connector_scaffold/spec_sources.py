"""Build a ConnectorSpec from its sources: catalog entry, OpenAPI document, answers file, then command-line options.

Later sources override earlier ones key by key, so `--base-url` beats the answers file, which beats the OpenAPI
document, which beats the catalog. The document sits above the catalog because the user named it for this run, and
below the answers file because that is where the user corrects what the import inferred.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from connector_scaffold.catalog import catalog_entry, catalog_names, generic_entry
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.spec import ConnectorSpec, check_identifier, load_spec


@dataclass(frozen=True)
class SpecOptions:
    """Spec values given as command-line options; None means 'not given'."""

    entities: tuple[str, ...] = ()
    auth: str | None = None
    base_url: str | None = None
    pagination: str | None = None
    page_size: int | None = None
    display_name: str | None = None
    requests_per_second: float | None = None
    max_concurrency: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # `--openapi FILE`: the spec's entities come from the document; `entities` then select among them by name or path.
    openapi: Path | None = None

    def overrides(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.base_url is not None:
            data["base_url"] = self.base_url
        if self.display_name is not None:
            data["display_name"] = self.display_name
        if self.auth is not None:
            data["auth"] = {"type": self.auth}
        pagination = {"style": self.pagination, "page_size": self.page_size}
        if any(v is not None for v in pagination.values()):
            data["pagination"] = {k: v for k, v in pagination.items() if v is not None}
        rate = {"requests_per_second": self.requests_per_second, "max_concurrency": self.max_concurrency}
        if any(v is not None for v in rate.values()):
            data["rate_limit"] = {k: v for k, v in rate.items() if v is not None}
        if self.entities and self.openapi is None:
            data["entities"] = [parse_entity_option(text) for text in self.entities]
        return data


@dataclass(frozen=True)
class ResolvedSpec:
    spec: ConnectorSpec
    origin: str  # "catalog", "openapi", "answers file", "options" or "generic"
    notes: tuple[str, ...] = ()  # what the OpenAPI import inferred, one line each, for the command to print


def parse_entity_option(text: str) -> dict[str, Any]:
    """`--entity NAME[:LIST_PATH]`, e.g. `customer:/v1/customers`; the path defaults to `/NAMEs`."""
    name, _, path = text.partition(":")
    try:
        name = check_identifier(name.strip(), "--entity name")
    except ValueError as error:
        raise ScaffoldError(str(error)) from None
    return {"name": name, "list_path": path.strip() or f"/{name}s"}


def read_answers_file(path: Path) -> dict[str, Any]:
    """Read an answers file: either plain spec fields or a `.copier-answers.yml` with a `spec` key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScaffoldError(f"answers file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScaffoldError(f"answers file {path} cannot be read: {error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ScaffoldError(f"answers file {path}{where} is not valid YAML") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ScaffoldError(f"answers file {path} must be a mapping of fields")
    if isinstance(data.get("spec"), dict):
        data = data["spec"]
    return {k: v for k, v in data.items() if not str(k).startswith("_")}


def resolve_spec(
    name: str, answers_file: Path | None = None, options: SpecOptions | None = None, *, strict: bool = False
) -> ResolvedSpec:
    try:
        source_name = check_identifier(name, "source name")
    except ValueError as error:
        raise ScaffoldError(str(error)) from None
    options = options or SpecOptions()
    from_file = read_answers_file(answers_file) if answers_file else {}
    named = from_file.get("source_name")
    if named is not None and str(named).lower() != source_name:
        raise ScaffoldError(f"source_name: the answers file says {named!r} but the command names {source_name!r}")
    overrides = options.overrides()

    base = catalog_entry(source_name)
    origin = "catalog"
    notes: tuple[str, ...] = ()
    if options.openapi is not None:
        from connector_scaffold.openapi import import_openapi

        imported = import_openapi(options.openapi, source_name, options.entities)
        notes = tuple(f"openapi: {inference.line()}" for inference in imported.inferences)
        base = _merge(base or {}, imported.data)
        origin = "openapi"
    if base is None:
        if strict:
            known = ", ".join(catalog_names())
            raise ScaffoldError(f"{source_name!r} is not in the catalog (known: {known}); drop --strict for a skeleton")
        has_entities = "entities" in from_file or "entities" in overrides
        base = {"source_name": source_name} if has_entities else generic_entry(source_name)
        origin = "generic" if not has_entities else ("options" if "entities" in overrides else "answers file")
        if "base_url" not in from_file and "base_url" not in overrides and has_entities:
            base["base_url"] = generic_entry(source_name)["base_url"]
    merged = _merge(_merge(base, from_file), overrides)
    merged["source_name"] = source_name
    if origin != "generic":
        merged["generic"] = False
    spec = load_spec(merged)
    if answers_file and origin in ("catalog", "openapi"):
        origin = f"{origin} + answers file"
    return ResolvedSpec(spec, origin, notes)


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """Key-by-key merge; nested mappings merge, everything else (lists included) is replaced."""
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged
