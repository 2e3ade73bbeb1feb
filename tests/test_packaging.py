"""The wheel carries templates/ and codemods/, so `pip install .` alone gives a working `scaffold`."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_wheel_is_self_contained(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("connector_scaffold-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "connector_scaffold/templates/atlan-app/copier.yml" in names
    assert "connector_scaffold/catalog/stripe.yml" in names
    assert any(n.startswith("connector_scaffold/codemods/") for n in names)
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "scaffold = connector_scaffold.cli:main" in entry_points

    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-m", "connector_scaffold.cli", "new-connector", "stripe", "--dry-run"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    listed = [line.split() for line in done.stdout.splitlines()]
    assert ["create", "app/connector.py"] in listed
    # Dot-folders and the SDK 3.x UI folder travel in the wheel too.
    for path in (".github/workflows/tests.yaml", "app/generated/manifest.json", "Dockerfile"):
        assert ["create", path] in listed, path
    # pip byte-compiles the template's plain .py files; their caches must not be rendered.
    assert not [line for line in listed if any("__pycache__" in part or part.endswith(".pyc") for part in line)]
    probe = subprocess.run(
        [sys.executable, "-c", "import connector_scaffold.paths as p; print(p.templates_dir())"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(probe.stdout.strip()).is_relative_to(site)
