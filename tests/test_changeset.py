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
