"""The stand-in harness (fixtures/lakeflow-checkout/tests/unit/sources/test_suite.py): its nine checks catch what
they exist for, and the offset-advance check that every generated test module adds catches the case the upstream
harness misses (a non-empty batch that does not move the offset, which Spark 4.2 rejects)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.lakeflow_helpers import PACKAGE, checkout_imports, load_module, new_checkout, scaffold

STRIPE = f"{PACKAGE}/sources/stripe/stripe.py"
TEST_MODULE = "tests/unit/sources/stripe/test_stripe_lakeflow_connect.py"
HARNESS_CHECKS = [
    "test_partition_requires_lakeflow_connect",
    "test_list_tables",
    "test_invalid_table_name",
    "test_get_table_schema",
    "test_read_table_metadata",
    "test_read_table",
    "test_read_table_deletes",
    "test_read_terminates",
    "test_every_column_populated_by_at_least_one_record",
]
ADVANCE = "test_non_empty_batch_advances_offset"

# Each mutation breaks the generated stripe connector in one way: (the code it replaces, the replacement).
MUTATIONS = {
    "unknown tables do not raise": (
        """        raise ValueError(f"unknown table {table_name!r}; known tables: {', '.join(TABLE_SCHEMAS)}")""",
        """        return "customers\"""",
    ),
    "an invalid ingestion type": ('"ingestion_type": "cdc"', '"ingestion_type": "stream"'),
    "the offset never settles": (
        "                return iter(()), offset\n",
        '                return iter(()), {**offset, "n": offset.get("n", 0) + 1}\n',
    ),
    "a column is never populated": (
        "        row[field.name] = value",
        '        row[field.name] = None if field.name == "email" else value',
    ),
    # Zendesk's failure: records come back, but the offset stays where it was.
    "a non-empty batch keeps its start offset": (
        "            return iter(rows), end\n",
        "            return iter(rows), offset\n",
    ),
}
EXPECTED_FAILURES = {
    "unknown tables do not raise": {"test_invalid_table_name"},
    "an invalid ingestion type": {"test_read_table_metadata"},
    "the offset never settles": {"test_read_terminates"},
    "a column is never populated": {"test_every_column_populated_by_at_least_one_record"},
    "a non-empty batch keeps its start offset": {ADVANCE},
}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = new_checkout(tmp_path_factory.mktemp("harness") / "checkout")
    done = scaffold("new-connector", "stripe", "--target", "lakeflow", "--dest", str(root))
    assert done.exit_code == 0, done.output
    return root


@pytest.fixture
def generated_tests(checkout: Path, monkeypatch: pytest.MonkeyPatch) -> type:
    """The generated TestStripeConnector, importing the stand-in harness as upstream's `tests.unit.sources`."""
    with checkout_imports(checkout):
        harness = load_module(checkout / "tests/unit/sources/test_suite.py", "lakeflow_test_suite")
        # The generated module imports `tests.unit.sources.test_suite`; this repo's own `tests` package has no
        # `unit`, so the stand-in is registered under that name for the duration of the test.
        for name, module in (("tests.unit", ModuleType("tests.unit")), ("tests.unit.sources", ModuleType("s"))):
            monkeypatch.setitem(sys.modules, name, module)
        monkeypatch.setitem(sys.modules, "tests.unit.sources.test_suite", harness)
        yield load_module(checkout / TEST_MODULE, "lakeflow_test_stripe").TestStripeConnector


def _outcomes(test_class: type) -> dict[str, str]:
    """Run every check of `test_class` as pytest would: passed, failed or skipped, by name."""
    outcomes: dict[str, str] = {}
    test_class.setup_class()
    try:
        for name in [*HARNESS_CHECKS, ADVANCE]:
            try:
                getattr(test_class(), name)()
                outcomes[name] = "passed"
            except pytest.skip.Exception:
                outcomes[name] = "skipped"
            except (AssertionError, pytest.fail.Exception):
                outcomes[name] = "failed"
    finally:
        test_class.teardown_class()
    return outcomes


def _mutant(checkout: Path, generated_tests: type, mutation: str, tmp_path: Path) -> type:
    old, new = MUTATIONS[mutation]
    code = (checkout / STRIPE).read_text()
    assert code.count(old) >= 1, f"the mutation {mutation!r} no longer applies to the generated module"
    path = tmp_path / "stripe_mutant.py"
    path.write_text(code.replace(old, new, 1))
    connector = load_module(path, f"lakeflow_mutant_{abs(hash(mutation))}").StripeLakeflowConnect
    return type("TestMutant", (generated_tests,), {"connector_class": connector})


def test_the_generated_connector_passes_every_check(generated_tests):
    outcomes = _outcomes(generated_tests)
    skipped = {"test_partition_requires_lakeflow_connect", "test_read_table_deletes"}
    assert outcomes == {name: "skipped" if name in skipped else "passed" for name in [*HARNESS_CHECKS, ADVANCE]}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_each_check_catches_its_defect(checkout, generated_tests, mutation, tmp_path):
    outcomes = _outcomes(_mutant(checkout, generated_tests, mutation, tmp_path))
    failed = {name for name, outcome in outcomes.items() if outcome == "failed"}
    assert failed == EXPECTED_FAILURES[mutation], outcomes


def test_the_upstream_checks_miss_a_batch_that_does_not_advance(checkout, generated_tests, tmp_path):
    """The gap of the reference (section 3): all nine harness checks pass; only the generated advance check fails."""
    outcomes = _outcomes(_mutant(checkout, generated_tests, "a non-empty batch keeps its start offset", tmp_path))
    assert all(outcomes[name] in ("passed", "skipped") for name in HARNESS_CHECKS)
    assert outcomes[ADVANCE] == "failed"
