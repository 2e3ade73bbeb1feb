from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from connector_scaffold.cli import main


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("scaffold ")


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


def test_usage_errors_exit_2():
    result = CliRunner().invoke(main, ["new-connector"])
    assert result.exit_code == 2
    result = CliRunner().invoke(main, ["new-connector", "stripe", "--target", "nowhere"])
    assert result.exit_code == 2
