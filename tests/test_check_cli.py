"""`scaffold check` / `scaffold fix` as a user runs them: output, exit codes, selection, config, fixes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

MODEL = "class ExtractionInput(Input):\n    incremental_enabled: bool = True\n"
FIXED_MODEL = (
    "class ExtractionInput(Input):\n    incremental_enabled: bool = False\n    force_full_extraction: bool = False\n"
)
EVAL = "value = eval(text)\n"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def lines(result):
    """The finding lines of a text run, without its closing summary."""
    return [line for line in result.output.splitlines() if not line.startswith(("Found ", "All checks passed!"))]


def test_findings_print_like_ruff_and_exit_1(cli, tmp_path):
    write(tmp_path, {"app/models.py": MODEL, "app/run.py": EVAL, "app/clean.py": "x = 1\n"})
    result = cli("check")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "app/models.py:2:5: SCF002 [*] incremental flag without force_full_extraction; "
        "add force_full_extraction: bool = False",
        "app/models.py:2:33: SCF001 [*] incremental flag must default to False",
        "app/run.py:1:9: SCF016 eval/exec; parse data with json or ast.literal_eval instead",
        "Found 3 findings (2 fixable with `scaffold fix`; marked [*]).",
    ]


def test_clean_tree_exits_0_and_says_so(cli, tmp_path):
    write(tmp_path, {"app/clean.py": "x = 1\n"})
    result = cli("check", "app")
    assert (result.exit_code, result.output) == (0, "All checks passed!\n")


def test_json_format(cli, tmp_path):
    write(tmp_path, {"run.py": EVAL})
    result = cli("check", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output) == [
        {
            "path": "run.py",
            "line": 1,
            "column": 9,
            "code": "SCF016",
            "message": "eval/exec; parse data with json or ast.literal_eval instead",
            "fixable": False,
        }
    ]


def test_select_and_ignore_take_codes_and_prefixes(cli, tmp_path):
    write(tmp_path, {"app/models.py": MODEL, "app/run.py": EVAL})
    assert {line.split()[1] for line in lines(cli("check", "--select", "SCF001"))} == {"SCF001"}
    assert {line.split()[1] for line in lines(cli("check", "--select", "SCF00", "--select", "SCF016"))} == {
        "SCF001",
        "SCF002",
        "SCF016",
    }
    assert {line.split()[1] for line in lines(cli("check", "--ignore", "SCF001,SCF002"))} == {"SCF016"}
    assert cli("check", "--ignore", "SCF0").exit_code == 0


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_code_is_a_usage_error(cli, tmp_path, option):
    write(tmp_path, {"run.py": EVAL})
    result = cli("check", option, "XYZ1")
    assert result.exit_code == 2
    assert "unknown rule code 'XYZ1'" in result.output


def test_missing_path_is_a_usage_error(cli):
    result = cli("check", "nowhere.py")
    assert result.exit_code == 2
    assert "nowhere.py: no such file or folder" in result.output


def test_pyproject_configuration(cli, tmp_path):
    write(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.scaffold]\n"
                'ignore = ["SCF002"]\n'
                'exclude = ["generated", "app/legacy/*.py"]\n'
                'per-file-ignores = { "tests/*" = ["SCF016"] }\n'
            ),
            "app/models.py": MODEL,
            "app/legacy/old.py": EVAL,
            "app/generated/api.py": EVAL,
            "tests/test_x.py": EVAL,
        },
    )
    result = cli("check")
    assert lines(result) == ["app/models.py:2:33: SCF001 [*] incremental flag must default to False"]
    # An excluded file stays excluded when named, as pre-commit names every staged file.
    assert cli("check", "app/legacy/old.py").exit_code == 0
    write(tmp_path, {"pyproject.toml": '[tool.scaffold]\nselect = ["SCF016"]\n'})
    assert {line.split()[1] for line in lines(cli("check"))} == {"SCF016"}
    assert lines(cli("check", "--select", "SCF001"))[0].split()[1] == "SCF001"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[tool.scaffold]\nselct = ["SCF001"]\n', "unknown key [tool.scaffold] selct"),
        ('[tool.scaffold]\nselect = "SCF001"\n', "select must be a list of strings"),
        ('[tool.scaffold]\nselect = ["SCF999"]\n', "unknown rule code 'SCF999'"),
        ("[tool.scaffold\n", "not valid TOML"),
    ],
)
def test_bad_configuration_is_a_usage_error(cli, tmp_path, table, message):
    write(tmp_path, {"pyproject.toml": table, "run.py": EVAL})
    result = cli("check")
    assert result.exit_code == 2
    assert message in result.output


def test_a_file_that_does_not_parse_is_reported(cli, tmp_path):
    write(tmp_path, {"broken.py": "def broken(:\n    pass\n", "run.py": EVAL})
    result = cli("check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("broken.py:") and " SCF000 could not parse: " in lines[0]
    assert lines[1].startswith("run.py:1:9: SCF016")


def test_inline_ignore(cli, tmp_path):
    write(tmp_path, {"run.py": "a = eval(x)  # scaffold: ignore[SCF016]\nb = eval(y)  # scaffold: ignore\n"})
    assert cli("check").exit_code == 0


def test_fix_repairs_prints_the_rest_and_is_idempotent(cli, tmp_path):
    write(tmp_path, {"app/models.py": MODEL + EVAL, "app/other.py": "import yaml\nconfig = yaml.load(f)\n"})
    result = cli("fix")
    assert result.exit_code == 0
    assert (tmp_path / "app/models.py").read_text() == FIXED_MODEL + EVAL
    assert (tmp_path / "app/other.py").read_text() == "import yaml\nconfig = yaml.safe_load(f)\n"
    assert "app/models.py:4:9: SCF016 eval/exec" in result.output
    assert "fixed 2 files" in result.output
    before = {path: path.read_bytes() for path in (tmp_path / "app").iterdir()}
    again = cli("fix")
    assert again.exit_code == 0
    assert "fixed" not in again.output
    assert {path: path.read_bytes() for path in (tmp_path / "app").iterdir()} == before
    assert cli("check", "--select", "SCF001,SCF002,SCF015").exit_code == 0


def test_fix_respects_select_and_ignore(cli, tmp_path):
    write(tmp_path, {"models.py": MODEL})
    assert cli("fix", "--select", "SCF001").exit_code == 0
    assert (tmp_path / "models.py").read_text() == MODEL.replace("True", "False")
    assert cli("fix", "--ignore", "SCF002").exit_code == 0
    assert (tmp_path / "models.py").read_text() == MODEL.replace("True", "False")


def test_fix_keeps_file_mode(cli, tmp_path):
    write(tmp_path, {"models.py": MODEL})
    (tmp_path / "models.py").chmod(0o750)
    cli("fix")
    assert (tmp_path / "models.py").stat().st_mode & 0o777 == 0o750


def test_diff_shows_fixes_without_writing(cli, tmp_path):
    write(tmp_path, {"app/models.py": MODEL, "app/run.py": EVAL})
    result = cli("check", "--diff")
    assert result.exit_code == 1
    assert lines(result) == [
        "--- a/app/models.py",
        "+++ b/app/models.py",
        "@@ -1,2 +1,3 @@",
        " class ExtractionInput(Input):",
        "-    incremental_enabled: bool = True",
        "+    incremental_enabled: bool = False",
        "+    force_full_extraction: bool = False",
    ]
    assert (tmp_path / "app/models.py").read_text() == MODEL
    cli("fix")
    assert cli("check", "--diff").exit_code == 0


def test_default_path_skips_virtualenvs_build_output_and_caches(cli, tmp_path):
    skipped = ["env/lib/site.py", "build/lib/x.py", "dist/x.py", ".tox/py/x.py", "pkg.egg-info/x.py", ".cache/x.py"]
    write(tmp_path, {name: EVAL for name in [*skipped, "app/run.py"]})
    (tmp_path / "env/pyvenv.cfg").write_text("home = /usr/bin\n")
    result = cli("check")
    assert [line.split(":")[0] for line in lines(result)] == ["app/run.py"]
    # A folder named on the command line is searched even when its name is a skipped one.
    assert cli("check", "build").output.startswith("build/lib/x.py:1:9: SCF016")


def test_git_ignored_folders_are_skipped(cli, tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(tmp_path, {".gitignore": "generated/\nscratch.py\n", "generated/x.py": EVAL, "scratch.py": EVAL})
    write(tmp_path, {"app/run.py": EVAL, "app/tracked.py": EVAL})
    subprocess.run(["git", "add", "app/tracked.py"], cwd=tmp_path, check=True)
    (tmp_path / "gone.py").write_text(EVAL)
    subprocess.run(["git", "add", "gone.py"], cwd=tmp_path, check=True)
    (tmp_path / "gone.py").unlink()
    result = cli("check")
    assert [line.split(":")[0] for line in lines(result)] == ["app/run.py", "app/tracked.py"]


def test_paths_outside_the_working_directory_print_absolute(cli, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    write(elsewhere, {"run.py": EVAL})
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    result = cli("check", str(elsewhere))
    assert result.output.startswith(f"{elsewhere.resolve()}/run.py:1:9: SCF016")


def test_each_file_takes_its_nearest_config_whatever_the_argument_order(cli, tmp_path):
    write(
        tmp_path,
        {
            "a/pyproject.toml": '[tool.scaffold]\nignore = ["SCF016"]\n',
            "a/run.py": EVAL,
            "b/pyproject.toml": "[project]\nname = 'b'\n",
            "b/run.py": EVAL,
        },
    )
    for order in (("a", "b"), ("b", "a")):
        assert [line.split(":")[0] for line in lines(cli("check", *order))] == ["b/run.py"]


def test_gitwildmatch_globs_and_select_over_config_ignore(cli, tmp_path):
    write(
        tmp_path,
        {
            "pyproject.toml": (
                '[tool.scaffold]\nignore = ["SCF015"]\nper-file-ignores = { "**/scripts/**" = ["SCF001", "SCF002"] }\n'
            ),
            "scripts/models.py": MODEL,
            "app/load.py": "import yaml\ndata = yaml.load(text)\n",
        },
    )
    assert cli("check").output == "All checks passed!\n"
    assert [line.split()[1] for line in lines(cli("check", "--select", "SCF015"))] == ["SCF015"]


def test_empty_select_and_unknown_config_code_are_errors(cli, tmp_path):
    write(tmp_path, {"run.py": EVAL})
    empty = cli("check", "--select", "")
    assert (empty.exit_code, "--select: no rule code given" in empty.output) == (2, True)
    write(tmp_path, {"pyproject.toml": '[tool.scaffold]\nignore = ["SCF999"]\n'})
    bad = cli("check")
    assert bad.exit_code == 2
    assert "pyproject.toml: [tool.scaffold] ignore: unknown rule code 'SCF999'" in bad.output


def test_ignore_comments_are_case_insensitive_and_file_wide(cli, tmp_path):
    write(
        tmp_path,
        {"a.py": "x = eval(y)  # scaffold: ignore[scf016]\n", "b.py": "# scaffold: ignore-file[SCF016]\n" + EVAL},
    )
    assert cli("check").output == "All checks passed!\n"


def test_syntax_error_is_reported_where_python_reports_it(cli, tmp_path):
    write(tmp_path, {"broken.py": "import os\n\n\ndef f(:\n    pass\nx = 1\n"})
    assert lines(cli("check"))[0] == "broken.py:4:7: SCF000 could not parse: invalid syntax"


def test_production_rules_are_quiet_in_tests_unless_asked(cli, tmp_path):
    write(tmp_path, {"tests/e2e/test_api.py": 'import requests\nrequests.get("http://m")\n', "tests/models.py": MODEL})
    assert {line.split()[1] for line in lines(cli("check"))} == {"SCF001", "SCF002"}
    assert {line.split()[1] for line in lines(cli("check", "--include-tests"))} == {"SCF001", "SCF002", "SCF009"}


def test_diff_as_json(cli, tmp_path):
    write(tmp_path, {"app/models.py": MODEL})
    result = cli("check", "--diff", "--output-format", "json")
    assert result.exit_code == 1
    [entry] = json.loads(result.output)
    assert entry["path"] == "app/models.py" and "+    force_full_extraction: bool = False" in entry["diff"]
