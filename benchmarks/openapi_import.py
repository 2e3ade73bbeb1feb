"""`scaffold spec from-openapi` on real public OpenAPI documents: time, entities found, and, for a source the catalog
also has (Stripe, GitHub), the inferred spec against the catalog's hand-checked one, field by field.

Not a test; it takes local paths (a clone of stripe/openapi, github/rest-api-description or octokit/openapi, or the
documents a package bundles, e.g. temporalio's api_upstream/openapi):

    python benchmarks/openapi_import.py stripe=openapi/spec3.yaml github=api.github.com.json temporal=openapiv3.yaml

`NAME=PATH` imports PATH as source NAME; a NAME in the catalog gets the comparison.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from connector_scaffold.catalog import catalog_entry
from connector_scaffold.openapi import import_openapi
from connector_scaffold.spec import load_spec

TOP = (("base_url",), ("auth", "type"), ("pagination", "style"), ("pagination", "page_size"),
       ("pagination", "page_size_param"), ("pagination", "cursor_param"), ("pagination", "has_more_field"))  # fmt: skip
ENTITY_KEYS = ("name", "records_path", "id_field", "timestamp_field", "parent", "detail_path")


def _get(data: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None  # type: ignore[assignment]
    return data


def _normal(path: str) -> str:
    """Placeholders differ in name only (`{id}` vs `{invoice}`): compare the shape."""
    return "/".join("{}" if part.startswith("{") else part for part in path.split("/"))


def compare(catalog: dict[str, Any], inferred: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows = []
    for keys in TOP:
        want, got = _get(catalog, keys), _get(inferred, keys)
        rows.append((".".join(keys), str(want), str(got), "same" if want == got else "DIFFERS"))
    by_path = {_normal(e["list_path"]): e for e in inferred["entities"]}
    for entity in catalog["entities"]:
        found = by_path.get(_normal(entity["list_path"]))
        label = entity["name"]
        if found is None:
            rows.append((f"{label}", entity["list_path"], "not found", "MISSING"))
            continue
        rows.append(
            (
                f"{label}.list_path",
                entity["list_path"],
                found["list_path"],
                "same" if entity["list_path"] == found["list_path"] else "DIFFERS",
            )
        )
        parents = {e["name"]: e["list_path"] for e in catalog["entities"]}
        inferred_parents = {e["name"]: e["list_path"] for e in inferred["entities"]}
        for key in ENTITY_KEYS:
            want, got = entity.get(key, "" if key == "records_path" else None), found.get(key)
            if key == "parent":  # names differ between the two; compare what the parent lists
                want, got = parents.get(want) if want else None, inferred_parents.get(got) if got else None
            if key == "id_field" and want is None:
                want = "id"
            rows.append((f"{label}.{key}", str(want), str(got), "same" if want == got else "DIFFERS"))
        types = {f["name"]: f["type"] for f in found["fields"]}
        agree = [f["name"] for f in entity["fields"] if types.get(f["name"]) == f["type"]]
        missing = [f["name"] for f in entity["fields"] if f["name"] not in types]
        retyped = [f"{f['name']}:{f['type']}->{types[f['name']]}" for f in entity["fields"]
                   if f["name"] in types and types[f["name"]] != f["type"]]  # fmt: skip
        verdict = "same" if not missing and not retyped else "DIFFERS"
        detail = f"{len(agree)}/{len(entity['fields'])} same type; inferred has {len(types)}"
        if missing:
            detail += f"; missing {', '.join(missing)}"
        if retyped:
            detail += f"; retyped {', '.join(retyped)}"
        rows.append((f"{label}.fields", f"{len(entity['fields'])} listed", detail, verdict))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("documents", nargs="+", metavar="NAME=PATH")
    args = parser.parse_args()
    columns = ("size", 8), ("paths", 6), ("lists", 6), ("seconds", 8), ("collections", 11), ("entities", 8)
    print(f"{'document':<12} " + " ".join(f"{title:>{width}}" for title, width in columns) + "  pagination / auth")
    comparisons = []
    for item in args.documents:
        name, _, raw = item.partition("=")
        path = Path(raw)
        started = time.perf_counter()
        imported = import_openapi(path, name)
        load_spec(imported.data)
        seconds = time.perf_counter() - started
        lists = sum(1 for i in imported.inferences if i.value == "skipped") + imported.entities_found
        style = imported.data["pagination"]["style"]
        size = f"{path.stat().st_size / 1e6:.1f}MB"
        print(f"{name:<12} {size:>8} {imported.paths:>6} {lists:>6} {seconds:>8.2f} {imported.entities_found:>11} "
              f"{len(imported.data['entities']):>8}  {style} / {imported.data['auth']['type']}")  # fmt: skip
        catalog = catalog_entry(name)
        if catalog is not None:
            comparisons.append((name, compare(catalog, imported.data)))
    print("(lists: collection GET endpoints seen, kept or skipped; collections: the entities the importer could build)")
    for name, rows in comparisons:
        same = sum(1 for row in rows if row[3] == "same")
        print(f"\n{name}: inferred vs catalog, {same}/{len(rows)} the same")
        print(f"  {'field':<34} {'catalog':<28} {'inferred':<44} verdict")
        for field, want, got, verdict in rows:
            print(f"  {field:<34} {want[:28]:<28} {got[:44]:<44} {verdict}")


if __name__ == "__main__":
    main()
