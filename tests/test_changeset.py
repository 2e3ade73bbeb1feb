from __future__ import annotations

import os

import pytest

from connector_scaffold.changeset import ChangeSet, Status
from connector_scaffold.errors import ConflictError, ScaffoldError


def test_statuses_and_report(tmp_path):
    (tmp_path / "same.txt").write_bytes(b"x\n")
    (tmp_path / "old.txt").write_bytes(b"old\n")
    (tmp_path / "gone.txt").write_bytes(b"bye\n")
    changes = ChangeSet(tmp_path)
    changes.put("same.txt", b"x\n")
    changes.put("old.txt", b"new\n")
    changes.put("pkg/new.py", b"x = 1\n")
    changes.delete("gone.txt")
    assert {c.path: c.status for c in changes.sorted_changes()} == {
        "gone.txt": Status.delete,
        "old.txt": Status.update,
        "pkg/new.py": Status.create,
        "same.txt": Status.identical,
    }
    assert changes.report()[0].split() == ["delete", "gone.txt"]
    diff = changes.diff()
    assert "--- a/old.txt\n+++ b/old.txt\n" in diff
    assert "+++ b/pkg/new.py" in diff and "+x = 1" in diff
    assert "same.txt" not in diff


def test_apply_writes_everything_and_keeps_modes(tmp_path):
    script = tmp_path / "run.sh"
    script.write_bytes(b"old")
    os.chmod(script, 0o755)
    changes = ChangeSet(tmp_path)
    changes.put("run.sh", b"new")
    changes.put("a/b/c.py", b"y = 2\n")
    changes.delete("missing.txt")  # nothing to delete: not recorded
    written = changes.apply()
    assert written == ["a/b/c.py", "run.sh"]
    assert script.read_bytes() == b"new" and os.stat(script).st_mode & 0o777 == 0o755
    assert (tmp_path / "a/b/c.py").read_bytes() == b"y = 2\n"
    assert not list(tmp_path.rglob("*.tmp"))


def test_python_that_does_not_compile_writes_nothing(tmp_path):
    changes = ChangeSet(tmp_path / "dest")
    changes.put("ok.txt", b"fine")
    changes.put("bad.py", b"def f(:\n")
    with pytest.raises(ScaffoldError, match=r"bad.py:1: generated code does not compile"):
        changes.apply()
    assert not (tmp_path / "dest").exists()


def test_conflicts_refuse_the_whole_change(tmp_path):
    (tmp_path / "mine.txt").write_bytes(b"user content")
    changes = ChangeSet(tmp_path)
    changes.put("new.txt", b"n")
    changes.put("mine.txt", b"template content", overwrite=False)
    assert changes.by_status(Status.conflict) == ["mine.txt"]
    with pytest.raises(ConflictError):
        changes.apply()
    assert not (tmp_path / "new.txt").exists()
    assert (tmp_path / "mine.txt").read_bytes() == b"user content"


def test_a_failed_write_leaves_no_trace(tmp_path):
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where a folder is needed")
    changes = ChangeSet(tmp_path)
    changes.put("a/ok.txt", b"1")  # staged first, then rolled back
    changes.put("blocked/inner.txt", b"2")
    with pytest.raises(ScaffoldError, match="nothing written"):
        changes.apply()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked"]


@pytest.mark.parametrize("path", ["../escape.txt", "/etc/passwd", "a/../../b"])
def test_paths_outside_the_root_are_refused(tmp_path, path):
    with pytest.raises(ScaffoldError, match="outside the target folder"):
        ChangeSet(tmp_path).put(path, b"x")


# --- transactional apply: faults, kills, files changed under us -------------------------------------------------

OLD_TREE = {"a.py": b"a = 1\n", "pkg/b.txt": b"old b", "d.txt": b"to delete"}


def _old_tree(root):
    for path, data in OLD_TREE.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)


def _plan(root):
    changes = ChangeSet(root)
    changes.put("a.py", b"a = 2\n")
    changes.put("pkg/b.txt", b"new b")
    changes.put("c.txt", b"new c")
    changes.put("pkg/sub/e.json", b"{}")
    changes.delete("d.txt")
    return changes


NEW_TREE = {"a.py": b"a = 2\n", "pkg/b.txt": b"new b", "c.txt": b"new c", "pkg/sub/e.json": b"{}"}


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def leftovers(root):
    return [p.name for p in root.rglob("*") if ".scaffold-" in p.name or p.name.endswith(".tmp") or "journal" in p.name]


def test_a_whole_apply_leaves_no_journal_backup_or_temp(tmp_path):
    _old_tree(tmp_path)
    _plan(tmp_path).apply()
    assert snapshot(tmp_path) == NEW_TREE
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("failing", range(7))
def test_a_failing_rename_at_any_point_rolls_everything_back(tmp_path, monkeypatch, failing):
    import connector_scaffold.transaction as transaction

    _old_tree(tmp_path)
    changes = _plan(tmp_path)
    real_replace = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == failing + 1:
            raise OSError(30, "Read-only file system", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(transaction.os, "replace", replace)
    with pytest.raises(ScaffoldError, match="nothing written"):
        changes.apply()
    assert snapshot(tmp_path) == OLD_TREE
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "pkg/sub").exists()


@pytest.mark.parametrize("failing", range(4))
def test_no_space_while_staging_leaves_no_partial_temp_file(tmp_path, monkeypatch, failing):
    import errno

    import connector_scaffold.transaction as transaction

    _old_tree(tmp_path)
    changes = _plan(tmp_path)
    real_write = os.write
    calls = []

    def write(fd, data):
        calls.append(fd)
        if len(calls) == failing + 2:  # the first write is the journal's
            real_write(fd, bytes(data)[:1])  # a partial file, as a full disk leaves it
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(transaction.os, "write", write)
    with pytest.raises(ScaffoldError, match="No space left on device; nothing written"):
        changes.apply()
    assert snapshot(tmp_path) == OLD_TREE
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("edit", ["change", "create"])
def test_a_file_changed_after_planning_is_a_conflict_and_nothing_is_written(tmp_path, monkeypatch, edit):
    import connector_scaffold.transaction as transaction

    _old_tree(tmp_path)
    changes = _plan(tmp_path)
    steps = []

    def meanwhile(step):
        steps.append(step)
        if steps.count("rename") == 3:  # a.py and c.txt are renamed by now; the user saves pkg/b.txt / d.txt
            if edit == "change":
                (tmp_path / "pkg/b.txt").write_bytes(b"the user's edit")
            else:
                (tmp_path / "pkg/sub/e.json").write_bytes(b"[1]")

    monkeypatch.setattr(transaction, "checkpoint", meanwhile)
    with pytest.raises(ConflictError, match="while scaffold was running; nothing written"):
        changes.apply()
    expected = dict(OLD_TREE)
    if edit == "change":
        expected["pkg/b.txt"] = b"the user's edit"
    else:
        expected["pkg/sub/e.json"] = b"[1]"
    assert snapshot(tmp_path) == expected
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_new_files_get_the_mode_the_umask_gives(tmp_path, umask):
    previous = os.umask(umask)
    try:
        (tmp_path / "kept.sh").write_bytes(b"old")
        os.chmod(tmp_path / "kept.sh", 0o751)
        changes = ChangeSet(tmp_path)
        changes.put("new.txt", b"n")
        changes.put("kept.sh", b"new")
        changes.apply()
    finally:
        os.umask(previous)
    assert os.stat(tmp_path / "new.txt").st_mode & 0o777 == 0o666 & ~umask
    assert os.stat(tmp_path / "kept.sh").st_mode & 0o777 == 0o751


def test_symlinks_leaving_the_root_are_refused_and_inner_ones_written_through(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"not yours")
    root = tmp_path / "project"
    root.mkdir()
    (root / "escape.txt").symlink_to(outside)
    (root / "linked_dir").symlink_to(tmp_path)
    (root / "real.txt").write_bytes(b"old")
    (root / "inner.txt").symlink_to("real.txt")
    changes = ChangeSet(root)
    for path in ("escape.txt", "linked_dir/outside.txt", "linked_dir/new.txt"):
        with pytest.raises(ScaffoldError, match="symlink leads outside"):
            changes.put(path, b"x")
    changes.put("inner.txt", b"new")
    changes.apply()
    assert outside.read_bytes() == b"not yours"
    assert (root / "inner.txt").is_symlink() and (root / "real.txt").read_bytes() == b"new"


def test_special_files_and_folders_at_a_target_path_are_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "folder.txt").mkdir()
    changes = ChangeSet(tmp_path)
    for path in ("pipe.py", "folder.txt"):
        with pytest.raises(ScaffoldError, match="not a regular file"):
            changes.put(path, b"x = 1\n")


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("pyproject.toml", b'[project]\nname = "a"b"\n', r"pyproject.toml:2: generated TOML does not parse"),
        ("a.yml", b"key: [1\n", r"a.yml:2: generated YAML does not parse"),
        ("w.json", b'{"a": 1,}', r"w.json:1: generated JSON does not parse"),
        ("x.json", b"\xff", r"x.json:1: generated file is not UTF-8"),
        ("m.py", b"x = \n", r"m.py:1: generated code does not compile"),
    ],
)
def test_every_structured_output_is_parsed_back_before_writing(tmp_path, path, data, message):
    changes = ChangeSet(tmp_path)
    changes.put("ok.txt", b"fine")
    changes.put(path, data)
    with pytest.raises(ScaffoldError, match=message):
        changes.apply()
    assert list(tmp_path.iterdir()) == []


def test_yaml_custom_tags_still_parse(tmp_path):
    changes = ChangeSet(tmp_path)
    changes.put(".gitlab-ci.yml", b"job:\n  script: !reference [.setup, script]\n")
    assert changes.apply() == [".gitlab-ci.yml"]


def test_untracked_files_are_conflicts_when_protected(tmp_path):
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "tracked.py").write_bytes(b"x = 1\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "tracked.py"], check=True)
    (tmp_path / "mine.py").write_bytes(b"# my own work\n")
    changes = ChangeSet(tmp_path)
    changes.put("tracked.py", b"x = 2\n")
    changes.put("mine.py", b"generated = True\n")
    changes.put("brand_new.py", b"y = 1\n")
    changes.protect_untracked()
    assert changes.by_status(Status.conflict) == ["mine.py"]
    with pytest.raises(ConflictError, match=r"mine\.py: exists and is not tracked by git"):
        changes.apply()
    assert (tmp_path / "mine.py").read_bytes() == b"# my own work\n"
    assert (tmp_path / "tracked.py").read_bytes() == b"x = 1\n"


def test_protecting_untracked_files_outside_git_changes_nothing(tmp_path):
    (tmp_path / "f.py").write_bytes(b"x = 1\n")
    changes = ChangeSet(tmp_path)
    changes.put("f.py", b"x = 2\n")
    changes.protect_untracked()
    assert changes.by_status(Status.update) == ["f.py"]


_KILLER = """
import os, signal, sys
from pathlib import Path
from connector_scaffold import transaction
from tests.test_changeset import _plan
steps = 0
def kill(step):
    global steps
    steps += 1
    if steps == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)
transaction.checkpoint = kill
_plan(Path(sys.argv[1])).apply()
"""


def test_sigkill_at_every_point_then_the_next_run_recovers(tmp_path):
    """Kill a real process at each step of an apply; the next run leaves the tree fully old or fully new."""
    import subprocess
    import sys
    from pathlib import Path

    from connector_scaffold import transaction

    repo = Path(__file__).resolve().parents[1]
    outcomes = []
    for kill_at in range(1, 60):
        root = tmp_path / f"run{kill_at}"
        root.mkdir()
        _old_tree(root)
        done = subprocess.run([sys.executable, "-c", _KILLER, str(root), str(kill_at)], cwd=repo, check=False)
        if done.returncode == 0:
            assert snapshot(root) == NEW_TREE and leftovers(root) == []
            break
        assert done.returncode == -9
        transaction.recover(root)
        tree = snapshot(root)
        assert tree in (OLD_TREE, NEW_TREE), f"kill at step {kill_at} left a mixed tree: {sorted(tree)}"
        assert leftovers(root) == [], f"kill at step {kill_at} left {leftovers(root)}"
        if tree == OLD_TREE:
            assert not (root / "pkg/sub").exists()
        outcomes.append("old" if tree == OLD_TREE else "new")
    else:
        pytest.fail("the apply never completed")
    # Killed before `committed`: rolled back; after it: finished.
    assert outcomes[0] == "old" and outcomes[-1] == "new" and len(outcomes) > 10


def test_a_hostile_journal_is_refused_not_followed(tmp_path):
    import json

    from connector_scaffold import transaction

    (tmp_path / "precious.txt").write_bytes(b"keep")
    entry = {"path": "../precious.txt", "temp": None, "backup": "../.x.0123456789abcdef.scaffold-old", "new_sha": None}
    journal = {"version": 1, "pid": 999999999, "state": "renaming", "folders": [], "entries": [entry]}
    root = tmp_path / "project"
    root.mkdir()
    (root / transaction.JOURNAL).write_text(json.dumps(journal))
    with pytest.raises(ScaffoldError, match="not a journal this scaffold wrote"):
        ChangeSet(root)
    assert (tmp_path / "precious.txt").read_bytes() == b"keep"
