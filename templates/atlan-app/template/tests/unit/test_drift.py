"""Schema drift: new, missing and re-typed fields against a previous schema."""

from __future__ import annotations

from pathlib import Path

import orjson

from app.drift import SchemaObserver, compare, fingerprint, is_schema
from app.output import DRIFT_FILE, write_drift_report

PREVIOUS = {
    "order": {
        "amount": ["integer"],
        "id": ["string"],
        "note": ["null", "string"],
        "status": ["string"],
    },
}


def observed(*records: dict[str, object]) -> dict[str, dict[str, list[str]]]:
    observer = SchemaObserver()
    for record in records:
        observer.observe("order", record)
    return observer.schema()


def test_new_missing_and_retyped_fields_are_reported() -> None:
    current = observed({"id": "o1", "amount": "12.50", "note": None, "currency": "usd"})
    [(entity, drift)] = compare(PREVIOUS, current).items()
    assert entity == "order"
    assert drift.new_fields == ["currency"]
    assert drift.missing_fields == ["status"]
    assert drift.retyped_fields == [{"field": "amount", "previous": ["integer"], "current": ["string"]}]


def test_a_field_that_is_only_null_is_not_retyped() -> None:
    current = observed({"id": "o1", "amount": 5, "note": None, "status": "paid"})
    assert compare(PREVIOUS, current) == {}


def test_the_same_schema_has_no_drift_and_the_same_fingerprint() -> None:
    current = observed(
        {"id": "o1", "amount": 5, "note": "x", "status": "paid"},
        {"status": "open", "note": None, "amount": 7, "id": "o2"},
    )
    assert compare(PREVIOUS, current) == {}
    assert fingerprint(current) == fingerprint(PREVIOUS)


def test_the_drift_file_lists_every_change(tmp_path: Path) -> None:
    current = observed({"id": "o1", "amount": 5, "note": None, "status": "paid", "tax": 1})
    summary, _ = write_drift_report(tmp_path, "previous-run", PREVIOUS, current)
    assert summary.drift_detected
    assert summary.new_fields == 1
    report = orjson.loads((tmp_path / DRIFT_FILE).read_bytes())
    assert report["baseline"] == "previous-run"
    assert report["entities"]["order"]["new_fields"] == ["tax"]


def test_no_baseline_means_no_drift(tmp_path: Path) -> None:
    summary, changes = write_drift_report(tmp_path, "none", None, observed({"id": "o1"}))
    assert not summary.drift_detected
    assert changes == {}


def test_a_stored_baseline_is_checked_before_use() -> None:
    assert is_schema(PREVIOUS)
    assert not is_schema({"order": ["id"]})
    assert not is_schema("garbage")
