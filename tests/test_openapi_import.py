"""The OpenAPI importer on small documents, one per pagination and auth style (fixtures/openapi/)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from connector_scaffold.errors import ScaffoldError
from connector_scaffold.openapi import OpenAPIError, import_openapi
from connector_scaffold.spec import load_spec

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "openapi"


def _imported(name: str, *select: str):
    return import_openapi(FIXTURES / name, None, select)


def _by_name(data):
    return {e["name"]: e for e in data["entities"]}


def _inference(imported, subject):
    return next(i for i in imported.inferences if i.subject == subject)


@pytest.mark.parametrize(
    ("fixture", "auth", "pagination"),
    [
        ("cursor_bearer.yaml", {"type": "bearer"}, {"style": "cursor", "cursor_param": "starting_after",
                                                    "has_more_field": "has_more", "page_size": 100,
                                                    "page_size_param": "limit"}),
        ("next_token_api_key_header.yaml", {"type": "api_key_header", "header_name": "X-Notely-Key"},
         {"style": "next_token", "next_token_field": "response_metadata.next_cursor", "cursor_param": "cursor",
          "page_size": 50, "page_size_param": "page_size"}),
        ("link_header_oauth2.json", {"type": "oauth2_client_credentials", "token_url": "https://forge.example.com/token",
                                     "scopes": ["read:org", "repo"]},
         {"style": "link_header", "page_size": 100, "page_size_param": "per_page"}),
        ("page_number_basic.yaml", {"type": "basic"},
         {"style": "page_number", "page_param": "page", "start_page": 1, "page_size": 100,
          "page_size_param": "per_page"}),
        ("offset_api_key_query.yaml", {"type": "api_key_query", "query_param": "api_key"},
         {"style": "offset_limit", "offset_param": "offset", "page_size": 500, "page_size_param": "limit"}),
        ("none_openid.yaml", {"type": "bearer"}, {"style": "none"}),
    ],
)  # fmt: skip
def test_auth_and_pagination_per_style(fixture, auth, pagination):
    imported = _imported(fixture)
    assert imported.data["auth"] == auth
    assert imported.data["pagination"] == pagination
    spec = load_spec(imported.data)  # every import is a valid spec as it stands
    assert spec.pagination.style == pagination["style"]
    for subject in ("auth", "pagination", "base_url"):
        inference = _inference(imported, subject)
        assert inference.evidence and inference.confidence in ("high", "medium", "low")


def test_cursor_document_entities_parents_and_skips():
    imported = _imported("cursor_bearer.yaml")
    entities = _by_name(imported.data)
    assert list(entities) == ["customer", "invoice", "product", "invoice_line"]  # parents before children
    assert entities["invoice_line"]["parent"] == "invoice"
    assert entities["invoice_line"]["list_path"] == "/v1/invoices/{id}/lines"
    assert entities["customer"]["records_path"] == "data"
    assert entities["customer"]["fields"] == [
        {"name": "id", "type": "string"},
        {"name": "email", "type": "string"},
        {"name": "created", "type": "integer"},
        {"name": "default_source", "type": "string"},
    ]
    # An update time beats a creation time; a creation time is used, and said to miss edits.
    assert entities["product"]["timestamp_field"] == "updated"
    assert entities["customer"]["timestamp_field"] == "created"
    assert "not edited" in _inference(imported, "customer.timestamp_field").evidence
    assert "timestamp_field" not in entities["invoice_line"]
    # The detail endpoint returns what the list does: no detail step.
    assert "detail_path" not in entities["customer"]
    assert _inference(imported, "customer.detail_path").value == "none"
    skipped = _inference(imported, "/v1/customers/search")
    assert skipped.value == "skipped" and "query" in skipped.evidence
    assert imported.data["base_url"] == "https://api.payco.example.com"
    assert "basicAuth" in _inference(imported, "auth").evidence  # the alternative is named, not dropped


def test_next_token_document_detail_step_and_id_field():
    imported = _imported("next_token_api_key_header.yaml")
    note = _by_name(imported.data)["note"]
    assert note["detail_path"] == "/notes/{id}"
    assert note["id_field"] == "note_id"
    assert note["timestamp_field"] == "last_edited_time"
    assert {"name": "title", "type": "string"} in note["fields"]  # OpenAPI 3.1 type lists
    assert imported.data["base_url"] == "https://eu.notely.example.com/api"  # server variables filled


def test_link_header_document_joins_owner_repo_as_full_name():
    imported = _imported("link_header_oauth2.json")
    entities = _by_name(imported.data)
    assert list(entities) == ["repo", "repo_issue"]  # `/user` is a record with a list field, not a list
    issue = entities["repo_issue"]
    assert issue["list_path"] == "/repos/{full_name}/issues"
    assert issue["parent"] == "repo"
    assert _inference(imported, "repo_issue.parent").confidence == "low"
    assert "+1" in _inference(imported, "repo_issue.fields").value
    assert _inference(imported, "/repos/{owner}/{repo}/stargazers/{user}/events").value == "skipped"


def test_swagger2_and_local_file_refs():
    ticket = _by_name(_imported("page_number_basic.yaml").data)["ticket"]
    assert ticket["records_path"] == "tickets"
    assert ticket["timestamp_field"] == "updated_at"
    imported = _imported("offset_api_key_query.yaml")
    event = _by_name(imported.data)["event"]
    assert event["fields"][0] == {"name": "event_id", "type": "string"}  # from schemas/event.yaml
    assert event["timestamp_field"] == "modified_at"
    assert imported.data["base_url"] == "https://api.eventful.example.com/v1"  # the http server is passed over


def test_no_https_server_gives_a_placeholder_with_low_confidence():
    imported = import_openapi(FIXTURES / "none_openid.yaml", "tiny_app")
    assert imported.data["source_name"] == "tiny_app"
    assert imported.data["base_url"] == "https://api.tiny_app.example.com"
    assert _inference(imported, "base_url").confidence == "low"


def test_entity_selection_brings_the_parent_along():
    imported = _imported("cursor_bearer.yaml", "invoice_line")
    assert [e["name"] for e in imported.data["entities"]] == ["invoice", "invoice_line"]
    assert _imported("cursor_bearer.yaml", "/v1/products").data["entities"][0]["name"] == "product"
    with pytest.raises(ScaffoldError, match="not a collection"):
        _imported("cursor_bearer.yaml", "refund")


def test_same_document_same_data():
    assert _imported("link_header_oauth2.json") == _imported("link_header_oauth2.json")


def test_bad_documents_are_one_line_errors(tmp_path):
    cases = {
        "missing.yaml": None,
        "list.yaml": "- 1\n",
        "nopaths.yaml": "openapi: 3.0.0\ninfo: {title: x}\n",
        "version.yaml": "openapi: 9\npaths: {}\n",
        "broken.json": '{"openapi": ',
    }
    for name, text in cases.items():
        if text is not None:
            (tmp_path / name).write_text(text)
        with pytest.raises(OpenAPIError) as raised:
            import_openapi(tmp_path / name)
        assert "\n" not in str(raised.value), name


def test_remote_refs_are_refused_not_fetched(tmp_path):
    document = tmp_path / "remote.yaml"
    document.write_text(
        "openapi: 3.0.0\ninfo: {title: R, version: '1'}\npaths:\n  /things:\n    get:\n      responses:\n"
        "        '200': {description: ok, content: {application/json: {schema: "
        "{type: array, items: {$ref: 'https://schemas.example.com/thing.json'}}}}}\n"
    )
    with pytest.raises(ScaffoldError, match="no network"):
        import_openapi(document)


def test_thousands_of_paths_import_in_seconds(tmp_path):
    listing = {"type": "array", "items": {"$ref": "#/components/schemas/item"}}
    get = {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": listing}}}}}
    paged = {**get, "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}]}
    paths = {}
    for i in range(2000):
        paths[f"/r{i}/items"] = {"get": paged}
        paths[f"/r{i}/items/{{item}}"] = {"get": get}
        paths[f"/r{i}/items/{{item}}/parts"] = {"get": get}
    item = {"type": "object", "properties": {"id": {"type": "string"}, "updated_at": {"type": "string"}}}
    document = tmp_path / "huge.json"
    document.write_text(
        json.dumps(
            {
                "openapi": "3.0.0",
                "info": {"title": "Huge", "version": "1"},
                "servers": [{"url": "https://h.example.com"}],
                "components": {"schemas": {"item": item}},
                "paths": paths,
            }
        )
    )
    started = time.perf_counter()
    imported = import_openapi(document)
    # About a second on one idle core; the bound is generous for a loaded CI machine, and catches quadratic walks.
    assert time.perf_counter() - started < 20
    assert len(imported.data["entities"]) == 4000
