"""`scaffold new-connector NAME --target lakeflow` in a stand-in lakeflow-community-connectors checkout: the file
set of the reference's section 6, the upstream gates (harness, ruff, pylint, merge script, self-review
consistency), the offset protocol, determinism, and refusals that write nothing."""

from __future__ import annotations

import ast
import json
import runpy
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from connector_scaffold.targets.lakeflow.docs import heading_key
from tests.lakeflow_helpers import (
    HANDWRITTEN,
    PACKAGE,
    FakeTime,
    checkout_imports,
    connector_classes,
    load_module,
    module_dict_keys,
    new_checkout,
    passed_counts,
    pylint_score,
    refused,
    ruff,
    run_source_tests,
    scaffold,
    tree,
)
from tests.update_helpers import commit, git

STRIPE = f"{PACKAGE}/sources/stripe"
SIMULATOR = f"{PACKAGE}/source_simulator/specs/stripe"
STRIPE_TABLES = ["customers", "charges", "invoices", "products", "subscriptions"]
FILE_SET = {
    f"{STRIPE}/.copier-answers.yml",
    f"{STRIPE}/README.md",
    f"{STRIPE}/__init__.py",
    f"{STRIPE}/_generated_stripe_python_source.py",
    f"{STRIPE}/connector_spec.yaml",
    f"{STRIPE}/pyproject.toml",
    f"{STRIPE}/stripe.py",
    f"{STRIPE}/stripe.svg",
    f"{STRIPE}/stripe_api_doc.md",
    f"{SIMULATOR}/endpoints.yaml",
    f"{SIMULATOR}/handlers/__init__.py",
    f"{SIMULATOR}/handlers/pages.py",
    *(f"{SIMULATOR}/corpus/{t}.json" for t in STRIPE_TABLES),
    "tests/unit/sources/stripe/__init__.py",
    "tests/unit/sources/stripe/configs/dev_table_config.json",
    "tests/unit/sources/stripe/test_stripe_lakeflow_connect.py",
}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One checkout with stripe (cursor paging, epoch cursors; customers forced to append to exercise the range
    filters), github (Link header, ISO cursors, child entities left out) and acme (not in the catalog: the generic
    page-number skeleton), all from --defaults."""
    root = new_checkout(tmp_path_factory.mktemp("lakeflow") / "checkout")
    for name in ("stripe", "github", "acme"):
        forced = ("--ingestion-type", "customers=append") if name == "stripe" else ()
        done = scaffold("new-connector", name, "--target", "lakeflow", "--defaults", "--dest", str(root), *forced)
        assert done.exit_code == 0, done.output
    return root


def test_defaults_write_exactly_the_file_set(tmp_path):
    root = new_checkout(tmp_path / "checkout")
    before = tree(root)
    done = scaffold("new-connector", "stripe", "--target", "lakeflow", "--defaults", "--dest", str(root))
    assert done.exit_code == 0, done.output
    written = set(tree(root)) - set(before)
    assert written == FILE_SET
    assert {p: d for p, d in tree(root).items() if p in before} == before, "a file of the checkout was changed"
    assert connector_classes(root / STRIPE / "stripe.py") == ["StripeLakeflowConnect"]
    init = (root / STRIPE / "__init__.py").read_text()
    assert "class StripeDataSource(LakeflowSource):" in init
    assert "_lakeflow_connect_cls = StripeLakeflowConnect" in init
    assert '__all__ = ["StripeDataSource", "StripeLakeflowConnect"]' in init
    # Records that change are never append on a creation time: snapshot, or cdc on an update cursor.
    kinds = "customers (snapshot), charges (snapshot), invoices (snapshot), products (cdc), subscriptions (snapshot)"
    assert kinds in done.output
    assert "pytest tests/unit/sources/stripe/" in done.output


def test_stripe_tables_cover_ingestion_types_with_cursor_metadata(checkout):
    module = checkout / STRIPE / "stripe.py"
    tables = module_dict_keys(module, "TABLE_SCHEMAS")
    assert tables == STRIPE_TABLES
    source = module.read_text()
    metadata = ast.literal_eval(source.split("TABLE_METADATA = ", 1)[1].split("\n}\n", 1)[0] + "\n}")
    kinds = {t: m["ingestion_type"] for t, m in metadata.items()}
    assert kinds == {
        "customers": "append",  # forced by the fixture
        "charges": "snapshot",
        "invoices": "snapshot",
        "products": "cdc",
        "subscriptions": "snapshot",
    }
    assert all(m["primary_keys"] == ["id"] for m in metadata.values())
    assert all(
        m["cursor_field"] in ("created", "updated") for m in metadata.values() if m["ingestion_type"] != "snapshot"
    )
    github = module_dict_keys(checkout / PACKAGE / "sources/github/github.py", "TABLE_SCHEMAS")
    assert github == ["repos"], "child entities (issues, pulls) need fan-out and are left out"
    acme = (checkout / PACKAGE / "sources/acme/acme.py").read_text()
    assert '"items": {' in acme and '"ingestion_type": "cdc"' in acme


def test_generated_sources_pass_the_harness_offline(checkout):
    done = run_source_tests(checkout, "stripe", "github", "acme")
    assert done.returncode == 0, done.stdout + done.stderr
    passed, failed, skipped = passed_counts(done.stdout)
    # Per source: the 7 harness checks that apply, plus the offset-advance check; partition and deletes skip.
    assert (passed, failed, skipped) == (24, 0, 6), done.stdout


def test_generated_source_passes_ruff_and_pylint_as_upstream_ci_runs_them(checkout):
    for command in (("check",), ("format", "--check")):
        done = ruff(checkout, *command)
        assert done.returncode == 0, done.stdout + done.stderr
    score, report = pylint_score(checkout, STRIPE, "tests/unit/sources/stripe")
    assert score >= 9.5, report


def test_merge_script_accepts_the_source_and_the_committed_file_is_fresh(checkout, tmp_path):
    committed = (checkout / STRIPE / "_generated_stripe_python_source.py").read_bytes()
    out = tmp_path / "merged.py"
    done = subprocess.run(
        [sys.executable, "tools/scripts/merge_python_source.py", "stripe", "-o", str(out)],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == committed

    registered: list[type] = []

    class DataSources:
        def register(self, source: type) -> None:
            registered.append(source)

    class Spark:
        dataSource = DataSources()

    with checkout_imports(checkout):
        runpy.run_path(str(out))["register_lakeflow_source"](Spark())
    (source,) = registered
    assert source.name() == "lakeflow_connect"
    assert source._lakeflow_connect_cls.__name__ == "StripeLakeflowConnect"


def _readme_rows(text: str, heading: str) -> list[str]:
    """The table names in the rows of the `## heading` section, bold or plain as upstream's templates write it."""
    sections = {heading_key(part.split("\n", 1)[0]): part for part in text.split("\n## ")[1:]}
    section = sections[heading_key(heading)]
    return [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]


def test_tables_and_parameters_agree_across_code_spec_docs_and_simulator(checkout):
    """The self-review consistency checks (E), B5 (replay_config covers the __init__ options), B8 (every URL the
    connector calls is in endpoints.yaml), C10 (no runtime pyspark) and E5 (allowlist covers table options)."""
    module = checkout / STRIPE / "stripe.py"
    tables = module_dict_keys(module, "TABLE_SCHEMAS")
    spec = yaml.safe_load((checkout / STRIPE / "connector_spec.yaml").read_text())
    readme = (checkout / STRIPE / "README.md").read_text()
    api_doc = (checkout / STRIPE / "stripe_api_doc.md").read_text()
    endpoints = yaml.safe_load((checkout / SIMULATOR / "endpoints.yaml").read_text())["endpoints"]
    paths = ast.literal_eval(module.read_text().split("TABLE_PATHS = ", 1)[1].split("\n}\n", 1)[0] + "\n}")

    assert _readme_rows(readme, "Supported Objects") == tables
    for heading in ("Object List", "Get Object Primary Keys", "Object's ingestion type", "Read API for Data Retrieval"):
        assert _readme_rows(api_doc, heading) == tables, heading
    assert [e["corpus"] for e in endpoints] == tables
    assert sorted(e["path"] for e in endpoints) == sorted(paths.values())
    assert all((checkout / SIMULATOR / "corpus" / f"{t}.json").is_file() for t in tables)

    parameters = [p["name"] for p in spec["connection"]["parameters"]]
    assert spec["display_name"] == "Stripe"
    assert parameters == ["api_token", "base_url"]
    assert all(p["secret"] for p in spec["connection"]["parameters"] if p["name"] == "api_token")
    assert _readme_rows(readme, "Setup") == parameters

    tree_ = ast.parse(module.read_text())
    read_keys = {
        (node.func.value.id, node.args[0].value)  # type: ignore[attr-defined]
        for node in ast.walk(tree_)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in ("options", "table_options")
    } | {
        ("options", node.slice.value)  # type: ignore[attr-defined]
        for node in ast.walk(tree_)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "options"
    }
    allowlist = set(spec["external_options_allowlist"].split(","))
    assert {key for kind, key in read_keys if kind == "table_options"} <= allowlist
    test_module = (checkout / "tests/unit/sources/stripe/test_stripe_lakeflow_connect.py").read_text()
    replay = ast.literal_eval(test_module.split("replay_config = ", 1)[1].split("\n    }\n", 1)[0] + "\n    }")
    assert {key for kind, key in read_keys if kind == "options"} <= set(replay)

    project = tomllib.loads((checkout / STRIPE / "pyproject.toml").read_text())["project"]
    assert not any(d.startswith("pyspark") for d in project["dependencies"])
    assert any(d.startswith("requests") for d in project["dependencies"])
    assert project["name"] == "lakeflow-community-connectors-stripe"


@pytest.fixture
def stripe(checkout):
    """The generated connector class, the stand-in simulator and parse_value, imported in-process."""
    with checkout_imports(checkout):
        from databricks.labs.community_connector.libs.utils import parse_value
        from databricks.labs.community_connector.source_simulator import Simulator

        module = load_module(checkout / STRIPE / "stripe.py", "lakeflow_stripe")
        specs = checkout / SIMULATOR
        with Simulator(mode="simulate", spec_path=specs / "endpoints.yaml", corpus_dir=specs / "corpus"):
            yield module, parse_value


OPTIONS = {"api_token": "sk_test", "tableName": "customers", "max_records_per_batch": "2"}


def _drain(connector, table: str, options: dict, start=None) -> tuple[list[dict], list]:
    """Every batch from `start` until the offset comes back unchanged: (records, offsets seen)."""
    records, offsets, offset = [], [start], start
    for _ in range(50):
        batch, end = connector.read_table(table, offset, options)
        batch = list(batch)
        assert not batch or json.dumps(end, sort_keys=True) != json.dumps(offset, sort_keys=True), (
            "a non-empty batch did not advance the offset"
        )
        records.extend(batch)
        if end == offset:
            return records, offsets
        offsets.append(end)
        offset = end
    raise AssertionError("read did not terminate")


def test_offset_protocol(stripe):
    module, parse_value = stripe
    connector = module.StripeLakeflowConnect(dict(OPTIONS))
    first_none, first_empty = (
        connector.read_table("customers", None, OPTIONS),
        connector.read_table("customers", {}, OPTIONS),
    )
    assert list(first_none[0]) == list(first_empty[0]) and first_none[1] == first_empty[1]

    records, offsets = _drain(connector, "customers", OPTIONS)
    # 5 corpus records, pages of 2 (the batch size): the page token travels in the offset with its window.
    assert [r["id"] for r in records] == [f"customers_000{i}" for i in range(1, 6)]
    cap = connector._init_ts
    window = {"cursor": None, "until": cap, "size": 2}
    assert offsets == [
        None,
        {**window, "page": "customers_0002", "high": 1704070800},
        {**window, "page": "customers_0004", "high": 1704074400},
        {"cursor": 1704078000, "until": cap},
    ]
    schema = connector.get_table_schema("customers", OPTIONS)
    assert all(parse_value(r, schema) is not None for r in records)

    final = offsets[-1]
    again, end = connector.read_table("customers", final, OPTIONS)
    assert list(again) == [] and end is final, "re-reading the final offset must return nothing and the same offset"
    later = module.StripeLakeflowConnect(dict(OPTIONS))
    later._init_ts = cap + 60
    empty, end = later.read_table("customers", final, OPTIONS)
    assert list(empty) == [] and end == {"cursor": 1704078000, "until": cap + 60}

    snapshot_module = connector.read_table_metadata("products", OPTIONS)
    assert snapshot_module == {"primary_keys": ["id"], "cursor_field": "updated", "ingestion_type": "cdc"}


def test_init_ts_caps_a_trigger(stripe):
    module, _ = stripe
    connector = module.StripeLakeflowConnect(dict(OPTIONS))
    connector._init_ts = 1704070800  # between the corpus's second and third cursor values
    records, offsets = _drain(connector, "customers", {**OPTIONS, "max_records_per_batch": "100"}, {})
    assert [r["created"] for r in records] == [1704067200, 1704070800]
    assert offsets[-1] == {"cursor": 1704070800, "until": 1704070800}
    # A later trigger (a new connector) picks up from the checkpoint.
    later, _ = _drain(module.StripeLakeflowConnect(dict(OPTIONS)), "customers", OPTIONS, offsets[-1])
    assert [r["id"] for r in later] == ["customers_0003", "customers_0004", "customers_0005"]


def test_unknown_tables_and_bad_options_raise_value_error(stripe):
    module, _ = stripe
    connector = module.StripeLakeflowConnect(dict(OPTIONS))
    for call in (
        lambda: connector.get_table_schema("nope", {}),
        lambda: connector.read_table_metadata("nope", {}),
        lambda: connector.read_table("nope", {}, {}),
        lambda: connector.read_table("customers", {}, {"max_records_per_batch": "0"}),
    ):
        with pytest.raises(ValueError):
            call()


def test_requests_have_a_timeout_and_429_is_retried_with_backoff(stripe, monkeypatch):
    module, _ = stripe
    import requests

    simulated = requests.sessions.Session.send
    calls: list[dict] = []

    def send(session, request, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            response = requests.Response()
            response.status_code, response._content = 429, b"{}"
            response.headers["Retry-After"] = "3"
            return response
        return simulated(session, request, **kwargs)

    clock = FakeTime()
    monkeypatch.setattr(requests.sessions.Session, "send", send)
    monkeypatch.setattr(module, "time", clock)
    records, _ = module.StripeLakeflowConnect(dict(OPTIONS)).read_table("charges", {}, {"max_records_per_batch": "9"})
    assert len(list(records)) == 5
    assert any(3.0 <= s <= 3.3 for s in clock.sleeps), "Retry-After is honoured (with up to a tenth of jitter)"
    assert all(c["timeout"] == module.REQUEST_TIMEOUT for c in calls) and len(calls) == 2


def test_dry_run_lists_every_file_and_writes_nothing(tmp_path):
    """...and runs nothing of the checkout's: its merge script here would leave a file behind if it ran."""
    root = new_checkout(tmp_path / "checkout")
    tripwire = tmp_path / "merge-script-ran"
    (root / "tools/scripts/merge_python_source.py").write_text(f"open({str(tripwire)!r}, 'w').close()\n")
    before = tree(root)
    done = scaffold("new-connector", "stripe", "--target", "lakeflow", "--dry-run", "--dest", str(root))
    assert done.exit_code == 0, done.output
    assert tree(root) == before and not tripwire.exists()
    listed = {line.split()[1] for line in done.output.splitlines() if line.startswith("create")}
    assert listed == FILE_SET - {f"{STRIPE}/_generated_stripe_python_source.py"}
    assert "nothing written" in done.output and "merge_python_source.py (the checkout's code) not run" in done.output


def test_two_renders_are_byte_identical(tmp_path):
    one, two = new_checkout(tmp_path / "one"), new_checkout(tmp_path / "two")
    for root in (one, two):
        assert scaffold("new-connector", "stripe", "--target", "lakeflow", "--dest", str(root)).exit_code == 0
    assert tree(one) == tree(two)


def test_outside_a_checkout_is_a_one_line_error(tmp_path):
    message = refused(tmp_path, "new-connector", "stripe", "--target", "lakeflow", "--defaults")
    assert "not inside a lakeflow-community-connectors checkout" in message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("new-connector", "my-source"), "error: source name"),
        (("new-connector", "class"), "error: source name"),
        (("new-connector", "stripe", "--ingestion-type", "customers=stream"), "must be one of"),
        (("new-connector", "stripe", "--ingestion-type", "customers"), "expected TABLE=TYPE"),
        (("new-connector", "stripe", "--table", "invoice_line_item"), "child entity"),
        (("new-connector", "stripe", "--table", "refunds"), "not a table of the stripe spec"),
        (("new-connector", "stripe", "--table", "customers", "--ingestion-type", "charges=cdc"), "no such table"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, args, message):
    assert message in refused(new_checkout(tmp_path / "checkout"), *args, "--target", "lakeflow", "--defaults")


def test_lakeflow_options_are_refused_for_the_atlan_target(tmp_path):
    assert "--target lakeflow only" in refused(
        tmp_path, "new-connector", "stripe", "--defaults", "--table", "customers"
    )
    assert list(tmp_path.iterdir()) == []


def test_an_existing_source_is_refused_without_force(checkout):
    before = tree(checkout)
    done = scaffold("new-connector", "stripe", "--target", "lakeflow", "--dest", str(checkout))
    assert done.exit_code == 2 and "already exists" in done.output and "--force" in done.output
    forced = ("--ingestion-type", "customers=append")  # as the fixture made it
    again = scaffold("new-connector", "stripe", "--target", "lakeflow", "--force", "--dest", str(checkout), *forced)
    assert again.exit_code == 0, again.output
    assert tree(checkout) == before, "a forced re-render of an unchanged source changes nothing"


def test_force_never_replaces_a_hand_written_source(tmp_path):
    """No answers file, so no file of it is the template's: --force refuses and names add-table."""
    root = new_checkout(tmp_path / "checkout")
    folder = root / PACKAGE / "sources" / "zoo"
    folder.mkdir(parents=True)
    (folder / "zoo.py").write_text((HANDWRITTEN / "zoo_table_driven.py").read_text())
    (folder / "zoo_helpers.py").write_text("HELP = 1\n")
    message = refused(root, "new-connector", "zoo", "--target", "lakeflow", "--defaults", "--force")
    assert "was not generated" in message and "scaffold add-table TABLE --source zoo" in message


def test_force_over_a_generated_source_names_the_files_it_leaves(tmp_path):
    root = new_checkout(tmp_path / "checkout")
    assert scaffold("new-connector", "stripe", "--target", "lakeflow", "--dest", str(root)).exit_code == 0
    mine = root / STRIPE / "stripe_extra.py"
    mine.write_text("EXTRA = 1\n")
    # --force replaces only what git can give back.
    git(root, "init", "-q")
    commit(root, "a generated source and one file of ours")
    again = scaffold("new-connector", "stripe", "--target", "lakeflow", "--force", "--dest", str(root))
    assert again.exit_code == 0, again.output
    assert mine.read_text() == "EXTRA = 1\n"
    assert f"{STRIPE}/stripe_extra.py: not written by the template; left as it is" in again.output
