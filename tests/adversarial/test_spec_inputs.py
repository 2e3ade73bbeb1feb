"""Hostile spec values (answers files and options): each is refused with one line, exit 2, and nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.adversarial.harness import REPO, assert_no_injection, assert_refused, leftovers, scaffold, snapshot

BASE = yaml.safe_load((REPO / "fixtures/specs/generic.answers.yml").read_text(encoding="utf-8"))["spec"]
INJECT = 'x" + str(__import__("os").system("touch PWNED")) + "'


def _with(path: str, value: Any) -> dict[str, Any]:
    spec = yaml.safe_load(yaml.safe_dump(BASE))
    *parents, last = path.split(".")
    node = spec
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[last] = value
    return spec


CASES = {
    "source name with a trailing newline": _with("source_name", "acme\n"),
    "entity name with a trailing newline": _with("entities.0.name", "item\n"),
    "entity name injecting code": _with("entities.0.name", INJECT),
    "field name injecting code": _with("entities.0.fields.0.name", INJECT),
    "id field with a newline": _with("entities.0.id_field", "id\nx = 1"),
    "empty id field": _with("entities.0.id_field", ""),
    "timestamp field with CRLF": _with("entities.0.timestamp_field", "updated_at\r\nX-Evil: 1"),
    "entity its own parent": _with("entities.0.parent", "item"),
    "credentials in base_url": _with("base_url", "https://user:secret@api.acme.example.com"),
    "base_url with a newline": _with("base_url", "https://api.acme.example.com\nimport os"),
    "base_url with a bad port": _with("base_url", "https://api.acme.example.com:x/"),
    "http base_url": _with("base_url", "http://api.acme.example.com"),
    "CRLF header name": _with("auth.header_name", "Authorization\r\nX-Evil: 1"),
    "empty header name": _with("auth.header_name", ""),
    "header name with a quote": _with("auth.header_name", 'Auth"orization'),
    "query param with a newline": _with("auth.query_param", "api_key\n"),
    "list path re-rooted at another host": _with("entities.0.list_path", "//evil.example.com/x"),
    "list path escaping with %2e%2e": _with("entities.0.list_path", "/v1/%2e%2e/%2e%2e/admin"),
    "list path escaping with ..": _with("entities.0.list_path", "/v1/../admin"),
    "list path with a newline": _with("entities.0.list_path", "/v1/items\n"),
    "list path with unbalanced braces": _with("entities.0.list_path", "/v1/{items"),
    "detail path without {id}": _with("entities.0.detail_path", "/v1/items/detail"),
    "nan requests per second": _with("rate_limit.requests_per_second", float("nan")),
    "inf requests per second": _with("rate_limit.requests_per_second", float("inf")),
    "display name with a newline": _with("display_name", 'Acme\nimport os; os.system("touch PWNED")'),
    "display name injecting code with quotes": _with("display_name", INJECT),
    "display name closing a docstring": _with("display_name", 'A""" + __import__("os").system("touch PWNED") + """'),
    "description with a control character": _with("description", "ok\x1b[2J"),
    "page size param with a newline": _with("pagination.page_size_param", "per_page\n"),
    "entities not a list": _with("entities", 5),
    "entity without a list path": _with("entities.0.list_path", None),
    "page size not a number": _with("pagination.page_size", "abc"),
    "page size absurd": _with("pagination.page_size", 10**12),
    "start page absurd": _with("pagination.start_page", 10**30),
    "negative concurrency": _with("rate_limit.max_concurrency", -1),
    "time split parameter with a newline": _with(
        "entities.0.time_split",
        {"field": "created", "param_gte": "gte\nx", "param_lt": "lt", "start": "2020-01-01T00:00:00Z"},
    ),
    "time split start not a time": _with(
        "entities.0.time_split",
        {"field": "created", "param_gte": "gte", "param_lt": "lt", "start": "nan"},
    ),
    "time split ranges inf": _with(
        "entities.0.time_split",
        {"field": "c", "param_gte": "gte", "param_lt": "lt", "start": "2020-01-01T00:00:00Z", "ranges": float("inf")},
    ),
}


@pytest.mark.parametrize("spec", list(CASES.values()), ids=list(CASES))
def test_hostile_spec_values_are_refused_before_anything_is_written(tmp_path: Path, spec: dict[str, Any]) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text(yaml.safe_dump(spec), encoding="utf-8")
    before = snapshot(tmp_path)
    outcome = scaffold("new-connector", "acme", "--data-file", str(answers), "--dest", "out", cwd=tmp_path)
    assert_refused(outcome)
    assert snapshot(tmp_path) == before and not (tmp_path / "out").exists()
    assert leftovers(tmp_path) == []


OPTION_CASES = {
    "--entity with a newline": ["--entity", "wid\nget:/v1/widgets"],
    "--entity path re-rooted": ["--entity", "widget://evil.example.com/x"],
    "--base-url with credentials": ["--base-url", "https://u:p@api.acme.example.com"],
    "--display-name injecting code": ["--display-name", 'A"\nimport os\nos.system("touch PWNED")\n"'],
    "--rps nan": ["--rps", "nan"],
    "--rps inf": ["--rps", "inf"],
    "--rps negative": ["--rps", "-1"],
    "--rps absurd": ["--rps", "1e300"],
    "--max-concurrency 0": ["--max-concurrency", "0"],
    "--page-size absurd": ["--page-size", "99999999"],
    "--page-size not a number": ["--page-size", "ten"],
}


@pytest.mark.parametrize("options", list(OPTION_CASES.values()), ids=list(OPTION_CASES))
def test_hostile_options_are_refused(tmp_path: Path, options: list[str]) -> None:
    outcome = scaffold("new-connector", "acme", "--defaults", "--dest", "out", *options, cwd=tmp_path)
    assert_refused(outcome)
    assert not (tmp_path / "out").exists()
    assert_no_injection(tmp_path)
