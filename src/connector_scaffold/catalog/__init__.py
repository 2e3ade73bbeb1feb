"""Built-in catalog of well-known sources, one YAML file per source."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml


def catalog_names() -> list[str]:
    """Names of every catalog entry, sorted."""
    folder = resources.files(__name__)
    return sorted(p.name.removesuffix(".yml") for p in folder.iterdir() if p.name.endswith(".yml"))


def catalog_file(name: str) -> dict[str, Any] | None:
    """A catalog file as written: the spec plus the `facts` (the source's and each entity's) it was checked
    against; None when the catalog has no such source."""
    path = resources.files(__name__).joinpath(f"{name}.yml")
    if not path.is_file():
        return None
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def catalog_entry(name: str) -> dict[str, Any] | None:
    """The raw spec data of a catalog entry (its facts left out), or None when the catalog has no such source."""
    data = catalog_file(name)
    if data is None:
        return None
    spec = {key: value for key, value in data.items() if key != "facts"}
    spec["entities"] = [
        {key: value for key, value in entity.items() if key != "facts"} for entity in data.get("entities", [])
    ]
    return spec


def generic_entry(name: str) -> dict[str, Any]:
    """A working skeleton for a source the catalog does not know: one example entity."""
    return {
        "source_name": name,
        "description": f"Generic REST skeleton for {name}: replace the example entity with the real ones.",
        "base_url": f"https://api.{name}.example.com",
        "auth": {"type": "bearer"},
        "pagination": {"style": "page_number", "page_size": 100, "page_size_param": "per_page", "page_param": "page"},
        "rate_limit": {"requests_per_second": 5, "max_concurrency": 2},
        "entities": [
            {
                "name": "item",
                "list_path": "/v1/items",
                "records_path": "items",
                "id_field": "id",
                "timestamp_field": "updated_at",
                "fields": [
                    {"name": "id", "type": "string"},
                    {"name": "name", "type": "string"},
                    {"name": "updated_at", "type": "datetime"},
                ],
            }
        ],
        "generic": True,
    }
