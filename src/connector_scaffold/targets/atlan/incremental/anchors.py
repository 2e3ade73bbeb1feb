"""Where add-incremental hooks in: the list, detail, upload and workflow-args steps of one entity.

Found by name and structure in the orchestrator (`@workflow.run` or `App.run()`); a missing or ambiguous anchor
is a one-line error naming the orchestrator's file:line and the option that settles it.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from connector_scaffold.codemods.cst_helpers import attributes_in, called_name, find_all
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.targets.atlan.project import AppProject, ClassInfo, task_names


class AnchorNotFound(ScaffoldError):
    """A place add-incremental edits at is missing or ambiguous in the app: nothing is written, and the message
    names the file and line to look at and, when there is one, the option that lets the user say where."""

    def __init__(self, file: str, line: int, problem: str, option: str = "") -> None:
        super().__init__(f"{file}:{line}: {problem}")
        self.file, self.line, self.problem, self.option = file, line, problem, option


@dataclass(frozen=True)
class Anchors:
    list_step: str
    detail_steps: tuple[str, ...]
    upload_step: str
    args_step: str  # "" for v3: the run input is the args


def plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")


def called_steps(run: cst.FunctionDef) -> list[str]:
    """Attribute names called (or handed to execute_activity_method) in the orchestrator, in order."""
    attributes = find_all(run, cst.Attribute)
    return list(dict.fromkeys(node.attr.value for node in attributes))


def find_anchors(
    project: AppProject,
    entity: str,
    children: list[str],
    list_step: str | None,
    detail_steps: list[str],
    persist_after: str | None = None,
) -> Anchors:
    holder, run = project.orchestrator()
    where = (holder.path, holder.method_line(run.name.value))
    steps = called_steps(run)
    listing = _pick(
        where,
        steps,
        [list_step]
        if list_step
        else [
            f"extract_{plural(entity)}",
            f"fetch_{plural(entity)}",
            f"list_{plural(entity)}",
            f"extract_{entity}",
            f"fetch_{entity}",
        ],
        f"the list step of {entity}",
        "--list-step NAME",
    )
    if detail_steps:
        missing = [s for s in detail_steps if s not in steps]
        if missing:
            raise AnchorNotFound(
                *where, f"{run.name.value}() never calls {missing[0]}; check --detail-step", "--detail-step"
            )
        details = tuple(detail_steps)
    else:
        details = _detail_candidates(steps, entity, children, listing)
        if not details:
            raise AnchorNotFound(
                *where,
                f"no detail step of {entity} (extract_{entity}_details, extract_individual_{plural(entity)} "
                f"or a child's extract step) is called in {run.name.value}(); pass --detail-step NAME",
                "--detail-step",
            )
    uploads = ["upload_to_atlan", "run_exit_activities"] if project.shape == "v2" else ["upload"]
    if persist_after:
        owner = project.activities if project.shape == "v2" else project.app
        known = set(task_names(owner.node)) if owner is not None else set()
        if persist_after not in steps or persist_after not in known | {"upload", "run_exit_activities"}:
            raise AnchorNotFound(
                *where,
                f"{run.name.value}() never runs the step {persist_after}; check --persist-after",
                "--persist-after",
            )
        upload = persist_after
    elif not any(u in steps for u in uploads):
        raise AnchorNotFound(
            *where,
            f"{run.name.value}() calls no upload step ({' or '.join(uploads)}): if the platform publishes the "
            "output after the workflow, pass --persist-after STEP (the state is then stored after that step)",
            "--persist-after",
        )
    else:
        upload = _pick(where, steps, uploads, "the upload step", "a call to " + uploads[0])
    args = ""
    if project.shape == "v2":
        args = _pick(where, steps, ["get_workflow_args"], "the workflow-args step", "a get_workflow_args call")
    _check_order(where, run, [s for s in (args, listing, *details, upload) if s])
    return Anchors(listing, details, upload, args)


def _pick(where: tuple[str, int], steps: list[str], candidates: list[str], what: str, option: str) -> str:
    found = [c for c in candidates if c in steps]
    if not found:
        raise AnchorNotFound(
            *where, f"{what} ({' or '.join(candidates[:3])}) is not called here; pass {option}", _option(option)
        )
    if len(found) > 1 and "NAME" in option:
        raise AnchorNotFound(*where, f"{what} is ambiguous ({', '.join(found)}); pass {option}", _option(option))
    return found[0]


def _option(hint: str) -> str:
    """The option in a hint ("--list-step NAME"), "" when the hint asks for code instead ("a call to ...")."""
    return hint.split()[0] if hint.startswith("--") else ""


def _detail_candidates(steps: list[str], entity: str, children: list[str], listing: str) -> tuple[str, ...]:
    named = [
        f"extract_{entity}_details",
        f"extract_{entity}_detail",
        f"fetch_{entity}_details",
        f"extract_individual_{plural(entity)}",
    ]
    for child in children:
        named += [f"extract_{plural(child)}", f"extract_{child}", f"fetch_{plural(child)}", f"fetch_{child}"]
    found = [s for s in named if s in steps]
    if not found and not children:
        found = [s for s in steps if s.startswith((f"extract_{entity}_", f"fetch_{entity}_")) and s != listing]
    return tuple(dict.fromkeys(found))


def _check_order(where: tuple[str, int], run: cst.FunctionDef, order: list[str]) -> None:
    code = cst.Module(body=[run]).code
    positions = [code.find(f".{step}") for step in order]
    if positions != sorted(positions):
        raise AnchorNotFound(
            *where,
            f"steps do not run in the order {' -> '.join(order)}; check --list-step/--detail-step",
            "--list-step",
        )


def step_types(info: ClassInfo, step: str) -> tuple[str | None, str | None]:
    """(input annotation, return annotation) names of a v3 task."""
    function = info.method(step)
    if function is None or len(function.params.params) < 2:
        return None, None
    annotation = function.params.params[1].annotation
    returns = function.returns
    return (
        _name(annotation.annotation) if annotation else None,
        _name(returns.annotation) if returns else None,
    )


def _name(node: cst.BaseExpression) -> str | None:
    return node.value if isinstance(node, cst.Name) else None


@dataclass(frozen=True)
class UpstreamLink:
    """A detail step that takes its list step's output FILE (`x.model_copy(update={"upstream": listed.batch.records})`)
    and loops over it outside the task body: the orchestration hands it a file of the changed records instead."""

    key: str  # the input field that carries the file ("upstream")
    listed: str  # the list step's file expression in run() ("invoice_out.batch.records")
    detail_target: str  # the name the detail step's result is assigned to ("invoice_line_item_out")
    detailed: str  # the detail step's file, the same path on its result ("invoice_line_item_out.batch.records")


def upstream_link(project: AppProject, list_step: str, detail_step: str) -> UpstreamLink | None:
    """v3: the link when `detail_step` has no loop of its own and run() passes it a file of `list_step`'s result."""

    if project.shape != "v3" or project.app is None:
        return None
    method = project.app.method(detail_step)
    if method is None or find_all(method.body, cst.For):
        return None
    _, run = project.orchestrator()
    listed_name = _assigned_name(run, list_step)
    detail_name = _assigned_name(run, detail_step)
    calls = find_all(run, cst.Call, lambda c: called_name(c.func).endswith(f".{detail_step}"))
    if not listed_name or not detail_name or len(calls) != 1:
        return None
    for element in find_all(calls[0], cst.DictElement):
        key = element.key.evaluated_value if isinstance(element.key, cst.SimpleString) else None
        if not isinstance(key, str):  # a field name, never a bytes literal
            continue
        chains = [
            called_name(node)
            for node in find_all(element.value, cst.Attribute)
            if called_name(node).startswith(f"{listed_name}.")
        ]
        if chains:
            listed = max(chains, key=len)
            detailed = detail_name + listed[len(listed_name) :]
            return UpstreamLink(key, listed, detail_name, detailed)
    return None


def _assigned_name(run: cst.FunctionDef, step: str) -> str:

    for node in find_all(run, cst.Assign):
        if step in attributes_in(node.value) and isinstance(node.targets[0].target, cst.Name):
            return node.targets[0].target.value
    return ""
