"""Values the spec model lets through (a field name may hold any character but a control one, a description any
text) reach generated code, config and docs only through an escaping filter for the target language: Python
literals via tojson, TOML and YAML via tojson (a JSON string is a valid basic string in both), Markdown
backslash-escaped. Each case tries to break out of its literal and must come back, parsed, as the same value."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from connector_scaffold.render import render_template
from tests.adversarial.harness import PWNED, scaffold
from tests.incremental_helpers import copy_app

BREAKOUTS = {
    "double quote": 'x" + str(__import__("os").system("touch PWNED")) + "',
    "single quote": "x' + str(__import__('os').system('touch PWNED')) + '",
    "triple quotes": 'x""" + __import__("os").system("touch PWNED") + """',
    "backslash before a quote": 'x\\" + __import__("os").system("touch PWNED") #',
    "braces": "{{ 7 * 7 }}{% raw %}{0}{x}",
}


def _module_constants(source: bytes) -> dict[str, Any]:
    """Module-level NAME = value assignments (values as AST); fails when the module calls __import__ anywhere."""
    tree = ast.parse(source)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "__import__"]
    assert not calls, "injected code"
    found: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            found[node.target.id] = _Literal(node.value)
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            found[node.targets[0].id] = _Literal(node.value)
    return found


class _Literal:
    """An assigned value that must be a plain literal equal to what the test expects."""

    def __init__(self, node: ast.expr) -> None:
        self.node = node

    def __eq__(self, other: object) -> bool:
        return bool(ast.literal_eval(self.node) == other)

    def __hash__(self) -> int:
        return 0


def _incremental_answers(value: str) -> dict[str, Any]:
    entity = {
        "name": "invoice",
        "id_field": value,
        "timestamp_field": value,
        "children": [],
        "parent": "",
        "list_step": "extract_invoice",
        "detail_steps": ["fetch_invoice_details"],
        "upstream": "",
        "upstream_path": "",
        "records_path": value,
        "records_format": value,
        "detail_format": value,
        "detail_types": [value],
        "parent_field": value,
    }
    harness = {"app_module": "app.connector", "app_class": "App", "run_input_module": "app.contracts"}
    harness |= {"run_input_class": "In", "app_steps": [], "upload_step": value}
    return {
        "connector": "acme",
        "sdk_major": 3,
        "shape": "v3",
        "connector_type": "REST",
        "evidence": [],
        "harness": harness,
        "marker_offset_hours": 2.0,
        "entities": [entity],
        "persist_after": "",
        "entrypoint": "",
    }


@pytest.mark.parametrize("value", list(BREAKOUTS.values()), ids=list(BREAKOUTS))
def test_the_incremental_template_escapes_every_value_it_writes_into_python(value: str) -> None:
    """Rendered straight from hostile answers (no model in between): the template alone keeps them literals."""
    files = render_template("incremental", _incremental_answers(value), ruff_format=False)
    constants = _module_constants(files["app/extracts/incremental.py"])
    for name in ("ID_FIELD", "TIMESTAMP_FIELD", "RECORDS_PATH", "RECORDS_FORMAT", "DETAIL_FORMAT", "PARENT_FIELD"):
        assert constants[f"INVOICE_{name}"] == value
    assert constants["INVOICE_DETAIL_TYPES"] == (value,)
    for path, data in files.items():
        if path.endswith(".py"):
            compile(data, path, "exec")
            assert b"49" not in data or value != BREAKOUTS["braces"], f"{path}: Jinja evaluated a value"
    scenarios = _module_constants(files["tests/unit/test_incremental_scenarios.py"])
    assert scenarios["UPLOAD_STEP"] == value


@pytest.mark.parametrize("value", [BREAKOUTS["double quote"], BREAKOUTS["triple quotes"]], ids=["quote", "triple"])
def test_add_incremental_writes_a_hostile_timestamp_field_as_data(tmp_path: Path, value: str) -> None:
    """Through the command: the field name is accepted (a JSON key may hold quotes) and written as a literal."""
    app = copy_app("v3_rest", tmp_path / "app")
    outcome = scaffold(
        "add-incremental", "--entity", "dashboard", "--children", "chart", "--timestamp-field", value, cwd=app
    )
    assert outcome.code == 0, outcome.stderr
    constants = _module_constants((app / "app/extracts/incremental.py").read_bytes())
    assert constants["DASHBOARD_TIMESTAMP_FIELD"] == value
    answers = yaml.safe_load((app / ".copier-answers.incremental.yml").read_text(encoding="utf-8"))
    assert answers["entities"][0]["timestamp_field"] == value
    assert not list(tmp_path.rglob(PWNED))


HOSTILE_TEXT = {
    "display_name": "Acme's <b>{{ 7 * 7 }}</b> [x](javascript:alert) # | * _ `",
    "description": "line one\n# A heading\n\"\"\"\n[tool.evil]\nkey = 1\n'''\n"
    "- [link](javascript:x) <script>x</script>",
}


@pytest.fixture(scope="module")
def hostile_text_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("text")
    spec = yaml.safe_load((Path(__file__).parents[2] / "fixtures/specs/generic.answers.yml").read_text())["spec"]
    spec.update(HOSTILE_TEXT)
    (where / "answers.yml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    outcome = scaffold("new-connector", "acme", "--data-file", "answers.yml", "--dest", "out", cwd=where)
    assert outcome.code == 0, outcome.stderr
    return where / "out"


def test_text_the_model_allows_comes_back_unchanged_from_toml_yaml_and_python(hostile_text_app: Path) -> None:
    name, description = HOSTILE_TEXT["display_name"], HOSTILE_TEXT["description"]
    pyproject = tomllib.loads((hostile_text_app / "pyproject.toml").read_text(encoding="utf-8"))
    assert (
        pyproject["project"]["description"]
        == f"Atlan app that extracts {name} metadata, built on the Atlan Application SDK"
    )
    assert "tool" not in pyproject or "evil" not in pyproject["tool"]
    atlan = yaml.safe_load((hostile_text_app / "atlan.yaml").read_text(encoding="utf-8"))
    assert (atlan["display_name"], atlan["description"]) == (name, description)
    assert _module_constants((hostile_text_app / "app/spec.py").read_bytes())["DISPLAY_NAME"] == name
    run_dev = ast.parse((hostile_text_app / "app/run_dev.py").read_bytes())
    literals = {n.value for n in ast.walk(run_dev) if isinstance(n, ast.Constant)}
    assert f"{name} (local)" in literals
    for path in hostile_text_app.rglob("*.py"):
        compile(path.read_bytes(), str(path), "exec")


def test_markdown_shows_hostile_text_literally(hostile_text_app: Path) -> None:
    readme = (hostile_text_app / "README.md").read_text(encoding="utf-8")
    assert (
        readme.splitlines()[0]
        == "# Acme's \\<b\\>{{ 7 \\* 7 }}\\</b\\> \\[x\\](javascript:alert) \\# \\| \\* \\_ \\` app for Atlan"
    )
    # The description's own lines cannot open a heading, a link or an HTML element.
    assert "\n# A heading" not in readme and "\\# A heading" in readme
    assert "<script>" not in readme and "](javascript:x)" not in readme.replace("\\](javascript:x)", "")
