"""add-incremental's numbers and names from options or a committed answers file: nan, inf, negative or absurd
offsets and names that are not names are refused with one line, exit 2, the app untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adversarial.harness import assert_refused, leftovers, scaffold, snapshot
from tests.incremental_helpers import copy_app, git_commit

ENTITY = ("--entity", "dashboard", "--children", "chart", "--timestamp-field", "changed_on_utc")

OPTIONS = {
    "nan offset": ["--marker-offset-hours", "nan"],
    "inf offset": ["--marker-offset-hours", "inf"],
    "negative offset": ["--marker-offset-hours", "-1"],
    "absurd offset": ["--marker-offset-hours", "1e300"],
    "offset not a number": ["--marker-offset-hours", "abc"],
    "id field with a newline": ["--id-field", "id\nx = 1"],
    "records path leaving the output": ["--records-path", "../../etc"],
    "list step that is not a name": ["--list-step", "x; import os"],
    "child that is not an entity": ["--children", "chart;x"],
}

STORED = {
    "nan offset": "marker_offset_hours: .nan\n",
    "negative offset": "marker_offset_hours: -5\n",
    "offset not a number": "marker_offset_hours: abc\n",
    "offset a boolean": "marker_offset_hours: true\n",
    "timestamp field with a control character": (
        'entities:\n- {name: dashboard, timestamp_field: "a\\x1bb", list_step: list_dashboards}\n'
    ),
    "entity its parent's name with a newline": 'entities:\n- {name: dashboard, timestamp_field: t, parent: "x\\n"}\n',
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_app("v3_rest", tmp_path_factory.mktemp("pristine") / "app")


def _app(pristine: Path, where: Path) -> Path:
    import shutil

    shutil.copytree(pristine, where, symlinks=True)
    return where


@pytest.mark.parametrize("options", list(OPTIONS.values()), ids=list(OPTIONS))
def test_hostile_options(tmp_path: Path, pristine: Path, options: list[str]) -> None:
    app = _app(pristine, tmp_path / "app")
    before = snapshot(app)
    outcome = scaffold("add-incremental", *ENTITY, *options, cwd=app)
    assert_refused(outcome)
    assert snapshot(app) == before and leftovers(app) == []


@pytest.mark.parametrize("stored", list(STORED.values()), ids=list(STORED))
def test_hostile_stored_answers(tmp_path: Path, pristine: Path, stored: str) -> None:
    app = _app(pristine, tmp_path / "app")
    (app / ".copier-answers.incremental.yml").write_text(stored, encoding="utf-8")
    git_commit(app, "answers")
    before = snapshot(app)
    outcome = scaffold("add-incremental", *ENTITY, cwd=app)
    assert_refused(outcome)
    assert snapshot(app) == before and leftovers(app) == []


def test_a_fifo_named_like_a_module_does_not_block(tmp_path: Path, pristine: Path) -> None:
    import os

    app = _app(pristine, tmp_path / "app")
    os.mkfifo(app / "app" / "pipe.py")
    outcome = scaffold("add-incremental", *ENTITY, "--allow-dirty", cwd=app, timeout=120)
    assert outcome.code == 0, outcome.stderr
    assert (app / "app/extracts/incremental.py").is_file() and leftovers(app) == []
