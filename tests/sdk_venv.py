"""One venv with the real atlan-application-sdk, built once per test run and reused by every test.

Its requirements are read from a rendered app's own pyproject.toml, so the venv always matches what a
generated app declares. A marker file records them; an existing venv with the same marker is reused
(so a developer's second run skips the install), anything else is rebuilt.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

# The conformance CLI targets SDK v3 only.
EXTRA_TOOLS = ("atlan-application-sdk-conformance",)


def app_requirements(*apps: Path, tools: tuple[str, ...] = EXTRA_TOOLS) -> list[str]:
    """What the apps declare to run their tests (dependencies and `test` extra), merged, plus `tools`."""
    wanted = set(tools)
    for app in apps:
        project = tomllib.loads((app / "pyproject.toml").read_text())["project"]
        wanted.update(project.get("dependencies", []), project.get("optional-dependencies", {}).get("test", []))
    return sorted(wanted)


def ensure_sdk_venv(location: Path, requirements: list[str]) -> Path:
    marker_text = "\n".join([sys.version.split()[0], *requirements]) + "\n"
    marker = location / ".scaffold-requirements"
    python = location / "bin" / "python"
    if python.is_file() and marker.is_file() and marker.read_text() == marker_text:
        return location
    if location.exists():
        shutil.rmtree(location)
    subprocess.run([sys.executable, "-m", "venv", str(location)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *requirements],
        check=True,
        env={**os.environ, "PIP_NO_INPUT": "1"},
    )
    marker.write_text(marker_text)
    return location


def default_location(repo: Path) -> Path:
    configured = os.environ.get("SCAFFOLD_SDK_VENV")
    if configured:
        return Path(configured)
    return repo / ".cache" / f"sdk-venv-py{sys.version_info.major}{sys.version_info.minor}"


def run_in_venv(venv: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run args in cwd with the venv first on PATH and cwd importable, as the app's own README command would."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PYTHONPATH=str(cwd), PATH=f"{venv / 'bin'}:{env.get('PATH', '')}", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900)


def run_app_suite(venv: Path, app: Path) -> tuple[int, str]:
    """(passed count, summary line) of the app's own pytest run; asserts it is green with nothing skipped."""
    done = run_in_venv(venv, [str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"], app)
    lines = [line for line in done.stdout.strip().splitlines() if " passed" in line or " failed" in line]
    summary = lines[-1] if lines else ""
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "skipped" not in summary and "failed" not in summary, summary
    found = re.search(r"(\d+) passed", summary)
    assert found, summary
    return int(found.group(1)), summary
