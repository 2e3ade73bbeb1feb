"""`scaffold spec from-openapi` and `new-connector --openapi`: the spec file round-trips through --data-file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner

from connector_scaffold.cli import main
from connector_scaffold.openapi import import_openapi
from connector_scaffold.openapi.spec_file import DEFAULT_RATE_LIMIT
from connector_scaffold.spec import load_spec
from connector_scaffold.spec_sources import SpecOptions, resolve_spec
from tests.lakeflow_helpers import new_checkout

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "openapi"
CURSOR = FIXTURES / "cursor_bearer.yaml"


def _invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_stdout_is_the_spec_and_stderr_the_inferences():
    result = _invoke("spec", "from-openapi", str(CURSOR))
    assert result.exit_code == 0, result.stderr
    data = yaml.safe_load(result.stdout)
    assert [e["name"] for e in data["entities"]] == ["customer", "invoice", "product", "invoice_line"]
    assert data["rate_limit"] == DEFAULT_RATE_LIMIT
    lines = result.stderr.splitlines()
    assert any(line.startswith("openapi: high    pagination: cursor") for line in lines)
    assert any("customer.timestamp_field: created" in line and "medium" in line for line in lines)
    assert _invoke("spec", "from-openapi", str(CURSOR), "--quiet").stderr == ""


def test_written_file_round_trips_through_data_file(tmp_path):
    out = tmp_path / "payco.yml"
    result = _invoke("spec", "from-openapi", str(CURSOR), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"scaffold new-connector payco --data-file {out}" in result.stdout
    first = out.read_bytes()
    assert _invoke("spec", "from-openapi", str(CURSOR), "--out", str(out)).exit_code == 0
    assert out.read_bytes() == first  # same document, same bytes
    expected = load_spec({**import_openapi(CURSOR).data, "rate_limit": DEFAULT_RATE_LIMIT})
    assert resolve_spec("payco", out).spec == expected
    # The user's edits are what the connector gets.
    edited = yaml.safe_load(first)
    edited["entities"][0]["timestamp_field"] = "email"
    edited["rate_limit"]["requests_per_second"] = 20
    out.write_text(yaml.safe_dump(edited, sort_keys=False))
    spec = resolve_spec("payco", out).spec
    assert spec.entities[0].timestamp_field == "email"
    assert spec.rate_limit.requests_per_second == 20
    dry = _invoke("new-connector", "payco", "--data-file", str(out), "--dry-run", "--dest", str(tmp_path / "app"))
    assert dry.exit_code == 0, dry.stderr
    assert "app/connector.py" in dry.stdout


def test_dry_run_writes_nothing(tmp_path):
    out = tmp_path / "spec.yml"
    result = _invoke("spec", "from-openapi", str(CURSOR), "--out", str(out), "--dry-run")
    assert result.exit_code == 0 and "nothing written" in result.stdout
    assert not out.exists()


def test_openapi_source_sits_between_catalog_and_answers_file(tmp_path):
    # Over the catalog: the document's entities replace the catalog's; the catalog's rate limit stays.
    resolved = resolve_spec("stripe", options=SpecOptions(openapi=CURSOR, entities=("customer",)))
    assert resolved.origin == "openapi"
    assert [e.name for e in resolved.spec.entities] == ["customer"]
    assert resolved.spec.rate_limit.requests_per_second == 20
    assert any("pagination: cursor" in note for note in resolved.notes)
    # Under the answers file and the options.
    answers = tmp_path / "answers.yml"
    answers.write_text("base_url: https://eu.payco.example.com\n")
    options = SpecOptions(openapi=CURSOR, page_size=10)
    resolved = resolve_spec("payco", answers, options)
    assert resolved.origin == "openapi + answers file"
    assert resolved.spec.base_url == "https://eu.payco.example.com"
    assert resolved.spec.pagination.page_size == 10
    assert resolved.spec.pagination.cursor_param == "starting_after"


def test_new_connector_openapi_atlan(tmp_path):
    dest = tmp_path / "app"
    result = _invoke(
        "new-connector", "payco", "--openapi", str(CURSOR), "--entity", "invoice_line", "--dest", str(dest)
    )
    assert result.exit_code == 0, result.stderr
    assert "openapi: high    invoice_line.parent: /v1/invoices" in result.stderr
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert [e["name"] for e in answers["spec"]["entities"]] == ["invoice", "invoice_line"]
    assert answers["spec"]["pagination"]["style"] == "cursor"


def test_new_connector_openapi_lakeflow(tmp_path):
    checkout = new_checkout(tmp_path / "checkout")
    args = [
        "new-connector",
        "notely",
        "--target",
        "lakeflow",
        "--openapi",
        str(FIXTURES / "next_token_api_key_header.yaml"),
    ]
    result = _invoke(*args, "--dest", str(checkout), "--defaults")
    assert result.exit_code == 0, result.stderr
    source = (checkout / "src/databricks/labs/community_connector/sources/notely/notely.py").read_text()
    assert '"notes"' in source and "last_edited_time" in source


def test_bad_document_is_one_line_exit_2(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.0\n")
    for args in (["spec", "from-openapi", str(broken)], ["new-connector", "acme", "--openapi", str(broken)]):
        result = _invoke(*args)
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and "paths" in result.stderr
    result = _invoke("spec", "from-openapi", str(CURSOR), "--entity", "nothing")
    assert result.exit_code == 2 and "not a collection" in result.stderr


def test_spec_help_imports_no_heavy_module():
    code = (
        "import sys\n"
        "from connector_scaffold.cli import main\n"
        "try:\n    main(['spec', 'from-openapi', '--help'])\nexcept SystemExit:\n    pass\n"
        "for heavy in ('copier', 'libcst', 'pydantic', 'jsonref'):\n"
        "    assert heavy not in sys.modules, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
