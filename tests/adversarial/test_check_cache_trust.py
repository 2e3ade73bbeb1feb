"""A `.scaffold_cache` file that is corrupt, partial, of another version or shape, or edited to claim a file has no
findings is a miss: `check` and `fix` run cold, report the finding, never crash, and rewrite a valid cache."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from connector_scaffold.check import cache as cache_module
from tests.adversarial.harness import scaffold

EVAL = b"value = eval(text)\n"
KEY = hashlib.sha256(EVAL).hexdigest()


def _digest(entries: Any) -> str:
    return hashlib.sha256(json.dumps(entries, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _signed(entries: Any, **over: Any) -> bytes:
    """A document with a correct digest (what a careless tool or a forger that knows the format would write)."""
    document = {
        "format": "2",
        "version": cache_module.ruleset_version(),
        "digest": _digest(entries),
        "entries": entries,
    }
    return json.dumps({**document, **over}).encode()


MUTATIONS: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda data: data[: len(data) // 2],
    "not JSON": lambda data: b"{not json",
    "empty": lambda data: b"",
    "a list": lambda data: b"[1, 2]",
    "not UTF-8": lambda data: b"\xff\xfe" + data,
    "deeply nested": lambda data: b"[" * 100_000 + b"]" * 100_000,
    "the old format claiming no findings": lambda data: json.dumps({KEY: []}).encode(),
    "another version": lambda data: _signed({KEY: []}, version="0" * 20),
    "another format": lambda data: _signed({KEY: []}, format="1"),
    "edited to claim no findings": lambda data: data.replace(b'"SCF', b'"XCF').replace(b"eval", b"safe"),
    "entries emptied, digest kept": lambda data: json.dumps({**json.loads(data), "entries": {KEY: []}}).encode(),
    "rows of the wrong type": lambda data: _signed({KEY: [["a", 1, "SCF001", "m", True]]}),
    "row too short": lambda data: _signed({KEY: [[1, 1, "SCF001"]]}),
    "rows a mapping": lambda data: _signed({KEY: {"line": 1}}),
    "entries a string": lambda data: _signed("x"),
    "key not a hash": lambda data: _signed({"../../x": []}),
    "unknown code": lambda data: _signed({KEY: [[1, 1, "E501", "m", False]]}),
}


@pytest.mark.parametrize("mutate", list(MUTATIONS.values()), ids=list(MUTATIONS))
def test_an_untrustworthy_cache_is_a_miss(tmp_path: Path, mutate: Callable[[bytes], bytes]) -> None:
    (tmp_path / "run.py").write_bytes(EVAL)
    cold = scaffold("check", cwd=tmp_path)
    assert cold.code == 1 and "SCF" in cold.stdout
    (entry,) = (tmp_path / ".scaffold_cache").glob("*.json")
    entry.write_bytes(mutate(entry.read_bytes()))
    warm = scaffold("check", cwd=tmp_path)
    assert (warm.code, warm.stdout, warm.stderr) == (cold.code, cold.stdout, cold.stderr)
    assert json.loads(entry.read_bytes())["entries"][KEY], "the cache was not rewritten with the finding"


def test_a_folder_where_the_cache_file_goes(tmp_path: Path) -> None:
    (tmp_path / "run.py").write_bytes(EVAL)
    (tmp_path / ".scaffold_cache" / f"{cache_module.ruleset_version()}.json").mkdir(parents=True)
    outcome = scaffold("check", cwd=tmp_path)
    assert outcome.code == 1 and "SCF" in outcome.stdout and "Traceback" not in outcome.stderr


def test_fix_does_not_trust_a_cache_claiming_nothing_to_fix(tmp_path: Path) -> None:
    (tmp_path / "run.py").write_text("import yaml\nconfig = yaml.load(f)\n")
    key = hashlib.sha256((tmp_path / "run.py").read_bytes()).hexdigest()
    scaffold("check", cwd=tmp_path)
    (entry,) = (tmp_path / ".scaffold_cache").glob("*.json")
    document = json.loads(entry.read_bytes())
    document["entries"][key] = []
    entry.write_text(json.dumps(document))
    assert scaffold("fix", cwd=tmp_path).code == 0
    assert "yaml.safe_load(f)" in (tmp_path / "run.py").read_text()
