from __future__ import annotations

import pytest

from connector_scaffold.catalog import catalog_entry, catalog_names, generic_entry
from connector_scaffold.spec import SpecError, check_identifier, load_spec


def minimal(**overrides):
    data = {
        "source_name": "acme",
        "base_url": "https://api.acme.io",
        "entities": [{"name": "widget", "list_path": "/w"}],
    }
    data.update(overrides)
    return data


def test_catalog_ships_stripe_and_a_different_pagination_style():
    assert {"stripe", "github"} <= set(catalog_names())
    stripe = load_spec(catalog_entry("stripe"))
    github = load_spec(catalog_entry("github"))
    assert stripe.pagination.style == "cursor"
    assert (stripe.pagination.cursor_param, stripe.pagination.has_more_field) == ("starting_after", "has_more")
    assert stripe.auth.type == "bearer"
    assert [e.name for e in stripe.entities] == [
        "customer",
        "charge",
        "invoice",
        "invoice_line_item",
        "product",
        "subscription",
    ]
    assert [e.name for e in stripe.children_of("invoice")] == ["invoice_line_item"]
    assert stripe.entities[0].timestamp_field == "created"
    assert github.pagination.style == "link_header"
    assert github.pagination.style != stripe.pagination.style


def test_generic_entry_is_a_valid_one_entity_spec():
    spec = load_spec(generic_entry("acme"))
    assert spec.generic
    assert len(spec.entities) == 1


def test_display_name_defaults_from_source_name():
    assert load_spec(minimal(source_name="acme_cloud")).display_name == "Acme Cloud"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "empty"),
        ("a/b", "path separator"),
        ("..", "path separator"),
        ("class", "keyword"),
        ("match", "keyword"),
        ("9lives", "digit"),
        ("my source", "spaces or punctuation"),
        ("my-source", "spaces or punctuation"),
        ("dollar$", "spaces or punctuation"),
    ],
)
def test_bad_identifiers(value, reason):
    with pytest.raises(ValueError, match=reason):
        check_identifier(value, "source name")


def test_identifier_is_lowercased():
    assert check_identifier("Stripe", "source name") == "stripe"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"base_url": "http://api.acme.io"}, "base_url"),
        ({"entities": []}, "entities"),
        ({"entities": [{"name": "w", "list_path": "w"}]}, "entities.0.list_path"),
        ({"entities": [{"name": "for", "list_path": "/w"}]}, "entities.0.name"),
        ({"auth": {"type": "oauth2_client_credentials"}}, "auth"),
        ({"auth": {"type": "magic"}}, "auth.type"),
        ({"pagination": {"style": "cursor", "page_size": 0}}, "pagination.page_size"),
        ({"rate_limit": {"requests_per_second": 0}}, "rate_limit.requests_per_second"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_invalid_spec_names_the_field(overrides, field):
    with pytest.raises(SpecError) as caught:
        load_spec(minimal(**overrides))
    message = str(caught.value)
    assert message.startswith(field)
    assert "\n" not in message


def test_children_must_reference_a_known_earlier_parent():
    with pytest.raises(SpecError, match="parent 'nope' is not an entity"):
        load_spec(minimal(entities=[{"name": "line", "list_path": "/x/{id}/lines", "parent": "nope"}]))
    with pytest.raises(SpecError, match="must be listed before"):
        load_spec(
            minimal(
                entities=[
                    {"name": "line", "list_path": "/x/{id}/lines", "parent": "invoice"},
                    {"name": "invoice", "list_path": "/x"},
                ]
            )
        )
    with pytest.raises(SpecError, match="no parent"):
        load_spec(minimal(entities=[{"name": "line", "list_path": "/x/{id}/lines"}]))


def test_duplicate_entities_are_refused():
    with pytest.raises(SpecError, match="duplicate entity name"):
        load_spec(minimal(entities=[{"name": "w", "list_path": "/w"}, {"name": "w", "list_path": "/v"}]))


def test_answers_round_trip_is_stable():
    spec = load_spec(catalog_entry("stripe"))
    answers = spec.to_answers()
    assert load_spec(answers["spec"]) == spec
    assert answers["source_name"] == "stripe"


SPLIT = {
    "field": "created",
    "param_gte": "created[gte]",
    "param_lt": "created[lt]",
    "start": "2011-01-01T00:00:00Z",
}


def _with_split(split, **entity):
    spec = minimal()
    spec["entities"][0].update(entity, time_split=split)
    return spec


def test_time_split_is_kept_only_when_used():
    plain = load_spec(minimal()).to_answers()["spec"]
    assert all("time_split" not in e for e in plain["entities"]), "answers of apps without it stay as they were"
    split = load_spec(_with_split(SPLIT)).to_answers()["spec"]["entities"][0]["time_split"]
    assert split == {**SPLIT, "format": "unix", "ranges": 0}
    again = load_spec(load_spec(_with_split(SPLIT)).to_answers()["spec"])
    assert again.entities[0].time_split is not None and again.to_answers() == load_spec(_with_split(SPLIT)).to_answers()


def test_only_a_top_level_list_is_split():
    spec = minimal()
    spec["entities"].append({"name": "part", "list_path": "/w/{id}/parts", "parent": "widget", "time_split": SPLIT})
    with pytest.raises(SpecError, match="only a top-level"):
        load_spec(spec)


@pytest.mark.parametrize(
    "split, reason",
    [
        ({**SPLIT, "start": "2011-01-01"}, "no time zone"),
        ({**SPLIT, "start": "yesterday"}, "not an ISO 8601"),
        ({**SPLIT, "start": "1900-01-01T00:00:00Z"}, "before 1970"),
        ({**SPLIT, "param_lt": "created[gte]"}, "must differ"),
        ({**SPLIT, "param_gte": "created\n"}, "control character"),
        ({**SPLIT, "ranges": 1000}, "less than or equal to 64"),
        ({**SPLIT, "ranges": float("nan")}, "ranges"),
        ({**SPLIT, "format": "rfc2822"}, "format"),
        ({key: value for key, value in SPLIT.items() if key != "field"}, "field"),
    ],
)
def test_time_split_is_validated(split, reason):
    with pytest.raises(SpecError, match=reason):
        load_spec(_with_split(split))


def test_entity_params_are_fixed_query_parameters():
    spec = load_spec(minimal(entities=[{"name": "sub", "list_path": "/subs", "params": {"status": "all"}}]))
    assert spec.entities[0].params == {"status": "all"}
    assert load_spec(minimal()).entities[0].params == {}


@pytest.mark.parametrize(
    ("pagination", "auth", "param"),
    [
        ({"style": "cursor"}, {}, "limit"),
        ({"style": "cursor"}, {}, "starting_after"),
        ({"style": "page_number", "page_param": "p"}, {}, "p"),
        ({"style": "offset_limit", "offset_param": "startAt"}, {}, "startAt"),
        ({"style": "link_header", "page_size_param": "per_page"}, {}, "per_page"),
        ({"style": "none"}, {"type": "api_key_query", "query_param": "api_token"}, "api_token"),
    ],
)
def test_entity_params_may_not_set_what_pagination_or_auth_sets(pagination, auth, param):
    data = minimal(pagination=pagination, entities=[{"name": "w", "list_path": "/w", "params": {param: "x"}}])
    if auth:
        data["auth"] = auth
    with pytest.raises(SpecError, match=rf"entities\.w\.params: {param} is set by the pagination or auth already"):
        load_spec(data)


def test_entity_params_refuse_control_characters():
    with pytest.raises(SpecError, match="control character"):
        load_spec(minimal(entities=[{"name": "w", "list_path": "/w", "params": {"state": "all\nX-Injected: 1"}}]))
    with pytest.raises(SpecError, match="query parameter"):
        load_spec(minimal(entities=[{"name": "w", "list_path": "/w", "params": {"": "all"}}]))


def test_next_token_more_field_is_optional_and_checked():
    assert load_spec(minimal()).pagination.next_token_more_field is None
    spec = load_spec(minimal(pagination={"style": "next_token", "next_token_more_field": "meta.has_more"}))
    assert spec.pagination.next_token_more_field == "meta.has_more"
    with pytest.raises(SpecError, match="control character"):
        load_spec(minimal(pagination={"style": "next_token", "next_token_more_field": "meta\nhas_more"}))
