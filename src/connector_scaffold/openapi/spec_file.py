"""The spec file `scaffold spec from-openapi` writes: the imported data as YAML, for the user to edit and feed back
with `--data-file`; the inferences worth a second look ride along as comments at the top."""

from __future__ import annotations

from typing import Any

import yaml

from connector_scaffold.openapi import OpenAPIImport
from connector_scaffold.openapi.inference import HIGH

# No rate limit is ever in an OpenAPI document; the file carries the spec's defaults so the user sees what to set.
DEFAULT_RATE_LIMIT = {"requests_per_second": 5.0, "max_concurrency": 4}


def spec_file_text(imported: OpenAPIImport, source: str) -> str:
    data: dict[str, Any] = dict(imported.data)
    data["rate_limit"] = dict(DEFAULT_RATE_LIMIT)
    ordered = {k: data[k] for k in ("source_name", "display_name", "description", "base_url", "auth", "pagination")}
    ordered["rate_limit"] = data["rate_limit"]
    ordered["entities"] = data["entities"]
    review = [i for i in imported.inferences if i.confidence != HIGH and i.value != "skipped"]
    header = [
        f"# ConnectorSpec imported from {source} ({imported.title!r}, OpenAPI {imported.version}).",
        f"# Edit it, then: scaffold new-connector {data['source_name']} --data-file THIS_FILE",
        "# rate_limit: not in the document; these are defaults, set the API's documented limits.",
    ]
    if review:
        header.append("# Check these inferences (medium or low confidence):")
        header.extend(f"#   {i.line()}" for i in review)
    body = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=120)
    return "\n".join(header) + "\n" + body
