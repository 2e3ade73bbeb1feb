"""Which template made an app, and how to render that template again: fingerprints, versions, snapshots.

Every render stamps its answers with the tool version and the template's fingerprint (a hash of the template
folder), and the answers file records both. `scaffold update` needs the template an app was generated from to
compute the app's own edits, so the package carries a compact snapshot (a deterministic .tar.xz) of every released
template it can update from, keyed by fingerprint in template_snapshots/index.json. A release adds its snapshots
with `python scripts/snapshot_templates.py VERSION`.
"""

from __future__ import annotations

import hashlib
import io
import json
import lzma
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from connector_scaffold.errors import ScaffoldError

SNAPSHOTS = Path(__file__).resolve().parent / "template_snapshots"
INDEX = "index.json"
# The templates whose apps carry answers `update` can read; `incremental` is replayed at its installed version.
UPDATABLE = ("atlan-app", "lakeflow-source")
# Answers files written before the stamp existed came from the first release.
UNSTAMPED_VERSION = "0.1.0"
_SKIPPED = ("__pycache__",)


@dataclass(frozen=True)
class Release:
    template: str
    version: str
    fingerprint: str
    archive: str


def tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("connector-scaffold")
    except PackageNotFoundError:
        return "0+unknown"


def _template_files(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and path.suffix not in (".pyc", ".pyo") and not set(_SKIPPED) & set(path.parts)
    )


@cache
def fingerprint(root: Path) -> str:
    """sha256 of the template folder (relative paths and bytes), the first 16 hex digits: same files, same id."""
    digest = hashlib.sha256()
    for path in _template_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def releases() -> list[Release]:
    index = SNAPSHOTS / INDEX
    if not index.is_file():
        return []
    return [Release(**entry) for entry in json.loads(index.read_text())]


def stamp(root: Path) -> dict[str, str]:
    """The answers every render records: the release that shipped this template (else this tool's version)."""
    found = fingerprint(root)
    version = next((r.version for r in releases() if r.fingerprint == found), None)
    return {"scaffold_version": version or tool_version(), "template_fingerprint": found}


@contextmanager
def template_root(template: str, *, fingerprint_: str | None, version: str | None) -> Iterator[Path]:
    """The folder of `template` as the release (`version`, `fingerprint_`) shipped it: the installed one when it
    is that, else its snapshot unpacked into a scratch folder. Raises ScaffoldError naming what is missing."""
    from connector_scaffold.paths import template as installed_template

    installed = installed_template(template)
    if fingerprint_ is not None and fingerprint_ == fingerprint(installed):
        yield installed
        return
    release = find_release(template, fingerprint_=fingerprint_, version=version)
    with tempfile.TemporaryDirectory(prefix="scaffold-release-") as scratch:
        folder = Path(scratch) / template
        _unpack(SNAPSHOTS / release.archive, folder)
        if fingerprint(folder) != release.fingerprint:
            raise ScaffoldError(f"the snapshot {release.archive} is damaged (fingerprint mismatch); reinstall")
        yield folder


def find_release(template: str, *, fingerprint_: str | None, version: str | None) -> Release:
    known = [r for r in releases() if r.template == template]
    if fingerprint_ is not None:
        found = next((r for r in known if r.fingerprint == fingerprint_), None)
    else:
        wanted = version or UNSTAMPED_VERSION
        found = next((r for r in known if r.version == wanted), None)
    if found is not None:
        return found
    which = f"connector-scaffold {version or UNSTAMPED_VERSION}" + (
        f" (template {template} {fingerprint_})" if fingerprint_ else ""
    )
    carried = ", ".join(sorted({r.version for r in known})) or "none"
    raise ScaffoldError(
        f"cannot reproduce the template of {which}: this scaffold ({tool_version()}) carries the {template} "
        f"templates of releases {carried} and its own; run the update with the release that generated the app, "
        f"or a newer one that carries it"
    )


def release_for_version(template: str, version: str) -> Release | None:
    return next((r for r in releases() if r.template == template and r.version == version), None)


# ---- writing snapshots (scripts/snapshot_templates.py, at release time) ---------------------------------------


def add_snapshot(template: str, root: Path, version: str) -> Release:
    """Pack `root` (a template folder) as `version`'s snapshot and record it in the index (idempotent)."""
    found = fingerprint(root)
    release = Release(template, version, found, f"{template}-{version}-{found}.tar.xz")
    (SNAPSHOTS / release.archive).write_bytes(_pack(root))
    kept = [r for r in releases() if (r.template, r.version) != (template, version)]
    entries = sorted([*kept, release], key=lambda r: (r.template, r.version))
    (SNAPSHOTS / INDEX).write_text(json.dumps([r.__dict__ for r in entries], indent=2) + "\n")
    return release


def _pack(root: Path) -> bytes:
    # Deterministic: sorted names, no timestamps or owners, so re-packing the same template gives the same bytes.
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path in _template_files(root):
            info = tarfile.TarInfo(path.relative_to(root).as_posix())
            data = path.read_bytes()
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            archive.addfile(info, io.BytesIO(data))
    return lzma.compress(buffer.getvalue(), preset=9 | lzma.PRESET_EXTREME)


def _unpack(archive: Path, folder: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(lzma.decompress(archive.read_bytes())), mode="r") as tar:
        tar.extractall(folder, filter="data")
