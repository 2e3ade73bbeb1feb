from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from connector_scaffold.errors import ScaffoldError
from connector_scaffold.spec_sources import SpecOptions, resolve_spec


def write(path: Path, data) -> Path:
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return path


def test_catalog_entry_is_the_base():
    resolved = resolve_spec("stripe")
    assert resolved.origin == "catalog"
    assert not resolved.spec.generic
    assert resolved.spec.base_url == "https://api.stripe.com"


def test_options_override_the_answers_file_which_overrides_the_catalog(tmp_path):
    answers = write(tmp_path / "a.yml", {"base_url": "https://file.example.com", "rate_limit": {"max_concurrency": 9}})
    resolved = resolve_spec(
        "stripe", answers, SpecOptions(base_url="https://option.example.com", requests_per_second=3)
    )
    spec = resolved.spec
    assert spec.base_url == "https://option.example.com"
    assert spec.rate_limit.max_concurrency == 9
    assert spec.rate_limit.requests_per_second == 3
    assert spec.pagination.style == "cursor"  # untouched catalog value


def test_copier_answers_file_is_accepted(tmp_path):
    answers = write(
        tmp_path / ".copier-answers.yml", {"_src_path": "x", "source_name": "stripe", "spec": {"description": "d"}}
    )
    assert resolve_spec("stripe", answers).spec.description == "d"


def test_unknown_name_gives_generic_skeleton_unless_strict():
    resolved = resolve_spec("acme")
    assert resolved.origin == "generic"
    assert resolved.spec.generic
    with pytest.raises(ScaffoldError, match="not in the catalog"):
        resolve_spec("acme", strict=True)


def test_unknown_name_with_entities_is_not_generic():
    resolved = resolve_spec("acme", options=SpecOptions(entities=("widget:/v2/widgets", "gadget")))
    assert not resolved.spec.generic
    assert [(e.name, e.list_path) for e in resolved.spec.entities] == [
        ("widget", "/v2/widgets"),
        ("gadget", "/gadgets"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("entities: [{name: '', list_path: /x}]", "entities.0.name"),
        ("base_url: ftp://x", "base_url"),
        ("pagination: {style: sideways}", "pagination.style"),
        ("- just\n- a list\n", "must be a mapping"),
        ("key: [unclosed", "not valid YAML"),
        ("source_name: other", "source_name"),
    ],
)
def test_bad_answers_file_names_the_problem(tmp_path, content, message):
    answers = write(tmp_path / "bad.yml", content)
    with pytest.raises(ScaffoldError, match=message):
        resolve_spec("acme", answers)


def test_missing_answers_file(tmp_path):
    with pytest.raises(ScaffoldError, match="does not exist"):
        resolve_spec("stripe", tmp_path / "nope.yml")


def test_bad_entity_option():
    with pytest.raises(ScaffoldError, match="--entity name"):
        resolve_spec("acme", options=SpecOptions(entities=("bad name",)))
