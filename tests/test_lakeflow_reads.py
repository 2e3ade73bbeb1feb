"""Reads are linear in requests: a generated source lists each record once, paging a window across `read_table`
calls with the page token in the offset, so one call makes at most ceil(batch / page size) + 1 requests and N
records cost about N / page size requests in all (issue 10, item 2). Counted against the stand-in simulator."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tests.lakeflow_helpers import PACKAGE, checkout_imports, load_module, new_checkout, scaffold

N = 5_000
BATCH = 100
PAGE_SIZE = 100  # stripe's and github's catalog page size

# (source, table, the options that make it incremental, its cursor's values for record i)
CASES = {
    "stripe cursor paging, append on an epoch cursor, range filters on the server": (
        "stripe",
        "customers",
        ("--table", "customers", "--ingestion-type", "customers=append"),
        lambda i: 1_600_000_000 + i,
    ),
    "github Link-header paging, cdc on an ISO cursor, the window applied to each page": (
        "github",
        "repos",
        (),
        lambda i: f"2024-01-{1 + i // 3600 % 28:02d}T{i // 60 % 60:02d}:{i % 60:02d}:00Z",
    ),
}


def _corpus(path: Path, cursor_field: str, cursor) -> None:
    """N records shaped like the generated corpus's first one, each with its own id and cursor."""
    template = json.loads(path.read_text())[0]
    key = "id"
    records = []
    for i in range(N):
        record = dict(template)
        record[key] = i + 1 if isinstance(template[key], int) else f"rec_{i:05d}"
        record[cursor_field] = cursor(i)
        records.append(record)
    path.write_text(json.dumps(records))


@pytest.mark.parametrize("case", sorted(CASES))
def test_n_records_cost_about_n_over_page_size_requests(tmp_path: Path, case: str) -> None:
    source, table, options, cursor = CASES[case]
    root = new_checkout(tmp_path / "checkout")
    done = scaffold("new-connector", source, "--target", "lakeflow", "--defaults", "--dest", str(root), *options)
    assert done.exit_code == 0, done.output
    specs = root / PACKAGE / "source_simulator" / "specs" / source
    with checkout_imports(root):
        from databricks.labs.community_connector.source_simulator import Simulator

        module = load_module(root / PACKAGE / "sources" / source / f"{source}.py", f"lakeflow_reads_{source}")
        connector_class = next(
            v for k, v in vars(module).items() if k.endswith("LakeflowConnect") and k != "LakeflowConnect"
        )
        cursor_field = module.TABLE_METADATA[table]["cursor_field"]
        _corpus(specs / "corpus" / f"{table}.json", cursor_field, cursor)
        with Simulator(mode="simulate", spec_path=specs / "endpoints.yaml", corpus_dir=specs / "corpus") as sim:
            connector = connector_class({"api_token": "t", "base_url": module.BASE_URL})
            table_options = {"max_records_per_batch": str(BATCH)}
            offset: dict = {}
            ids: list = []
            per_call: list[int] = []
            for _ in range(N):
                before = len(sim.calls)
                records, end = connector.read_table(table, offset, table_options)
                batch = list(records)
                per_call.append(len(sim.calls) - before)
                ids.extend(r["id"] for r in batch)
                assert not batch or end != offset, "a non-empty batch must move the offset"
                if end == offset:
                    break
                offset = end
            else:
                raise AssertionError("the read never settled")
    assert len(ids) == N and len(set(ids)) == N, "every record once"
    assert max(per_call) <= math.ceil(BATCH / PAGE_SIZE) + 1
    # The floor is N / page size; the window's closing check may add one (synthesized future records another).
    assert len(sim.calls) <= N // PAGE_SIZE + 2, len(sim.calls)
