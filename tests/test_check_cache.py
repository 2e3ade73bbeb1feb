"""The findings cache: keyed by content and rule-set version, bypassed by --no-cache, and libcst-free when warm;
a cold run imports libcst only for a file the ast path hands to the libcst engine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from connector_scaffold.check import cache as cache_module
from connector_scaffold.paths import codemods_dir

EVAL = "value = eval(text)\n"
FLAG = "class In(Input):\n    incremental_enabled: bool = True\n    force_full_extraction: bool = False\n"

# Runs `scaffold ARGS` in a fresh interpreter and reports its exit code and which heavy modules it imported.
_PROBE = """
import json, sys
from connector_scaffold.cli import main
try:
    main(sys.argv[1:])
except SystemExit as done:
    code = done.code
print(json.dumps({"code": code, "imported": sorted(m for m in ("libcst", "copier", "pydantic") if m in sys.modules)}))
"""


def probe(cwd: Path, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_a_warm_run_does_not_import_libcst(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app/run.py").write_text(EVAL)
    (tmp_path / "app/model.py").write_text(FLAG)
    cold = probe(tmp_path, "check")
    assert cold == {"code": 1, "imported": []}
    warm = probe(tmp_path, "check")
    assert warm == {"code": 1, "imported": []}
    assert probe(tmp_path, "check", "--no-cache") == {"code": 1, "imported": []}
    # One file changes: only it misses the cache, and the findings follow the new content.
    (tmp_path / "app/run.py").write_text("value = 1\n")
    assert probe(tmp_path, "check", "--select", "SCF016") == {"code": 0, "imported": []}
    assert probe(tmp_path, "check", "--select", "SCF001") == {"code": 1, "imported": []}
    # A suppression comment is placed by the libcst engine, and so is a fix being applied.
    (tmp_path / "app/run.py").write_text("value = eval(text)  # scaffold: ignore[SCF016]\n")
    assert probe(tmp_path, "check") == {"code": 1, "imported": ["libcst"]}
    assert probe(tmp_path, "fix") == {"code": 0, "imported": ["libcst"]}


def test_cache_folder_ignores_itself_and_no_cache_writes_nothing(cli, tmp_path):
    (tmp_path / "run.py").write_text(EVAL)
    cli("check", "--no-cache")
    assert not (tmp_path / ".scaffold_cache").exists()
    cli("check")
    folder = tmp_path / ".scaffold_cache"
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    (entry,) = folder.glob("*.json")
    assert entry.stem == cache_module.ruleset_version()


def test_cached_findings_equal_fresh_ones(cli, tmp_path):
    (tmp_path / "run.py").write_text(EVAL + "import yaml\nconfig = yaml.load(f)\n")
    fresh = cli("check", "--no-cache").output
    assert cli("check").output == fresh
    assert cli("check").output == fresh


def test_a_corrupt_cache_is_an_empty_one(cli, tmp_path):
    (tmp_path / "run.py").write_text(EVAL)
    cli("check")
    (entry,) = (tmp_path / ".scaffold_cache").glob("*.json")
    entry.write_text("{not json")
    assert cli("check").exit_code == 1
    assert json.loads(entry.read_text())


def test_rule_set_version_follows_the_rule_sources(tmp_path, monkeypatch):
    copy = tmp_path / "codemods"
    shutil.copytree(codemods_dir(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "codemods_dir", lambda: copy)
    before = cache_module.ruleset_version()
    assert cache_module.ruleset_version() == before
    rule = next((copy / "rules").glob("scf016_*.py"))
    rule.write_text(rule.read_text() + "\n# changed\n")
    assert cache_module.ruleset_version() != before
