"""Pagination from a list operation's query parameters, response fields and response headers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from connector_scaffold.openapi import schema as js
from connector_scaffold.openapi.document import Document, Operation
from connector_scaffold.openapi.inference import HIGH, LOW, MEDIUM, Inference

_SIZE_PARAMS = ("limit", "per_page", "page_size", "pagesize", "perpage", "size", "count", "max_results", "top", "max")
_CURSOR_PARAMS = ("starting_after", "after", "since_id", "after_id", "from_id", "last_id", "starting_after_id")
_HAS_MORE = ("has_more", "hasmore", "has_next", "hasnext", "has_next_page", "hasnextpage", "more")
_TOKEN_PARAMS = ("page_token", "pagetoken", "next_token", "nexttoken", "cursor", "continuation", "continuation_token")
_TOKEN_FIELDS = (
    "next_token", "nexttoken", "next_cursor", "nextcursor", "next_page_token", "nextpagetoken", "cursor",
    "continuation_token", "continuationtoken",
)  # fmt: skip
_TOKEN_CONTAINERS = ("meta", "pagination", "paging", "response_metadata", "page_info", "pageinfo", "links")
_OFFSET_PARAMS = ("offset", "skip", "start", "start_index", "startindex")
_PAGE_PARAMS = ("page", "page_number", "pagenumber", "page_index", "pageindex", "p")
_MAX_IN_TEXT = re.compile(r"\bmax(?:imum)?\b\D{0,12}(\d+)", re.IGNORECASE)


def _key(name: str) -> str:
    return name.lower().replace("-", "_")


@dataclass(frozen=True)
class Paging:
    """One list operation's paging: the spec's pagination fields and why."""

    style: str
    params: tuple[tuple[str, Any], ...]
    evidence: str
    confidence: str


def _query_params(operation: Operation) -> dict[str, Mapping[str, Any]]:
    return {str(p.get("name")): p for p in operation.parameters if p.get("in") == "query" and p.get("name")}


def _param_schema(param: Mapping[str, Any]) -> Mapping[str, Any]:
    schema = param.get("schema")
    return schema if isinstance(schema, Mapping) else param  # Swagger 2 puts type/maximum on the parameter


def _find(names: Mapping[str, Any], wanted: tuple[str, ...]) -> str | None:
    by_key = {_key(n): n for n in names}
    return next((by_key[w] for w in wanted if w in by_key), None)


def _page_size(params: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, Any]]:
    name = _find(params, _SIZE_PARAMS)
    if name is None:
        return []
    schema = _param_schema(params[name])
    size = schema.get("maximum")
    if not isinstance(size, int):
        text = _MAX_IN_TEXT.search(js.description(params[name]) or js.description(schema))
        size = int(text.group(1)) if text else schema.get("default")
    size = size if isinstance(size, int) and 1 <= size <= 10_000 else 100
    return [("page_size", size), ("page_size_param", name)]


def _token_field(body: Mapping[str, Mapping[str, Any]]) -> str | None:
    direct = _find(body, _TOKEN_FIELDS)
    if direct is not None:
        return direct
    for container in sorted(body):
        if _key(container) in _TOKEN_CONTAINERS:
            inner = _find(js.properties(body[container]), (*_TOKEN_FIELDS, "next"))
            if inner is not None:
                return f"{container}.{inner}"
    return None


def _has_link_header(doc: Document, operation: Operation) -> bool:
    response = doc.success_response(operation)
    headers = response.get("headers") if response else None
    return isinstance(headers, Mapping) and any(str(h).lower() == "link" for h in headers)


def infer_paging(doc: Document, operation: Operation, body: Mapping[str, Mapping[str, Any]]) -> Paging:
    """`body`: the top-level properties of the list response (empty for a bare array)."""
    params = _query_params(operation)
    size = _page_size(params)
    has_more = _find(body, _HAS_MORE)
    cursor = _find(params, _CURSOR_PARAMS)
    if has_more and cursor:
        evidence = f"query parameter {cursor!r} and response field {has_more!r}"
        return Paging("cursor", (("cursor_param", cursor), ("has_more_field", has_more), *size), evidence, HIGH)
    token_field = _token_field(body)
    # The token goes back under its own name (nextPageToken) or a conventional one (cursor, page_token).
    own_name = _key(token_field.rsplit(".", 1)[-1]) if token_field else ""
    token_param = _find(params, (own_name, *_TOKEN_PARAMS, *_CURSOR_PARAMS)) if token_field else None
    if token_field and token_param:
        evidence = f"response field {token_field!r} sent back as query parameter {token_param!r}"
        fields = (("next_token_field", token_field), ("cursor_param", token_param), *size)
        return Paging("next_token", fields, evidence, HIGH)
    if _has_link_header(doc, operation):
        return Paging("link_header", tuple(size), "the response declares a Link header", HIGH)
    offset = _find(params, _OFFSET_PARAMS)
    if offset:
        confidence = HIGH if size else MEDIUM
        return Paging("offset_limit", (("offset_param", offset), *size), f"query parameter {offset!r}", confidence)
    page = _find(params, _PAGE_PARAMS)
    if page:
        schema = _param_schema(params[page])
        start = schema.get("minimum", schema.get("default", 1))
        start = start if start in (0, 1) else 1
        evidence = f"query parameter {page!r} (first page {start})"
        return Paging("page_number", (("page_param", page), ("start_page", start), *size), evidence, MEDIUM)
    if token_field:
        evidence = f"response field {token_field!r} but no query parameter to send it back"
        return Paging("none", tuple(size), evidence, LOW)
    return Paging("none", tuple(size), "no paging parameters or fields", MEDIUM)


def choose_pagination(pagings: dict[str, Paging]) -> tuple[dict[str, Any], list[Inference]]:
    """The spec has one pagination for every entity: the most common among the entities, and who disagrees."""
    if not pagings:
        return {"style": "none"}, [Inference("pagination", "none", "no list endpoints", LOW)]
    counts = Counter((p.style, p.params) for p in pagings.values())
    (style, params), votes = max(counts.items(), key=lambda item: (item[1], -_ORDER.index(item[0][0])))
    by_style = Counter(p.style for p in pagings.values())
    total = len(pagings)
    winners = [name for name, p in pagings.items() if p.style == style]
    sample = pagings[winners[0]]
    evidence = f"{by_style[style]} of {total} list endpoints: {sample.evidence}"
    if votes != by_style[style]:
        evidence += f" ({votes} with exactly these parameters)"
    # Unanimous: as sure as one endpoint's evidence; a majority is medium, less is low.
    majority = MEDIUM if by_style[style] * 2 > total else LOW
    confidence = sample.confidence if by_style[style] == total else majority
    data: dict[str, Any] = {"style": style, **dict(params)}
    value = style + "".join(f", {k}={v}" for k, v in params)
    notes = [Inference("pagination", value, evidence, confidence)]
    for name, paging in sorted(pagings.items()):
        if paging.style != style:
            notes.append(Inference(f"{name}.pagination", f"{paging.style} (differs)", paging.evidence, LOW))
    return data, notes


_ORDER = ("cursor", "next_token", "link_header", "offset_limit", "page_number", "none")
