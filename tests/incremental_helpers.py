"""Shared helpers of the add-incremental tests: codemod before/after cases and fixture apps in tmp folders."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import libcst as cst
import pytest
from click.testing import CliRunner, Result

from connector_scaffold.cli import main
from connector_scaffold.codemods import cst_helpers
from tests.conftest import REPO, tree_bytes

CODEMOD_CASES = REPO / "fixtures" / "codemods"
APPS = REPO / "fixtures" / "apps"
# The files fixture apps keep out of their copies: caches a developer's runs leave behind.
_NOT_COPIED = shutil.ignore_patterns("__pycache__", ".pytest_cache", ".ruff_cache", "local")


def cases(codemod_name: str) -> list[str]:
    """The case folders of one codemod: each has before.* and after.*, most a snippet.py and an args.json."""
    return sorted(p.name for p in (CODEMOD_CASES / codemod_name).iterdir() if p.is_dir())


class Case:
    def __init__(self, codemod_name: str, name: str) -> None:
        self.folder = CODEMOD_CASES / codemod_name / name
        args = self.folder / "args.json"
        self.args: dict[str, Any] = json.loads(args.read_text()) if args.is_file() else {}

    def _one(self, stem: str) -> Path:
        found = sorted(self.folder.glob(f"{stem}.*"))
        if len(found) != 1:
            raise FileNotFoundError(f"{self.folder}: expected one {stem}.* file, found {len(found)}")
        return found[0]

    @property
    def before(self) -> str:
        return self._one("before").read_text(encoding="utf-8")

    @property
    def after(self) -> str:
        return self._one("after").read_text(encoding="utf-8")

    def snippet(self) -> cst.Module:
        return cst.parse_module((self.folder / "snippet.py").read_text(encoding="utf-8"))

    def snippet_class(self, name: str = "Snippet") -> cst.ClassDef:
        found = cst_helpers.find_class(self.snippet(), name)
        assert found is not None, f"{self.folder}/snippet.py has no class {name}"
        return found

    def snippet_function(self, name: str) -> cst.FunctionDef:
        found = cst_helpers.find_function(self.snippet(), name)
        assert found is not None, f"{self.folder}/snippet.py has no function {name}"
        return found


def before_after_tests(codemod_name: str, apply: Callable[[Case, str], str]) -> tuple[Callable, Callable]:
    """The two tests every codemod has, over each of its cases: before becomes after (which compiles, for
    Python), and applying it to after changes nothing. Assign them to `test_*` names in the codemod's module."""

    @pytest.mark.parametrize("name", cases(codemod_name))
    def before_becomes_after(name: str) -> None:
        case = Case(codemod_name, name)
        assert apply(case, case.before) == case.after
        if case._one("after").suffix == ".py":
            compile(case.after, name, "exec")

    @pytest.mark.parametrize("name", cases(codemod_name))
    def second_run_changes_nothing(name: str) -> None:
        case = Case(codemod_name, name)
        assert apply(case, case.after) == case.after

    return before_becomes_after, second_run_changes_nothing


def copy_app(name: str, dest: Path, *, git: bool = True) -> Path:
    """A copy of fixtures/apps/<name> at dest, committed in a fresh git repo (a clean tree) unless git=False."""
    shutil.copytree(APPS / name, dest, ignore=_NOT_COPIED)
    if git:
        git_commit(dest, "fixture app")
    return dest


def git_commit(root: Path, message: str) -> None:
    commands = [
        ["git", "init", "--quiet", "--initial-branch=main"],
        ["git", "add", "--all"],
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", message],
    ]
    for command in commands if not (root / ".git").exists() else commands[1:]:
        subprocess.run(command, cwd=root, check=True, capture_output=True)


def add_incremental(app: Path, *args: str) -> Result:
    """`scaffold add-incremental --path APP ARGS` in-process."""
    return CliRunner().invoke(main, ["add-incremental", "--path", str(app), *args], catch_exceptions=False)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of an app tree but git's own."""
    return {path: data for path, data in tree_bytes(root).items() if not path.startswith(".git/")}
