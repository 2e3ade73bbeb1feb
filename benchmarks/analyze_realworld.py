"""`scaffold analyze` on real public Atlan apps: entities, timestamps found, PASS/FAIL/UNKNOWN counts, time.

Not a test; it takes local clone paths (read-only: analysis writes nothing, it runs in memory), e.g.

    python benchmarks/analyze_realworld.py \\
        ../atlan-sample-apps/connectors/anaplan ../atlan-sample-apps/connectors/mysql ../atlan-metabase-app

and prints a Markdown table (cpu time: the machine's load does not move it). `--docs DIR` also writes each app's
documents to DIR/<app>/ (for review).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from connector_scaffold.errors import ScaffoldError
from connector_scaffold.targets.atlan.analysis.collect import analyze
from connector_scaffold.targets.atlan.analysis.documents import counts
from connector_scaffold.targets.atlan.analysis.output import document_files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("apps", nargs="+", type=Path, help="app roots (the folder with pyproject.toml and app/)")
    parser.add_argument("--docs", type=Path, help="write each app's documents to DOCS/<app>/")
    args = parser.parse_args()
    print("| app | type | shape | entities (incremental) | timestamps found | PASS | FAIL | UNKNOWN | cpu time |")
    print("|---|---|---|---|---|---|---|---|---|")
    for root in args.apps:
        start = time.process_time()
        try:
            analysis = analyze(root)
        except ScaffoldError as error:
            print(f"| {root.name} | error: {error} | | | | | | | |")
            continue
        elapsed = time.process_time() - start
        total = counts(analysis.rules)
        incremental = [e.name for e in analysis.entities if e.plan == "incremental"]
        entities = f"{', '.join(e.name for e in analysis.entities)} ({', '.join(incremental) or 'none'})"
        fields = sorted({f"{t.field}" for t in analysis.timestamps if t.role == "update"})
        stamps = f"{len(analysis.timestamps)} sites; update fields: {', '.join(fields) or 'none'}"
        print(
            f"| {root.name} | {analysis.app.kind} | {analysis.app.shape} | {entities} | {stamps} | "
            f"{total['PASS']} | {total['FAIL']} | {total['UNKNOWN']} | {elapsed:.2f}s |"
        )
        if args.docs is not None:
            folder = args.docs / root.name
            folder.mkdir(parents=True, exist_ok=True)
            for path, data in document_files(analysis).items():
                (folder / path.rsplit("/", 1)[-1]).write_bytes(data)


if __name__ == "__main__":
    main()
