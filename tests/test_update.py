"""`scaffold update`: the three-way merge, apps (a)-(e) of issue 12 updated from the v1 to the v2 template, the
dry run, the drift check, the release snapshots, and the Lakeflow target. Their own suites: test_update_sdk.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from connector_scaffold.merge import Outcome, merge_trees
from connector_scaffold.releases import UNSTAMPED_VERSION, template_root
from connector_scaffold.render import render_template
from tests.update_helpers import (
    BEARER_FILE,
    ERRORS_ADDITION,
    OVERLAP_NEW,
    OWN_MODULE,
    PRE_COMMIT_ADDITION,
    README_NOTE,
    Pair,
    build_pair,
    commit,
    git,
    make_app,
    releases_of,
    stripe_answers,
    tree,
    update,
    write_tree,
)


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    return build_pair(tmp_path_factory.mktemp("templates"))


def v2_render(pair: Pair, answers: dict[str, object]) -> dict[str, bytes]:
    with releases_of(pair, pair.v2):
        return render_template("atlan-app", answers, source=pair.v2)


def updated_twice(pair: Pair, app: Path, *args: str, **kw: object) -> tuple[int, list[str]]:
    """Update, commit, update again: the second run must change no byte and say so."""
    code, out, _ = update(pair, app, **kw)
    commit(app, "updated")
    after = tree(app)
    again, out2, _ = update(pair, app)
    assert again == 0 and out2[-1] == "already up to date: nothing to do", out2
    assert tree(app) == after
    return code, out


# ---- the merge itself ----------------------------------------------------------------------------------------


def test_merge_decides_each_file_by_who_changed_it():
    base = {"same": b"a\n", "tpl": b"a\nb\nc\n", "both": b"1\n2\n3\n4\n5\n", "clash": b"x\n", "gone": b"g\n"}
    base |= {"gone_edited": b"g\n", "user_deleted": b"d\n"}
    theirs = {"same": b"a\n", "tpl": b"a\nB\nc\n", "both": b"1\nTWO\n3\n4\n5\n", "clash": b"X\n", "new": b"n\n"}
    theirs |= {"user_deleted": b"D\n"}
    ours = {"same": b"edited\n", "tpl": b"a\nb\nc\n", "both": b"1\n2\n3\n4\nFIVE\n", "clash": b"y\n", "gone": b"g\n"}
    ours |= {"gone_edited": b"mine\n", "new": None, "user_deleted": None}
    results = {m.path: m for m in merge_trees(base, theirs, ours, inline=True)}
    assert results["same"].outcome == Outcome.unchanged and results["same"].data == b"edited\n"
    assert (results["tpl"].outcome, results["tpl"].data) == (Outcome.take, b"a\nB\nc\n")
    assert (results["both"].outcome, results["both"].data) == (Outcome.merged, b"1\nTWO\n3\n4\nFIVE\n")
    assert results["clash"].outcome == Outcome.conflict
    assert results["clash"].data == b"<<<<<<< before updating\ny\n=======\nX\n>>>>>>> after updating\n"
    assert results["gone"].outcome == Outcome.delete and results["gone"].data is None
    assert results["gone_edited"].outcome == Outcome.kept and results["gone_edited"].data == b"mine\n"
    assert (results["new"].outcome, results["new"].data) == (Outcome.take, b"n\n")
    assert results["user_deleted"].outcome == Outcome.conflict and b"+D" in (results["user_deleted"].rejected or b"")
    rej = {m.path: m for m in merge_trees(base, theirs, ours, inline=False)}["clash"]
    assert rej.data == b"y\n" and rej.rejected is not None and b"-x\n+X\n" in rej.rejected


# ---- apps (a)-(e) ------------------------------------------------------------------------------------------------


def test_a_unedited_app_becomes_exactly_the_v2_app(pair, tmp_path):
    app = make_app(pair, "a", tmp_path)
    code, out = updated_twice(pair, app)
    assert code == 0
    assert tree(app) == v2_render(pair, stripe_answers())
    assert "  deleted   .pre-commit-config.yaml" in out and "  created   CHANGELOG.md" in out


def test_b_non_overlapping_edits_survive_byte_for_byte(pair, tmp_path):
    app = make_app(pair, "b", tmp_path)
    v1_pre_commit = (app / ".pre-commit-config.yaml").read_bytes()
    code, out = updated_twice(pair, app)
    assert code == 0
    fresh = v2_render(pair, stripe_answers())
    assert (app / "README.md").read_text() == fresh["README.md"].decode() + README_NOTE
    assert (app / "app" / "errors.py").read_text() == fresh["app/errors.py"].decode() + ERRORS_ADDITION
    assert (app / "app" / "team.py").read_text() == OWN_MODULE
    assert (app / ".pre-commit-config.yaml").read_bytes() == v1_pre_commit, "a file v2 dropped but the user edited"
    assert PRE_COMMIT_ADDITION in v1_pre_commit.decode()
    assert any(line.startswith("  kept      .pre-commit-config.yaml") for line in out)
    assert (app / "pyproject.toml").read_bytes() == fresh["pyproject.toml"]


def test_c_overlapping_edit_is_a_listed_conflict_with_markers(pair, tmp_path):
    app = make_app(pair, "c", tmp_path)
    code, out, err = update(pair, app)
    assert code == 1 and "1 conflict" in err[0]
    assert any(line.startswith("  conflict  README.md: 1 conflicting hunk") for line in out)
    readme = (app / "README.md").read_text()
    assert "<<<<<<< before updating\n" in readme and OVERLAP_NEW in readme and "offline, in seconds" in readme
    assert (app / "app" / "errors.py").read_bytes() == v2_render(pair, stripe_answers())["app/errors.py"]


def test_c_rej_mode_keeps_the_users_line_and_writes_the_template_change_aside(pair, tmp_path):
    app = make_app(pair, "c", tmp_path)
    code, out, _ = update(pair, app, conflict="rej")
    assert code == 1 and any("see the .rej file" in line for line in out)
    readme = (app / "README.md").read_text()
    assert OVERLAP_NEW in readme and "<<<<<<<" not in readme
    assert "+The tests run offline, in seconds" in (app / "README.md.rej").read_text()


def test_d_incremental_app_stays_incremental(pair, tmp_path):
    app = make_app(pair, "d", tmp_path)
    before = tree(app)
    code, _ = updated_twice(pair, app)
    assert code == 0
    after = tree(app)
    for path, data in before.items():
        if path.startswith(("app/extracts/incremental", "tests/unit/test_incremental_", ".copier-answers.inc")):
            assert after[path] == data, path
    for path in ("app/connector.py", "app/contracts.py", "app/generated/stripe.json"):
        assert after[path] == before[path], f"{path}: the add-incremental patches must survive"
    assert b"incremental_enabled: bool = False" in after["app/contracts.py"]
    assert b"offline, in seconds" in after["README.md"] and ".pre-commit-config.yaml" not in after


def test_e_auth_change_removes_the_oauth_module(pair, tmp_path):
    app = make_app(pair, "e", tmp_path)
    assert (app / "app" / "oauth.py").is_file()
    (tmp_path / "bearer.yml").write_text(BEARER_FILE)
    code, out = updated_twice(pair, app, data_file=tmp_path / "bearer.yml")
    assert code == 0 and "  deleted   app/oauth.py" in out
    fresh = v2_render(pair, stripe_answers({"type": "bearer"}))
    assert tree(app) == fresh


# ---- dry run, dirty trees, drift check ---------------------------------------------------------------------------


def test_dry_run_prints_the_diff_and_conflicts_and_writes_nothing(pair, tmp_path):
    app = make_app(pair, "c", tmp_path)
    before = tree(app)
    code, out, err = update(pair, app, dry_run=True)
    assert code == 1 and "would have 1 conflict" in err[0]
    assert tree(app) == before
    assert "+<<<<<<< before updating" in out and "+>>>>>>> after updating" in out, "the diff shows the markers"
    assert '-    "tenacity>=9.0,<10",' in out and '+    "tenacity>=9.1,<10",' in out
    assert any(line.startswith("  conflict  README.md") for line in out)


def test_uncommitted_changes_are_refused_unless_allowed(pair, tmp_path):
    app = make_app(pair, "a", tmp_path)
    (app / "README.md").write_text("wip\n")
    with pytest.raises(Exception, match=r"uncommitted changes in README\.md"):
        update(pair, app)
    assert (app / "README.md").read_text() == "wip\n"
    code, _, _ = update(pair, app, allow_dirty=True)
    assert code == 1 and "<<<<<<<" in (app / "README.md").read_text()


def test_check_reports_drift_and_hand_edits(pair, tmp_path):
    app = make_app(pair, "a", tmp_path)
    code, out, _ = update(pair, app, check=True)
    assert code == 1 and "behind: generated from atlan-app 1.0.0" in out[0]
    update(pair, app)
    commit(app, "updated")
    code, out, _ = update(pair, app, check=True)
    assert code == 0 and "up to date" in out[0]
    answers = app / ".copier-answers.yml"
    answers.write_text(answers.read_text().replace("source_name: stripe", "source_name: stripe  # hand edit"))
    code, out, _ = update(pair, app, check=True)
    assert code == 1 and out == [
        "app-a: hand edit in a generated-only file: .copier-answers.yml (it is rewritten on every update)"
    ]


# ---- releases: the real 0.1.0 snapshot, unknown versions ----------------------------------------------------------


def test_an_app_from_release_0_1_0_updates_through_the_cli(cli, tmp_path):
    """Apps written before answers recorded a version came from 0.1.0; its template ships in the package."""
    app = tmp_path / "atlan-stripe-app"
    with template_root("atlan-app", fingerprint_=None, version=None) as old:
        write_tree(app, render_template("atlan-app", stripe_answers(), source=old))
    assert "_scaffold_version" not in (app / ".copier-answers.yml").read_text()
    git(app, "init", "-q")
    commit(app, "0.1.0 app")
    done = cli("update", "--path", str(app))
    assert done.exit_code == 0, done.output
    assert f"atlan-app {UNSTAMPED_VERSION} (" in done.output
    assert tree(app) == render_template("atlan-app", stripe_answers())
    commit(app, "updated")
    again = cli("update", "--path", str(app))
    assert again.exit_code == 0 and "already up to date" in again.output


def test_an_unknown_release_is_named_in_one_line(pair, tmp_path, cli):
    app = make_app(pair, "a", tmp_path)
    answers = app / ".copier-answers.yml"
    text = answers.read_text().replace("_scaffold_version: 1.0.0", "_scaffold_version: 0.0.7")
    answers.write_text(text.replace("_scaffold_fingerprint: ", "_scaffold_fingerprint: 0000"))
    commit(app, "from an older scaffold")
    done = cli("update", "--path", str(app))
    assert done.exit_code == 2 and "connector-scaffold 0.0.7" in done.output and "0.1.0" in done.output
    done = cli("update", "--path", str(make_app(pair, "b", tmp_path)), "--to", "9.9.9")
    assert done.exit_code == 2 and "--to 9.9.9" in done.output


def test_update_outside_a_generated_app_is_bad_usage(cli, tmp_path):
    done = cli("update")
    assert done.exit_code == 2 and "not an app or source generated by scaffold" in done.output


# ---- Lakeflow -----------------------------------------------------------------------------------------------------


def test_lakeflow_source_keeps_edits_and_its_tables(tmp_path, monkeypatch):
    from tests.lakeflow_helpers import new_checkout, scaffold

    checkout = new_checkout(tmp_path / "checkout")
    monkeypatch.chdir(checkout)
    assert scaffold("new-connector", "stripe", "--target", "lakeflow", "--defaults").exit_code == 0
    assert (
        scaffold(
            "add-table",
            "refunds",
            "--list-path",
            "/v1/refunds",
            "--records-key",
            "data",
            "--field",
            "id:string",
            "--field",
            "created:integer",
            "--cursor",
            "created",
        ).exit_code
        == 0
    )
    readme = checkout / "src/databricks/labs/community_connector/sources/stripe/README.md"
    readme.write_text(readme.read_text() + "\nOur notes.\n")
    git(checkout, "init", "-q")
    commit(checkout, "source")
    before = tree(checkout)
    done = scaffold("update", "--path", str(readme.parent))
    assert done.exit_code == 0, done.output
    assert "already up to date" in done.output and tree(checkout) == before
    check = scaffold("update", "--check")
    assert check.exit_code == 0, check.output
    # A dry run executes nothing from the checkout: not even its merge script.
    tripwire = tmp_path / "merge-script-ran"
    script = checkout / "tools/scripts/merge_python_source.py"
    original = script.read_bytes()
    script.write_text(f"open({str(tripwire)!r}, 'w').close()\n")
    dry = scaffold("update", "--dry-run", "--path", str(readme.parent))
    script.write_bytes(original)
    assert dry.exit_code == 0, dry.output
    assert not tripwire.exists(), "update --dry-run ran the checkout's merge script"
    assert tree(checkout) == before


def test_lakeflow_source_from_release_0_1_0_gets_the_new_answers_and_keeps_edits(tmp_path, monkeypatch):
    import yaml

    from connector_scaffold.spec import load_spec
    from connector_scaffold.targets.lakeflow.build import render_source
    from connector_scaffold.targets.lakeflow.tables import stored_tables
    from tests.lakeflow_helpers import new_checkout, scaffold

    checkout = new_checkout(tmp_path / "checkout")
    monkeypatch.chdir(checkout)
    assert scaffold("new-connector", "stripe", "--target", "lakeflow", "--defaults").exit_code == 0
    current = tree(checkout)
    folder = checkout / "src/databricks/labs/community_connector/sources/stripe"
    stored = yaml.safe_load((folder / ".copier-answers.yml").read_text())
    with template_root("lakeflow-source", fingerprint_=None, version=None) as old:
        tables = stored_tables(load_spec(stored["spec"]), stored["tables"], "answers")
        write_tree(checkout, render_source(checkout, "stripe", stored["spec"], tables, old))
    assert "_scaffold_version" not in (folder / ".copier-answers.yml").read_text()
    readme = folder / "README.md"
    readme.write_text(readme.read_text() + "\nOur notes.\n")
    git(checkout, "init", "-q")
    commit(checkout, "a 0.1.0 source, edited")
    done = scaffold("update")
    assert done.exit_code == 0, done.output
    after = tree(checkout)
    # Every file is what today's template writes, except the user's README line, kept on top of it.
    edited = readme.relative_to(checkout).as_posix()
    assert after[edited] == current[edited] + b"\nOur notes.\n"
    assert {path: body for path, body in after.items() if path != edited} == {
        path: body for path, body in current.items() if path != edited
    }
