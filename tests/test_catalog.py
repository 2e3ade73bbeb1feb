"""Every catalog entry (src/connector_scaffold/catalog/*.yml), as each target renders it with --defaults: every
Python file compiles, ruff passes, and the answers written beside the output hold the catalog's spec and render the
same bytes again. A new entry is covered by adding its YAML file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from connector_scaffold.catalog import catalog_entry, catalog_names
from connector_scaffold.catalog.facts import catalog_facts
from connector_scaffold.spec import ConnectorSpec, load_spec
from tests.conftest import tree_bytes
from tests.lakeflow_helpers import PACKAGE, new_checkout, passed_counts, ruff, run_source_tests, scaffold, tree


def _compile_every_python_file(files: dict[str, bytes]) -> None:
    python = {path: data for path, data in files.items() if path.endswith(".py")}
    assert python, "no Python file was written"
    for path, data in python.items():
        compile(data, path, "exec")


def _catalog_spec(name: str) -> object:
    entry = catalog_entry(name)
    assert entry is not None
    return load_spec(entry)


@pytest.mark.parametrize("name", catalog_names())
def test_the_atlan_app_of_every_catalog_entry_compiles_and_is_ruff_clean(name: str, tmp_path: Path) -> None:
    app = tmp_path / "app"
    done = scaffold("new-connector", name, "--defaults", "--dest", str(app))
    assert done.exit_code == 0, done.output
    _compile_every_python_file(tree_bytes(app))
    ruff_bin = Path(sys.executable).with_name("ruff")
    for command in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        checked = subprocess.run([str(ruff_bin), *command], cwd=app, capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stdout + checked.stderr

    answers = app / ".copier-answers.yml"
    assert load_spec(yaml.safe_load(answers.read_text())["spec"]) == _catalog_spec(name)
    again = tmp_path / "again"
    assert scaffold("new-connector", name, "--data-file", str(answers), "--dest", str(again)).exit_code == 0
    assert tree_bytes(again) == tree_bytes(app)


@pytest.mark.parametrize("name", catalog_names())
def test_the_lakeflow_source_of_every_catalog_entry_compiles_and_is_ruff_clean(name: str, tmp_path: Path) -> None:
    root = new_checkout(tmp_path / "checkout")
    before = tree(root)
    done = scaffold("new-connector", name, "--target", "lakeflow", "--defaults", "--dest", str(root))
    assert done.exit_code == 0, done.output
    written = {path: data for path, data in tree(root).items() if path not in before}
    assert f"{PACKAGE}/sources/{name}/{name}.py" in written
    _compile_every_python_file(written)
    for command in (("check",), ("format", "--check")):
        checked = ruff(root, *command)
        assert checked.returncode == 0, checked.stdout + checked.stderr

    answers = root / PACKAGE / "sources" / name / ".copier-answers.yml"
    assert load_spec(yaml.safe_load(answers.read_text())["spec"]) == _catalog_spec(name)
    again = new_checkout(tmp_path / "again")
    rendered = scaffold(
        "new-connector", name, "--target", "lakeflow", "--data-file", str(answers), "--dest", str(again)
    )
    assert rendered.exit_code == 0, rendered.output
    assert tree(again) == tree(root)


@pytest.mark.parametrize("name", catalog_names())
def test_every_catalog_entry_cites_its_api_reference(name: str) -> None:
    """Auth, pagination and rate limit for the source; default filters and the change timestamp per entity; every
    fact with an https link to the reference it was checked against."""
    facts = catalog_facts(name)
    assert facts.missing() == []
    spec = _catalog_spec(name)
    assert isinstance(spec, ConnectorSpec)
    assert list(facts.entities) == [entity.name for entity in spec.entities]
    for entity in spec.entities:
        # A fixed filter parameter is there because the reference says the default leaves records out: it is cited.
        cited = " ".join(f.fact for f in facts.entities[entity.name] if f.about == "default_filter")
        for param, value in entity.params.items():
            assert f"{param}={value}" in cited, f"{entity.name}: {param}={value} is not explained by a cited fact"


def test_the_catalog_spans_auth_and_pagination_styles() -> None:
    specs = [load_spec(catalog_entry(name) or {}) for name in catalog_names()]
    assert len(specs) >= 8
    assert {spec.auth.type for spec in specs} >= {"bearer", "basic", "api_key_header", "api_key_query"}
    assert {spec.pagination.style for spec in specs} >= {
        "cursor",
        "next_token",
        "link_header",
        "offset_limit",
        "page_number",
    }


def test_the_lakeflow_sources_of_the_whole_catalog_pass_their_own_tests(tmp_path: Path) -> None:
    """Every entry in one checkout, its tests run offline through the simulator (a base URL with a path, such as
    Shopify's /admin/api/VERSION, is routed with it; fixed params are required by the simulator)."""
    root = new_checkout(tmp_path / "checkout")
    for name in catalog_names():
        done = scaffold("new-connector", name, "--target", "lakeflow", "--defaults", "--dest", str(root))
        assert done.exit_code == 0, done.output
    ran = run_source_tests(root, *catalog_names())
    assert ran.returncode == 0, ran.stdout[-4000:]
    passed, failed, _ = passed_counts(ran.stdout)
    assert failed == 0 and passed >= 5 * len(catalog_names())


def test_lakeflow_tables_are_named_without_a_format_suffix() -> None:
    from connector_scaffold.targets.lakeflow.tables import table_name

    shopify = load_spec(catalog_entry("shopify") or {})
    assert [table_name(entity) for entity in shopify.entities] == ["products", "customers", "orders"]


def test_malformed_or_missing_facts_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from connector_scaffold.catalog import facts as facts_module
    from connector_scaffold.errors import ScaffoldError

    entry = {
        "facts": [{"about": "auth", "fact": "Bearer tokens, as documented.", "url": "https://example.com/auth"}],
        "entities": [{"name": "widget", "facts": [{"about": "timestamp", "fact": "No timestamp.", "url": "http://x"}]}],
    }
    monkeypatch.setattr(facts_module, "catalog_file", lambda name: entry)
    with pytest.raises(ScaffoldError, match=r"catalog acme: facts entities\.widget\.0\.url: .*https://"):
        facts_module.catalog_facts("acme")
    entry["entities"][0]["facts"][0]["url"] = "https://example.com/widgets"
    assert facts_module.catalog_facts("acme").missing() == [
        "source: pagination",
        "source: rate_limit",
        "entity widget: default_filter",
    ]
    entry["facts"][0]["about"] = "weather"
    with pytest.raises(ScaffoldError, match=r"facts source\.0\.about"):
        facts_module.catalog_facts("acme")
    monkeypatch.setattr(facts_module, "catalog_file", lambda name: None)
    with pytest.raises(ScaffoldError, match="'acme' is not in the catalog"):
        facts_module.catalog_facts("acme")
