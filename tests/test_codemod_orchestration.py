"""codemods/incremental/orchestration.py: the incremental steps wired into run(), each once, around anchors."""

from __future__ import annotations

import libcst as cst
import pytest

from connector_scaffold.codemods import cst_helpers as helpers
from connector_scaffold.codemods.incremental import orchestration, splice
from tests.incremental_helpers import Case, before_after_tests


def run_function(module: cst.Module, class_name: str) -> tuple[cst.ClassDef, cst.FunctionDef]:
    cls = helpers.find_class(module, class_name)
    return cls, next(f for f in helpers.methods(cls) if f.name.value == "run")


def wire(case: Case, run: cst.FunctionDef) -> cst.FunctionDef:
    """Apply the case's operations in order, as incremental_patch does for one entity."""
    for op in case.args["operations"]:
        snippet = case.snippet_function(op["snippet"])
        if op["op"] == "insert_after":
            run = orchestration.insert_after(
                run, op["step"], splice.body_of(snippet), op["done"], last=op.get("last", False)
            )
        elif op["op"] == "replace_in_argument":
            names = {"LISTED": cst.parse_expression(op["listed"])}
            run = orchestration.replace_in_argument(
                run, op["step"], op["key"], op["listed"], snippet, names, op["done"]
            )
        elif op["op"] == "insert_at_start":
            run = orchestration.insert_at_start(run, splice.body_of(snippet), op["done"])
        elif op["op"] == "guard_step":
            guard = next(s for s in splice.body_of(snippet) if isinstance(s, cst.If))
            steps = case.args["steps"]
            run = orchestration.guard_step(run, op["step"], guard, op["marker"], op["output_type"], steps)
        elif op["op"] == "rewrite_step_argument":
            run = orchestration.rewrite_step_argument(run, op["step"], snippet)
        else:
            raise ValueError(op["op"])
    return run


def apply(case: Case, source: str) -> str:
    module = cst.parse_module(source)
    cls, run = run_function(module, case.args["class_name"])
    new_cls = cls.deep_replace(run, wire(case, run))
    return module.deep_replace(cls, new_cls).code


test_before_becomes_after, test_second_run_changes_nothing = before_after_tests("orchestration", apply)


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
