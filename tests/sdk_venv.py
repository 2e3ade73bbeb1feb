"""One venv with the real atlan-application-sdk, built once per test run and reused by every test.

Its requirements are read from a rendered app's own pyproject.toml, so the venv always matches what a
generated app declares. A marker file records them; an existing venv with the same marker is reused
(so a developer's second run skips the install), anything else is rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

EXTRA_TOOLS = ["atlan-application-sdk-conformance"]


def app_requirements(app: Path) -> list[str]:
    project = tomllib.loads((app / "pyproject.toml").read_text())["project"]
    extras = project.get("optional-dependencies", {})
    return sorted({*project.get("dependencies", []), *extras.get("test", []), *EXTRA_TOOLS})


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


def requirements_digest(requirements: list[str]) -> str:
    return hashlib.sha256("\n".join(requirements).encode()).hexdigest()[:12]
