"""The pre-commit hooks, installed by a real pre-commit from a git copy of this repo, as another repo uses them.

pre-commit pip-installs the hook repo (a wheel build, so codemods/ lives inside the installed package) into its own
virtualenv, with its dependencies from the package registry, once per test session.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

CLEAN = (
    "class ExtractionInput(Input):\n    incremental_enabled: bool = False\n    force_full_extraction: bool = False\n"
)
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def git(
    *args: str, cwd: Path, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        env={**os.environ, **GIT_IDENTITY, **(env or {})},
        capture_output=True,
        text=True,
        check=check,
    )


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This repo's working tree (tracked and untracked, minus ignored files), committed to a fresh git repo."""
    copy = tmp_path_factory.mktemp("hooks-repo")
    listed = git("ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=REPO).stdout.split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_symlink():  # src/connector_scaffold/codemods -> ../../codemods stays a link, as git keeps it
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            (copy / name).symlink_to(os.readlink(source))
        elif source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    git("init", "-q", cwd=copy)
    git("add", "-A", cwd=copy)
    git("commit", "-q", "-m", "snapshot", cwd=copy)
    return copy, git("rev-parse", "HEAD", cwd=copy).stdout.strip()


@pytest.fixture
def app_repo(tmp_path: Path, hooks_repo: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory):
    repo_path, rev = hooks_repo
    app = tmp_path / "app-repo"
    (app / "app").mkdir(parents=True)
    config = {
        "repos": [
            {
                "repo": str(repo_path),
                "rev": rev,
                "hooks": [{"id": "scaffold-check"}, {"id": "scaffold-fix", "stages": ["manual"]}],
            }
        ]
    }
    (app / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    (app / "app/models.py").write_text(CLEAN)
    git("init", "-q", cwd=app)
    home = tmp_path_factory.getbasetemp() / "pre-commit-home"
    env = {"PRE_COMMIT_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}

    def pre_commit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args],
            cwd=app,
            env={**os.environ, **GIT_IDENTITY, **env},
            capture_output=True,
            text=True,
            check=False,
        )

    return app, pre_commit, env


def test_hooks_file_declares_both_hooks():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"scaffold-check", "scaffold-fix"}
    for hook in hooks.values():
        assert (hook["language"], hook["types"], hook["require_serial"]) == ("python", ["python"], True)
    assert hooks["scaffold-check"]["entry"] == "scaffold check"
    assert hooks["scaffold-fix"]["entry"] == "scaffold fix"


def test_run_all_files_passes_on_a_clean_repo(app_repo):
    app, pre_commit, env = app_repo
    git("add", "-A", cwd=app)
    done = pre_commit("run", "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"scaffold check\.+Passed", done.stdout)
    # pre-commit pip-installed the wheel: the rules ran from codemods/ inside the installed package.
    installed = list(Path(env["PRE_COMMIT_HOME"]).glob("repo*/py_env-*/lib/python*/site-packages/connector_scaffold"))
    assert len(installed) == 1
    assert (installed[0] / "codemods" / "lint" / "engine.py").is_file()
    assert list((installed[0] / "codemods" / "rules").glob("scf001_*.py"))


def test_a_commit_turning_incremental_on_by_default_is_stopped_and_fix_repairs_it(app_repo):
    app, pre_commit, env = app_repo
    git("add", "-A", cwd=app)
    assert pre_commit("install").returncode == 0
    git("commit", "-q", "-m", "clean model", cwd=app, env=env)

    wanted = CLEAN + "    marker_offset_hours: float = 2.0\n"
    (app / "app/models.py").write_text(
        wanted.replace("incremental_enabled: bool = False", "incremental_enabled: bool = True")
    )
    git("add", "app/models.py", cwd=app)
    stopped = git("commit", "-m", "turn incremental on", cwd=app, env=env, check=False)
    assert stopped.returncode != 0
    findings = [line for line in (stopped.stdout + stopped.stderr).splitlines() if re.search(r"\bSCF\d{3}\b", line)]
    assert findings == ["app/models.py:2:33: SCF001 [*] incremental flag must default to False"]

    fixed = pre_commit("run", "scaffold-fix", "--hook-stage", "manual", "--all-files")
    assert fixed.returncode == 1  # pre-commit fails a hook that changed files, and says so
    assert "files were modified by this hook" in fixed.stdout
    assert (app / "app/models.py").read_text() == wanted
    assert pre_commit("run", "scaffold-fix", "--hook-stage", "manual", "--all-files").returncode == 0

    git("add", "app/models.py", cwd=app)
    committed = git("commit", "-m", "marker offset, incremental still off", cwd=app, env=env, check=False)
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert re.search(r"scaffold check\.+Passed", committed.stderr + committed.stdout)
