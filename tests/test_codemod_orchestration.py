"""codemods/incremental/orchestration.py: the incremental steps wired into run(), each once, around anchors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst
import pytest

from connector_scaffold.codemods import cst_helpers as helpers
from connector_scaffold.codemods.incremental import orchestration, splice
from tests.incremental_helpers import Case, before_after_tests, cases


def run_function(module: cst.Module, class_name: str) -> tuple[cst.ClassDef, cst.FunctionDef]:
    cls = helpers.find_class(module, class_name)
    assert cls is not None, class_name
    return cls, next(f for f in helpers.methods(cls) if f.name.value == "run")


class Snippets:
    """The functions of a case's snippet.py, in the shapes the orchestration functions take."""

    def __init__(self, case: Case) -> None:
        self._case = case

    def body(self, name: str) -> list[cst.BaseStatement]:
        return splice.body_of(self._case.snippet_function(name))

    def function(self, name: str) -> cst.FunctionDef:
        return self._case.snippet_function(name)

    def guard(self, name: str) -> cst.If:
        return next(s for s in splice.body_of(self.function(name)) if isinstance(s, cst.If))


@dataclass(frozen=True)
class OrchestrationCase:
    """One fixtures/codemods/orchestration/<name>/ case: the class whose run() is wired, and the wiring, which calls
    the orchestration functions in the order incremental_patch does for one entity."""

    class_name: str
    wire: Callable[[cst.FunctionDef, Snippets], cst.FunctionDef]


def _v2_workflow(run: cst.FunctionDef, snippet: Snippets) -> cst.FunctionDef:
    """An SDK v2 workflow: execute_activity_method steps, the marker read after get_workflow_args."""
    steps = (
        "get_workflow_args",
        "extract_sites",
        "extract_projects",
        "extract_items",
        "extract_item_details",
        "upload_to_atlan",
    )
    run = orchestration.insert_after(run, "get_workflow_args", snippet.body("after_args"), "read_marker")
    run = orchestration.insert_after(run, "read_marker", snippet.body("after_marker"), "read_previous_item_list")
    run = orchestration.insert_after(run, "extract_items", snippet.body("after_list"), "detect_updated_item")
    run = orchestration.insert_after(
        run, "extract_item_details", snippet.body("after_detail"), "backfill_unchanged_item"
    )
    guard = snippet.guard("detail_guard")
    run = orchestration.guard_step(run, "extract_item_details", guard, "changed_item_count", None, steps)
    return orchestration.insert_after(run, "upload_to_atlan", snippet.body("after_upload"), "persist_incremental_state")


def _v3_run(run: cst.FunctionDef, snippet: Snippets) -> cst.FunctionDef:
    """An SDK v3 App.run(): no args step (the marker is read first), a typed detail output, its argument rewritten."""
    steps = ["extract_dashboards", "extract_dashboard_details", "upload"]
    run = orchestration.insert_at_start(run, snippet.body("after_args"), "read_marker")
    run = orchestration.insert_after(run, "extract_dashboards", snippet.body("after_list"), "detect_updated_dashboard")
    guard = snippet.guard("detail_guard")
    run = orchestration.guard_step(
        run, "extract_dashboard_details", guard, "detected_dashboard", "ExtractOutput", steps
    )
    run = orchestration.rewrite_step_argument(run, "extract_dashboard_details", snippet.function("detail_argument"))
    return orchestration.insert_after(run, "upload", snippet.body("after_upload"), "persist_incremental_state")


def _v3_upstream(run: cst.FunctionDef, snippet: Snippets) -> cst.FunctionDef:
    """An SDK v3 App.run() whose child step reads its parent's records through an `upstream` argument, and which
    uploads more than once (the state is persisted after the last upload)."""
    listed = "invoice_out.batch.records"
    run = orchestration.insert_after(run, "extract_invoice", snippet.body("after_list"), "detect_updated_invoice")
    run = orchestration.replace_in_argument(
        run,
        "extract_line_item",
        "upstream",
        listed,
        snippet.function("upstream_argument"),
        {"LISTED": cst.parse_expression(listed)},
        "detected_invoice",
    )
    run = orchestration.insert_after(
        run, "extract_line_item", snippet.body("after_detail"), "backfill_unchanged_invoice"
    )
    return orchestration.insert_after(
        run, "upload", snippet.body("after_upload"), "persist_incremental_state", last=True
    )


CASES = {
    "v2_workflow": OrchestrationCase("AcmeWorkflow", _v2_workflow),
    "v3_run": OrchestrationCase("AcmeApp", _v3_run),
    "v3_upstream": OrchestrationCase("AcmeApp", _v3_upstream),
}


def apply(case: Case, source: str) -> str:
    wiring = CASES[case.folder.name]
    module = cst.parse_module(source)
    cls, run = run_function(module, wiring.class_name)
    new_cls = cls.deep_replace(run, wiring.wire(run, Snippets(case)))
    return cst.ensure_type(module.deep_replace(cls, new_cls), cst.Module).code


test_before_becomes_after, test_second_run_changes_nothing = before_after_tests("orchestration", apply)


def test_every_case_folder_has_its_wiring_and_no_wiring_lacks_a_folder() -> None:
    assert sorted(CASES) == cases("orchestration")


def parse_run(source: str) -> cst.FunctionDef:
    return cst.ensure_type(cst.parse_module(source).body[0], cst.FunctionDef)


GUARD = cst.ensure_type(cst.parse_statement("if changed:\n    DETAIL_STEP\n"), cst.If)


def test_guarding_a_step_run_together_with_another_is_refused() -> None:
    run = parse_run("async def run(self):\n    await asyncio.gather(self.a.extract_x(), self.a.extract_y())\n")
    with pytest.raises(orchestration.AnchorError, match="runs in one statement with extract_y"):
        orchestration.guard_step(run, "extract_x", GUARD, "changed", None, ["extract_x", "extract_y"])


def test_an_assigned_result_of_unknown_type_is_refused() -> None:
    run = parse_run("async def run(self):\n    out = await self.extract_x(i)\n")
    with pytest.raises(orchestration.AnchorError, match="output type is unknown"):
        orchestration.guard_step(run, "extract_x", GUARD, "changed", None)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("async def run(self):\n    await self.other()\n", r"no statement in run\(\) calls extract_x"),
        ("async def run(self):\n    await self.extract_x()\n    await self.extract_x()\n", "more than once"),
    ],
)
def test_a_missing_or_repeated_anchor_is_an_anchor_error(source: str, message: str) -> None:
    block = [cst.parse_statement("log()\n")]
    with pytest.raises(orchestration.AnchorError, match=message):
        orchestration.insert_after(parse_run(source), "extract_x", block, "log")


def test_step_options_are_the_keywords_of_the_anchor_call() -> None:
    run = parse_run(
        "async def run(self):\n"
        "    await workflow.execute_activity_method(\n"
        "        self.acts.extract_x, args=[a], retry_policy=policy, start_to_close_timeout=t, **timeouts\n"
        "    )\n"
    )
    options = orchestration.step_options(run, "extract_x")
    code = [cst.Module([]).code_for_node(o).rstrip(", \n") for o in options]
    assert code == ["retry_policy=policy", "start_to_close_timeout=t", "**timeouts"]
    assert orchestration.step_options(run, "missing") == []


def test_placeholders_and_step_options_are_substituted() -> None:
    snippet = cst.parse_statement("await run_step(ACTIVITIES.read_marker, args=[WORKFLOW_ARGS], **STEP_OPTIONS)\n")
    options = [cst.Arg(cst.Name("policy"), keyword=cst.Name("retry_policy"))]
    names = {"ACTIVITIES": cst.parse_expression("self.acts"), "WORKFLOW_ARGS": cst.Name("args")}
    done = splice.substitute(snippet, names, options)
    assert cst.Module([done]).code == "await run_step(self.acts.read_marker, args=[args], retry_policy = policy)\n"


def test_the_last_of_several_anchors_in_one_block_is_the_insertion_point() -> None:
    run = parse_run("async def run(self):\n    await self.upload(a)\n    await self.upload(b)\n    return 1\n")
    updated = orchestration.insert_after(run, "upload", [cst.parse_statement("persist()\n")], "persist", last=True)
    assert cst.Module(body=[updated]).code.splitlines()[1:4] == [
        "    await self.upload(a)",
        "    await self.upload(b)",
        "    persist()",
    ]


def test_anchors_in_two_blocks_have_no_last() -> None:
    run = parse_run("async def run(self):\n    await self.upload(a)\n    if x:\n        await self.upload(b)\n")
    with pytest.raises(orchestration.AnchorError, match="more than once"):
        orchestration.insert_after(run, "upload", [cst.parse_statement("persist()\n")], "persist", last=True)


def test_an_upstream_argument_without_the_listed_file_is_refused() -> None:
    run = parse_run('async def run(self):\n    out = await self.extract_y(i.model_copy(update={"upstream": other}))\n')
    wrap = cst.ensure_type(cst.parse_statement("def wrap():\n    return changed or LISTED\n"), cst.FunctionDef)
    with pytest.raises(orchestration.AnchorError, match=r"must name x\.batch\.records once"):
        orchestration.replace_in_argument(run, "extract_y", "upstream", "x.batch.records", wrap, {}, "changed")
