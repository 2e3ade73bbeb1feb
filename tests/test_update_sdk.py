"""Apps (a)-(e) of issue 12, updated from the v1 to the v2 template, then their own suites run against the real
atlan-application-sdk (the incremental app's incremental tests included); a second update changes nothing."""

from __future__ import annotations

import pytest

from tests.sdk_venv import run_app_suite
from tests.update_helpers import BEARER_FILE, Pair, build_pair, commit, make_app, tree, update


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    return build_pair(tmp_path_factory.mktemp("templates"))


@pytest.mark.sdk
@pytest.mark.parametrize("kind", ["a", "b", "c", "d", "e"])
def test_updated_app_passes_its_own_suite(pair, tmp_path, sdk3_venv, kind):
    app = make_app(pair, kind, tmp_path)
    kw = {}
    if kind == "e":
        (tmp_path / "bearer.yml").write_text(BEARER_FILE)
        kw["data_file"] = tmp_path / "bearer.yml"
    code, _, err = update(pair, app, **kw)
    # (c) edits the README line v2 changes: a conflict, marked, exit 1; the code merged cleanly and runs.
    assert code == (1 if kind == "c" else 0), err
    commit(app, "updated")
    after = tree(app)
    again, out, _ = update(pair, app)
    assert again == 0 and out[-1] == "already up to date: nothing to do"
    assert tree(app) == after
    if kind == "d":
        # Its suite below includes the incremental tests add-incremental wrote: they must still be there.
        assert (app / "tests/unit/test_incremental_scenarios.py").is_file()
    passed, summary = run_app_suite(sdk3_venv, app)
    assert passed > 0, summary
