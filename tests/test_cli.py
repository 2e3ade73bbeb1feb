from __future__ import annotations

import subprocess
import sys
from enum import Enum
from importlib.metadata import version
from typing import Literal, get_args, get_origin

import click
import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from connector_scaffold.cli import AUTH_TYPES, PAGINATION_STYLES, main
from connector_scaffold.spec import Auth, Pagination
from connector_scaffold.targets import DEFAULT_TARGET, TARGETS


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"scaffold {version('connector-scaffold')}\n"


def test_every_command_has_an_example_in_its_help():
    runner = CliRunner()
    assert "Example" in runner.invoke(main, ["--help"]).output
    for name in main.commands:
        output = runner.invoke(main, [name, "--help"]).output
        assert f"scaffold {name}" in output.split("Example", 1)[-1], name


def test_help_does_not_import_copier_or_libcst():
    code = (
        "import sys\n"
        "from connector_scaffold.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "for heavy in ('copier', 'libcst', 'pydantic'):\n"
        "    assert heavy not in sys.modules, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def _spec_choices(model: type[BaseModel], field: str) -> tuple[str, ...]:
    """The values a spec field accepts: the arguments of its Literal, or the values of its enum."""
    annotation = model.model_fields[field].annotation
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    assert isinstance(annotation, type) and issubclass(annotation, Enum), annotation
    return tuple(member.value for member in annotation)


def _option(command: str, name: str) -> click.Option:
    return next(p for p in main.commands[command].params if isinstance(p, click.Option) and p.name == name)


def test_auth_and_pagination_choices_are_the_specs():
    """cli.py copies them so that --help needs no pydantic; they must not drift from spec.py."""
    assert _spec_choices(Auth, "type") == AUTH_TYPES
    assert _spec_choices(Pagination, "style") == PAGINATION_STYLES
    assert tuple(_option("new-connector", "auth").type.choices) == AUTH_TYPES
    assert tuple(_option("new-connector", "pagination").type.choices) == PAGINATION_STYLES


def test_target_choices_are_the_targets_registry():
    target = _option("new-connector", "target")
    assert list(target.type.choices) == list(TARGETS)
    assert target.default == DEFAULT_TARGET
    for registered in TARGETS.values():
        for option in registered.options:
            assert _option("new-connector", option.dest).opts == [option.flag]


def test_a_lakeflow_option_with_the_atlan_target_is_one_line_exit_2_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for extra in (["--table", "customers"], ["--ingestion-type", "customers=cdc"]):
        result = CliRunner().invoke(main, ["new-connector", "stripe", "--defaults", "--target", "atlan", *extra])
        assert result.exit_code == 2
        assert result.stderr == "error: --table and --ingestion-type apply to --target lakeflow only\n"
        assert result.stdout == ""
        assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("chosen", "owner", "flag"),
    [
        (chosen, owner.name, option.flag)
        for chosen in TARGETS
        for owner in TARGETS.values()
        if owner.name != chosen
        for option in owner.options
    ],
)
def test_every_target_option_is_refused_for_the_other_targets(chosen, owner, flag, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["new-connector", "stripe", "--defaults", "--target", chosen, flag, "x"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert f"apply to --target {owner} only" in result.stderr
    assert list(tmp_path.iterdir()) == []
