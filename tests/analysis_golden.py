"""Golden documents of `scaffold analyze` for every fixture app (REST and SQL, SDK v2 and v3).

`python -m tests.analysis_golden --write` records tests/golden/analysis/<app>/ (the six documents and the JSON);
tests/test_analyze.py re-runs the analysis and compares byte for byte. Analysis only reads the app, so the fixture
folders are analysed in place.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APPS = REPO / "fixtures" / "apps"
GOLDEN = REPO / "tests" / "golden" / "analysis"
FIXTURE_APPS = ("v2_mysql", "v2_parquet_sdk_writers", "v2_tableau", "v2_two_entities", "v3_rest")


def outputs(app: str) -> dict[str, bytes]:
    """What `scaffold analyze` writes for the app (documents by file name) plus its JSON as analysis.json."""
    from connector_scaffold.targets.atlan.analysis.collect import analyze
    from connector_scaffold.targets.atlan.analysis.output import document_files, to_json

    analysis = analyze(APPS / app)
    found = {path.rsplit("/", 1)[-1]: data for path, data in document_files(analysis).items()}
    found["analysis.json"] = to_json(analysis).encode("utf-8")
    return found


def write() -> None:
    for app in FIXTURE_APPS:
        folder = GOLDEN / app
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, data in sorted(outputs(app).items()):
            (folder / name).write_bytes(data)
        print(f"recorded {folder.relative_to(REPO)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.analysis_golden --write")
    write()
