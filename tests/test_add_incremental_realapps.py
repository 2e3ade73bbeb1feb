"""add-incremental on the shapes of public Atlan apps: records found where and how the app writes them, refusals
that name the option settling them, detail steps limited at their input, state stored only after an upload."""

from __future__ import annotations

import re
from pathlib import Path

import libcst as cst
import pytest
import yaml

from connector_scaffold.codemods.incremental import detail_filter, orchestration
from tests.incremental_helpers import add_incremental, copy_app

PARQUET = ["--entity", "app", "--children", "page", "--persist-after", "transform_data"]


@pytest.fixture
def parquet_app(tmp_path: Path) -> Path:
    return copy_app("v2_parquet_sdk_writers", tmp_path / "planner")


def _answers(app: Path) -> dict:
    return yaml.safe_load((app / ".copier-answers.incremental.yml").read_text())


def test_parquet_records_guid_ids_and_the_link_field_are_found_in_the_code(parquet_app: Path) -> None:
    result = add_incremental(parquet_app, *PARQUET)
    assert result.exit_code == 0, result.output
    entity = _answers(parquet_app)["entities"][0]
    assert (entity["records_path"], entity["records_format"]) == ("raw/app", "parquet")
    assert (entity["detail_types"], entity["detail_format"]) == (["page"], "parquet")
    assert (entity["id_field"], entity["parent_field"]) == ("guid", "appGuid")
    generated = (parquet_app / "app/extracts/incremental.py").read_text()
    assert 'APP_RECORDS_PATH = "raw/app"' in generated and 'APP_RECORDS_FORMAT = "parquet"' in generated


def test_a_detail_step_that_hands_the_listed_records_to_a_helper_is_limited_at_that_input(parquet_app: Path) -> None:
    assert add_incremental(parquet_app, *PARQUET).exit_code == 0
    activities = (parquet_app / "app/activities.py").read_text()
    assert "all_apps = keep_changed_app(await get_app_guids(workflow_args), workflow_args)" in activities
    # The transform's `async for` over parquet batches is not a detail loop: untouched.
    assert "async for frame in reader.read_batches():" in activities
    assert activities.count("select_changed_app(") == 0


def test_no_upload_step_is_refused_naming_persist_after(parquet_app: Path) -> None:
    result = add_incremental(parquet_app, "--entity", "app", "--children", "page")
    assert result.exit_code != 0
    assert re.search(r"app/workflows\.py:\d+: run\(\) calls no upload step .* pass --persist-after STEP", result.output)


def test_persist_after_a_step_run_in_a_loop_goes_after_the_loop(parquet_app: Path) -> None:
    assert add_incremental(parquet_app, *PARQUET).exit_code == 0
    workflow = (parquet_app / "app/workflows.py").read_text()
    loop = workflow.index('for asset_type in ["app", "page"]:')
    persist = workflow.index("persist_incremental_state,")
    body_indent = re.search(r"\n( *)for asset_type", workflow).group(1)
    persist_line = workflow[:persist].rsplit("\n", 3)[-3]
    assert persist > loop
    assert persist_line.startswith(body_indent + "if ") and not persist_line.startswith(body_indent + " ")
    assert _answers(parquet_app)["persist_after"] == "transform_data"


def test_inserted_v2_calls_carry_a_start_to_close_timeout_and_no_anchor_summary(parquet_app: Path) -> None:
    assert add_incremental(parquet_app, *PARQUET).exit_code == 0
    module = cst.parse_module((parquet_app / "app/workflows.py").read_text())
    inserted = [
        call
        for call in _calls(module)
        if any(
            isinstance(a.value, cst.Attribute)
            and a.value.attr.value.startswith(("read_", "detect_", "backfill_", "persist_"))
            for a in call.args[:1]
        )
    ]
    assert len(inserted) == 5
    for call in inserted:
        keywords = {a.keyword.value for a in call.args if a.keyword is not None}
        assert "start_to_close_timeout" in keywords and "summary" not in keywords


def _calls(module: cst.Module) -> list[cst.Call]:
    found: list[cst.Call] = []

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Attribute) and node.func.attr.value == "execute_activity_method":
                found.append(node)

    module.visit(Visitor())
    return found


def test_an_anchor_without_timeouts_gets_the_workflows_default() -> None:
    run = cst.parse_module(
        "async def run(self, a):\n"
        "    await workflow.execute_activity_method(self.x.extract_apps, args=[a], summary='s')\n"
    ).body[0]
    assert isinstance(run, cst.FunctionDef)
    options = orchestration.activity_options(run, "extract_apps")
    code = cst.Module(body=[]).code_for_node(cst.Call(cst.Name("f"), options))
    assert code == "f(start_to_close_timeout = self.default_start_to_close_timeout)"


def test_a_list_step_whose_folder_is_not_spelled_is_refused_naming_records_path(parquet_app: Path) -> None:
    activities = parquet_app / "app/activities.py"
    activities.write_text(
        activities.read_text().replace(
            'setup_parquet_output(workflow_args, "raw/app")', "setup_parquet_output(workflow_args, FOLDER)"
        )
    )
    (parquet_app / "app/__init__.py").write_text("")
    from tests.incremental_helpers import git_commit

    git_commit(parquet_app, "folder from a variable")
    result = add_incremental(parquet_app, *PARQUET)
    assert result.exit_code != 0
    assert "cannot tell where extract_apps writes app records" in result.output
    assert "pass --records-path DIR" in result.output
    again = add_incremental(parquet_app, *PARQUET, "--records-path", "raw/app", "--records-format", "parquet")
    assert again.exit_code == 0, again.output
    assert _answers(parquet_app)["entities"][0]["records_path"] == "raw/app"


def test_a_second_run_changes_nothing_and_a_dry_run_writes_nothing(parquet_app: Path) -> None:
    from tests.incremental_helpers import snapshot

    before = snapshot(parquet_app)
    assert add_incremental(parquet_app, *PARQUET, "--dry-run").exit_code == 0
    assert snapshot(parquet_app) == before
    assert add_incremental(parquet_app, *PARQUET).exit_code == 0
    written = snapshot(parquet_app)
    assert "nothing to do" in add_incremental(parquet_app, *PARQUET, "--allow-dirty").output
    assert snapshot(parquet_app) == written


WRAP = cst.parse_module("def loop_app():\n    return select_changed_app(ITERABLE, DETAIL_ARGS)\n").body[0]
KEEP = cst.parse_module("def keep_app():\n    return keep_changed_app(ITERABLE, DETAIL_ARGS)\n").body[0]


def _limit(source: str, literals: set[str], readers: set[str] = set()) -> str:  # noqa: B006
    assert isinstance(WRAP, cst.FunctionDef) and isinstance(KEEP, cst.FunctionDef)
    reads = detail_filter.ListedReads(literals, readers)
    return detail_filter.limit_detail_loop(cst.parse_module(source), "A", "step", WRAP, reads, KEEP).code


def test_an_async_for_over_batches_is_not_a_detail_loop() -> None:
    source = (
        "class A:\n    async def step(self, args):\n        reader = Reader(os.path.join(args['o'], 'raw', typename))\n"
        "        async for batch in reader.read_batches():\n            write(batch)\n"
    )
    with pytest.raises(LookupError, match="has no loop over the listed records"):
        _limit(source, {"app", "raw/app"})


def test_a_loop_over_a_transform_is_not_limited_but_the_listed_one_is() -> None:
    source = (
        "class A:\n    async def step(self, args):\n        for t in transformed(args):\n            pass\n"
        "        source = Path(args['o']) / 'raw' / 'app' / 'apps.json'\n        rows = load(source)\n"
        "        for row in rows:\n            fetch(row)\n"
    )
    patched = _limit(source, {"app"})
    assert "for t in transformed(args):" in patched
    assert "for row in select_changed_app(rows, args):" in patched
    assert _limit(patched, {"app"}) == patched


def test_a_helper_reading_the_listed_records_gets_its_result_limited_once() -> None:
    source = (
        "class A:\n    async def step(self, args):\n        guids = await get_guids(args)\n"
        "        await fetch_all(guids)\n"
    )
    patched = _limit(source, {"app"}, {"get_guids"})
    assert "guids = keep_changed_app(await get_guids(args), args)" in patched
    assert _limit(patched, {"app"}, {"get_guids"}) == patched
