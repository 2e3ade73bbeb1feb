"""`scaffold add-table`: a fifth stripe table from the spec, a table the spec does not know, a hand-written source,
and the refusals. Each change must equal what a fresh render would hold, re-run to no change, and keep the source's
own tests, ruff and pylint green."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.lakeflow_helpers import (
    HANDWRITTEN,
    PACKAGE,
    STRIPE_FIRST_FOUR,
    checkout_imports,
    load_module,
    module_dict_keys,
    new_checkout,
    passed_counts,
    refused,
    ruff,
    run_source_tests,
    scaffold,
    tree,
)

STRIPE = f"{PACKAGE}/sources/stripe"
REFUNDS = (
    "--list-path",
    "/v1/refunds",
    "--records-key",
    "data",
    "--field",
    "id:string",
    "--field",
    "amount:integer",
    "--field",
    "reason:string",
    "--field",
    "metadata:object",
    "--field",
    "created:integer",
    "--cursor",
    "created",
    "--ingestion-type",
    "append",  # a refund's status changes, but the append path (range filters) is the one to exercise here
)


@pytest.fixture(scope="module")
def four_plus_one(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(a checkout with stripe's first four tables plus `add-table subscriptions`, one with --defaults, the output)."""
    base = tmp_path_factory.mktemp("add-table")
    grown, fresh = new_checkout(base / "grown"), new_checkout(base / "fresh")
    created = scaffold("new-connector", "stripe", "--target", "lakeflow", *STRIPE_FIRST_FOUR, "--dest", str(grown))
    assert created.exit_code == 0, created.output
    added = scaffold("add-table", "subscriptions", "--dest", str(grown))
    assert added.exit_code == 0, added.output
    assert scaffold("new-connector", "stripe", "--target", "lakeflow", "--dest", str(fresh)).exit_code == 0
    return grown, fresh, added.output


def test_a_fifth_table_gives_what_a_fresh_render_of_five_gives(four_plus_one):
    grown, fresh, output = four_plus_one
    assert tree(grown) == tree(fresh)
    assert "add-table subscriptions (snapshot) to stripe" in output
    for touched in ("stripe.py", "README.md", "stripe_api_doc.md", "_generated_stripe_python_source.py"):
        assert f"modified  {STRIPE}/{touched}" in output
    assert f"created   {PACKAGE}/source_simulator/specs/stripe/corpus/subscriptions.json" in output


def test_a_second_run_changes_nothing(four_plus_one):
    grown, _, _ = four_plus_one
    before = tree(grown)
    again = scaffold("add-table", "subscription", "--source", "stripe", "--dest", str(grown))
    assert again.exit_code == 0, again.output
    assert "nothing to do" in again.output
    assert tree(grown) == before


def test_a_table_the_spec_does_not_know_keeps_the_gates_green(tmp_path):
    root = new_checkout(tmp_path / "checkout")
    assert scaffold("new-connector", "stripe", "--target", "lakeflow", "--dest", str(root)).exit_code == 0
    added = scaffold("add-table", "refunds", "--dest", str(root), *REFUNDS)
    assert added.exit_code == 0, added.output
    module = root / STRIPE / "stripe.py"
    assert module_dict_keys(module, "TABLE_SCHEMAS")[-1] == "refunds"
    assert module_dict_keys(module, "TABLE_RANGE_PARAMS")[-1] == "refunds"
    assert "| `refunds` | append | `id` | `created` | `GET /v1/refunds` |" in (root / STRIPE / "README.md").read_text()
    done = run_source_tests(root, "stripe")
    assert done.returncode == 0, done.stdout + done.stderr
    assert passed_counts(done.stdout) == (8, 0, 2)
    # Only data is inserted (dict entries, an import), which ruff checks; pylint runs on the generated module.
    for command in (("check",), ("format", "--check")):
        assert ruff(root, *command).returncode == 0
    before = tree(root)
    assert scaffold("add-table", "refunds", "--dest", str(root), *REFUNDS).exit_code == 0
    assert tree(root) == before


def _with_handwritten(root: Path, fixture: str) -> Path:
    folder = root / PACKAGE / "sources" / "zoo"
    folder.mkdir(parents=True)
    shutil.copyfile(HANDWRITTEN / fixture, folder / "zoo.py")
    (folder / "__init__.py").write_text("")
    return folder / "zoo.py"


FEEDINGS = (
    *("--list-path", "/v1/feedings", "--field", "id:string", "--field", "fed_at:datetime", "--cursor", "fed_at"),
    *("--ingestion-type", "append"),  # a feeding, once logged, never changes
)


def test_a_hand_written_table_driven_source_is_extended(tmp_path):
    root = new_checkout(tmp_path / "checkout")
    module = _with_handwritten(root, "zoo_table_driven.py")
    added = scaffold("add-table", "feedings", "--dest", str(root), *FEEDINGS)
    assert added.exit_code == 0, added.output
    text = module.read_text()
    assert module_dict_keys(module, "TABLE_SCHEMAS") == ["animals", "keepers", "feedings"]
    assert module_dict_keys(module, "TABLE_METADATA") == ["animals", "keepers", "feedings"]
    assert module_dict_keys(module, "ENDPOINTS") == ["animals", "keepers", "feedings"]
    assert 'SUPPORTED = ("animals", "keepers", "feedings")' in text
    assert "TimestampType" in text.split("class ", 1)[0], "the new schema's type is imported"
    assert "TABLE_RECORDS_KEYS" not in text, "dicts the source does not have are not invented"
    assert "README.md does not exist" in added.output
    assert (root / PACKAGE / "source_simulator/specs/zoo/corpus/feedings.json").is_file()
    with checkout_imports(root):
        zoo = load_module(module, "lakeflow_zoo").ZooLakeflowConnect({})
        assert zoo.list_tables() == ["animals", "keepers", "feedings"]
        assert zoo.get_table_schema("feedings", {}).fieldNames() == ["id", "fed_at"]
        assert zoo.read_table_metadata("feedings", {})["ingestion_type"] == "append"
    before = tree(root)
    assert scaffold("add-table", "feedings", "--dest", str(root), *FEEDINGS).exit_code == 0
    assert tree(root) == before


def test_a_source_that_is_not_table_driven_is_refused(tmp_path):
    root = new_checkout(tmp_path / "checkout")
    _with_handwritten(root, "zoo_branching.py")
    message = refused(root, "add-table", "feedings", *FEEDINGS)
    line = (
        (HANDWRITTEN / "zoo_branching.py").read_text().splitlines().index("class ZooLakeflowConnect(LakeflowConnect):")
    )
    assert f"zoo.py:{line + 1}: ZooLakeflowConnect is not table-driven" in message
    assert "by hand; nothing written" in message


@pytest.fixture(scope="module")
def four_tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Stripe's first four tables; the tests using it must leave it as it is."""
    root = new_checkout(tmp_path_factory.mktemp("four") / "checkout")
    created = scaffold("new-connector", "stripe", "--target", "lakeflow", *STRIPE_FIRST_FOUR, "--dest", str(root))
    assert created.exit_code == 0, created.output
    return root


def test_dry_run_shows_the_diff_and_writes_nothing(four_tables):
    root = four_tables
    before = tree(root)
    tripwire = root.parent / "merge-script-ran"
    script = root / "tools/scripts/merge_python_source.py"
    original = script.read_bytes()
    script.write_text(f"open({str(tripwire)!r}, 'w').close()\n")
    done = scaffold("add-table", "subscriptions", "--dry-run", "--dest", str(root))
    script.write_bytes(original)
    assert done.exit_code == 0, done.output
    assert tree(root) == before and not tripwire.exists(), "a dry run ran the checkout's merge script"
    assert '+    "subscriptions": "/v1/subscriptions",' in done.output
    assert f"update     {STRIPE}/stripe.py" in done.output and "nothing written" in done.output


def test_outside_a_checkout_is_a_one_line_error(tmp_path):
    assert "not inside a lakeflow-community-connectors checkout" in refused(tmp_path, "add-table", "subscriptions")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add-table", "bad-name"), "table name"),
        (("add-table", "payouts"), "not a table of the stripe spec"),
        (("add-table", "invoice_line_item"), "is a child of invoice"),
        (("add-table", "subscriptions", "--source", "nope"), "no source 'nope'"),
        (("add-table", "refunds", "--field", "id:string"), "give its --list-path"),
        (("add-table", "refunds", "--list-path", "v1/refunds"), "must start with '/'"),
        (("add-table", "refunds", "--list-path", "/v1/refunds", "--field", "id:uuid"), "table refunds"),
        (("add-table", "refunds", "--list-path", "/v1/refunds", "--ingestion-type", "cdc"), "no integer or datetime"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(four_tables, args, message):
    assert message in refused(four_tables, *args)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("    ingestion_type: cdc\n", "    ingestion_type: streaming\n"), "tables.3.ingestion_type: Input should be"),
        (("    entity: customer\n", "    entity: client\n"), "tables.0.entity: 'client' is not an entity"),
    ],
)
def test_a_stored_table_that_does_not_fit_the_spec_is_refused(four_tables, tmp_path, edit, message):
    root = tmp_path / "checkout"
    shutil.copytree(four_tables, root)
    answers = root / STRIPE / ".copier-answers.yml"
    text = answers.read_text(encoding="utf-8")
    assert edit[0] in text
    answers.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    assert f"{STRIPE}/.copier-answers.yml: {message}" in refused(root, "add-table", "subscriptions")
