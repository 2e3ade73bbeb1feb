"""`scaffold new-connector` through the CLI: what it writes, what it refuses, and that nothing is half-written."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, SPECS, scaffold_process, tree_bytes

REQUIRED_FILES = [
    ".copier-answers.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "README.md",
    ".github/workflows/tests.yaml",
    "Dockerfile",
    "app.yaml",
    "app/asset_mapper.py",
    "app/generated/atlan-connectors-stripe.json",
    "app/generated/manifest.json",
    "app/generated/stripe.json",
    "app/transformed.py",
    "atlan.yaml",
    "main.py",
    "pyproject.toml",
]


def test_defaults_write_a_complete_app(cli, tmp_path):
    result = cli("new-connector", "stripe", "--defaults")
    assert result.exit_code == 0, result.output
    app = tmp_path / "atlan-stripe-app"
    for name in REQUIRED_FILES:
        assert (app / name).is_file(), name
    assert "written to atlan-stripe-app" in result.output
    assert "cd atlan-stripe-app" in result.output
    answers = yaml.safe_load((app / ".copier-answers.yml").read_text())
    assert answers["source_name"] == "stripe"
    assert [e["name"] for e in answers["spec"]["entities"]][:3] == ["customer", "charge", "invoice"]
    connector = (app / "app" / "connector.py").read_text()
    assert "(App)" in connector and "@task" in connector and "self.upload(" in connector
    for entity in ("customer", "charge", "invoice", "invoice_line_item", "product", "subscription"):
        assert f"extract_{entity}" in connector
    # The transform writes Atlan assets, and the result hands them to publish.
    assert "write_assets(" in connector or "write_assets," in connector
    assert "transformed_data_prefix=handoff.transformed_data_prefix" in connector
    _assert_dev_tooling_installs_itself(app)


def _assert_dev_tooling_installs_itself(app):
    """The hooks come from this repository's .pre-commit-hooks.yaml; the README's ruff is in the test extra."""
    shipped = {hook["id"] for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    repos = yaml.safe_load((app / ".pre-commit-config.yaml").read_text())["repos"]
    ours = [repo for repo in repos if {hook["id"] for hook in repo["hooks"]} & shipped]
    assert len(ours) == 1 and ours[0]["repo"] != "local" and ours[0]["rev"]
    assert {hook["id"] for hook in ours[0]["hooks"]} == shipped
    assert all("language" not in hook for repo in repos for hook in repo["hooks"])
    pyproject = tomllib.loads((app / "pyproject.toml").read_text())
    assert any(req.startswith("ruff") for req in pyproject["project"]["optional-dependencies"]["test"])
    assert "ignore::DeprecationWarning" not in pyproject["tool"]["pytest"]["ini_options"].get("filterwarnings", [])


def test_dry_run_lists_every_file_and_writes_nothing(cli, tmp_path):
    result = cli("new-connector", "stripe", "--dry-run")
    assert result.exit_code == 0
    assert list(tmp_path.iterdir()) == []
    listed = [line.split()[1] for line in result.output.splitlines() if line.startswith("create")]
    cli("new-connector", "stripe", "--defaults")
    written = sorted(tree_bytes(tmp_path / "atlan-stripe-app"))
    assert listed == written
    assert "nothing written" in result.output


def test_two_renders_are_byte_identical(cli, tmp_path):
    assert cli("new-connector", "stripe", "--dest", "one").exit_code == 0
    assert cli("new-connector", "stripe", "--dest", "two").exit_code == 0
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


@pytest.mark.parametrize("name", ["", "a/b", "..", "class", "9lives", "my source", "my-source", "bad!"])
def test_bad_names_fail_with_one_line_and_write_nothing(tmp_path, name):
    done = scaffold_process("new-connector", name, "--defaults", cwd=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith("error: source name")
    assert list(tmp_path.iterdir()) == []


def test_non_empty_destination_is_refused_without_force(cli, tmp_path):
    dest = tmp_path / "atlan-stripe-app"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    result = cli("new-connector", "stripe")
    assert result.exit_code == 2
    assert "not empty" in result.output and "--force" in result.output
    assert [p.name for p in dest.iterdir()] == ["notes.txt"]


def test_force_replaces_only_template_files(cli, tmp_path):
    assert cli("new-connector", "stripe").exit_code == 0
    app = tmp_path / "atlan-stripe-app"
    (app / "notes.txt").write_text("mine")
    (app / "README.md").write_text("edited")
    before = tree_bytes(app)
    result = cli("new-connector", "stripe", "--force", "--dry-run")
    assert "update     README.md" in result.output and "identical  main.py" in result.output
    assert "-edited" in result.output, "a forced dry run shows what it would overwrite"
    assert tree_bytes(app) == before
    # Outside git (or with uncommitted edits) the overwrite could not be undone: refused, pointing to update.
    refused = cli("new-connector", "stripe", "--force")
    assert refused.exit_code == 2 and "scaffold update" in refused.output
    assert tree_bytes(app) == before
    subprocess.run(["git", "init", "-q"], cwd=app, check=True)
    subprocess.run(["git", "add", "-A"], cwd=app, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "app"], cwd=app, check=True)
    assert cli("new-connector", "stripe", "--force").exit_code == 0
    assert (app / "notes.txt").read_text() == "mine"
    assert (app / "README.md").read_text() != "edited"


def test_answers_file_error_names_the_field(cli, tmp_path):
    (tmp_path / "answers.yml").write_text("entities:\n  - {name: widget, list_path: widgets}\n")
    result = cli("new-connector", "acme", "--data-file", "answers.yml")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: entities.0.list_path: path 'widgets' must start with '/' and be relative to base_url"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml"]


def test_unknown_source_is_generic_and_says_so(tmp_path):
    done = scaffold_process("new-connector", "acme", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "GENERIC skeleton" in done.stderr
    readme = (tmp_path / "atlan-acme-app" / "README.md").read_text()
    assert "generic" in readme.lower()


def test_unknown_source_with_strict_fails(tmp_path):
    done = scaffold_process("new-connector", "acme", "--strict", cwd=tmp_path)
    assert done.returncode == 2
    assert "not in the catalog" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_options_build_a_spec(cli, tmp_path):
    result = cli(
        "new-connector",
        "acme",
        "--entity",
        "widget:/v2/widgets",
        "--auth",
        "api_key_header",
        "--base-url",
        "https://api.acme.io",
        "--pagination",
        "offset_limit",
    )
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load((tmp_path / "atlan-acme-app" / ".copier-answers.yml").read_text())["spec"]
    assert answers["auth"]["type"] == "api_key_header"
    assert answers["pagination"]["style"] == "offset_limit"
    assert answers["entities"][0]["list_path"] == "/v2/widgets"
    assert answers["generic"] is False


def test_generated_answers_file_regenerates_the_same_app(cli, tmp_path):
    assert cli("new-connector", "github", "--dest", "first").exit_code == 0
    answers = tmp_path / "first" / ".copier-answers.yml"
    assert cli("new-connector", "github", "--data-file", str(answers), "--dest", "second").exit_code == 0
    assert tree_bytes(tmp_path / "first") == tree_bytes(tmp_path / "second")


@pytest.mark.parametrize("answers", sorted(p.name for p in SPECS.glob("*.answers.yml")))
def test_rendered_apps_are_ruff_clean(rendered_apps, answers):
    app = rendered_apps[answers.removesuffix(".answers.yml")]
    ruff = Path(sys.executable).with_name("ruff")
    for args in (["check", "."], ["format", "--check", "."]):
        done = subprocess.run([str(ruff), *args], cwd=app, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
