"""Copy the CI files the SDK's `atlan-application-sdk-conformance bootstrap` writes into the atlan-app template.

Conformance C002 compares an app's `.github/` with what bootstrap renders, byte for byte, so the template carries
bootstrap's own output rather than a hand-written imitation. Re-run this when the conformance package (in the SDK
venv) moves, then re-record the golden trees:

    python scripts/vendor_sdk_bootstrap.py /work/sdkcache/sdk-venv-py311
    python -m tests.golden_trees --write

Bootstrap runs in a scratch app named `placeholder`; the one file that names the app (tests.yaml) becomes a Jinja
template, everything else is copied verbatim (Copier copies files without the .jinja suffix as they are).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "templates" / "atlan-app" / "template"
# Bootstrap's agent skill (.claude/) is for Atlan's own tooling, not CI: not vendored.
VENDORED = (".github", "renovate.json")
PLACEHOLDER = "placeholder"
NAMED = {".github/workflows/tests.yaml"}


def bootstrap(venv: Path, scratch: Path) -> None:
    (scratch / "atlan.yaml").write_text(f"name: {PLACEHOLDER}\n")
    subprocess.run(["git", "init", "-q", str(scratch)], check=True)
    tool = venv / "bin" / "atlan-application-sdk-conformance"
    subprocess.run([str(tool), "bootstrap"], cwd=scratch, check=True, stdout=subprocess.DEVNULL)


def templated(text: str) -> str:
    """tests.yaml with the app's names as Jinja and every GitHub `${{ }}` kept literal."""
    raw = "{% raw %}" + text + "{% endraw %}"
    for literal, expression in (
        (f'"atlan-{PLACEHOLDER}-app"', '"{% endraw %}{{ project_name }}{% raw %}"'),
        (f'"{PLACEHOLDER}"', '"{% endraw %}{{ app_name }}{% raw %}"'),
    ):
        if literal not in raw:
            raise SystemExit(f"bootstrap's tests.yaml no longer holds {literal}: update this script")
        raw = raw.replace(literal, expression)
    return raw


def vendor(scratch: Path) -> list[str]:
    for name in VENDORED:
        target = TEMPLATE / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    written = []
    for path in sorted(p for name in VENDORED for p in [scratch / name, *(scratch / name).rglob("*")] if p.is_file()):
        relative = path.relative_to(scratch).as_posix()
        target = TEMPLATE / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative in NAMED:
            target = target.with_name(target.name + ".jinja")
            target.write_text(templated(path.read_text()))
        else:
            shutil.copy2(path, target)
        written.append(target.relative_to(TEMPLATE).as_posix())
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("venv", type=Path, help="a venv with atlan-application-sdk-conformance installed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="scaffold-bootstrap-") as scratch:
        bootstrap(args.venv, Path(scratch))
        for relative in vendor(Path(scratch)):
            print(relative)


if __name__ == "__main__":
    main()
