"""Apply the incremental codemods to an app's modules in memory; snippets come from the Copier render."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from connector_scaffold.codemods.cst_helpers import (
    attributes_in,
    called_name,
    find_all,
    find_class,
    find_function,
    methods,
)
from connector_scaffold.codemods.errors import NoLoop, NotFound
from connector_scaffold.codemods.incremental import (
    add_methods,
    contract_fields,
    detail_filter,
    imports,
    orchestration,
    register_activities,
    splice,
)
from connector_scaffold.errors import ScaffoldError
from connector_scaffold.targets.atlan.incremental import records
from connector_scaffold.targets.atlan.incremental.anchors import AnchorNotFound, Anchors, UpstreamLink, step_types
from connector_scaffold.targets.atlan.incremental.entities import EntityPlan
from connector_scaffold.targets.atlan.project import AppProject, ClassInfo, task_names

# Steps the SDK base classes define, which the app's own classes do not list.
UPLOAD_STEPS = frozenset({"upload_to_atlan", "run_exit_activities", "upload"})
FRAMEWORK_STEPS = frozenset({"get_workflow_args", "preflight_check", "upload_to_atlan", "upload", "download"})
Change = Callable[[cst.Module], cst.Module]
Update = Callable[..., None]  # (class, change, step=None): a failing change names the step's line when given


class Snippets:
    """The `_scaffold_snippets/*.py` files of the render: code blocks the codemods copy into the app."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.modules = {
            path.split("/", 1)[1].removesuffix(".py"): cst.parse_module(data)
            for path, data in files.items()
            if path.startswith("_scaffold_snippets/")
        }

    def module(self, name: str) -> cst.Module:
        return self.modules[name]

    def cls(self, module: str, name: str) -> cst.ClassDef:
        found = find_class(self.modules[module], name)
        if found is None:
            raise RuntimeError(f"templates/incremental: snippet {module}.{name} is missing")
        return found

    def function(self, module: str, name: str) -> cst.FunctionDef:
        found = find_function(self.modules[module], name)
        if found is None:
            raise RuntimeError(f"templates/incremental: snippet {module}.{name} is missing")
        return found

    def block(
        self, module: str, name: str, names: dict[str, cst.BaseExpression], options: list[cst.Arg]
    ) -> list[cst.BaseStatement]:
        """The statements of snippet function `name`, placeholders replaced, `**STEP_OPTIONS` expanded."""
        statements = [splice.substitute(s, names, options) for s in splice.body_of(self.function(module, name))]
        if not all(isinstance(s, cst.BaseStatement) for s in statements):
            raise RuntimeError(f"templates/incremental: snippet {module}.{name} does not substitute to statements")
        return [s for s in statements if isinstance(s, cst.BaseStatement)]

    def method_names(self, module: str) -> list[str]:
        return [f.name.value for f in methods(self.cls(module, "Snippet"))]


def patch_modules(project: AppProject, plans: list[EntityPlan], snippets: Snippets) -> dict[str, cst.Module]:
    """Every module the command changes, patched; raises ScaffoldError naming file:line when an anchor fails."""
    modules: dict[str, cst.Module] = {}

    def update(info: ClassInfo, change: Change, step: str | None = None) -> None:
        try:
            modules[info.path] = change(modules.get(info.path, project.modules[info.path]))
        except NoLoop as error:
            if step is None:
                raise AnchorNotFound(info.path, info.line, str(error)) from None
            hint = (
                "; a detail step reads the listed records (a loop over them, or an assignment of them it hands to a "
                "helper); a transform is not one: pass --detail-step NAME for the step that does"
            )
            raise AnchorNotFound(info.path, info.method_line(step), f"{error}{hint}", "--detail-step") from None
        except NotFound as error:
            line = info.method_line(step) if step else info.line
            raise AnchorNotFound(info.path, line, str(error)) from None

    if project.shape == "v2":
        _patch_v2(project, plans, snippets, update)
    else:
        _patch_v3(project, plans, snippets, update)
    _patch_contract(project, snippets, update)
    snippet_modules = {"v2": ["v2_activities", "v2_workflow"], "v3": ["v3_app", "v3_run"]}[project.shape]
    sources = [snippets.module(name) for name in [*snippet_modules, "detail_filter", "contract_fields"]]
    for path, module in sorted(modules.items()):
        modules[path] = imports.ensure_imports(module, *sources)
    # A module whose edits were all there already is not a change.
    return {path: module for path, module in modules.items() if module.code != project.modules[path].code}


def _patch_v2(project: AppProject, plans: list[EntityPlan], snippets: Snippets, update: Update) -> None:
    acts, flow = project.activities, project.workflow
    if acts is None or flow is None:
        raise RuntimeError("a v2 project always has its activities and workflow classes")
    update(acts, lambda mod: add_methods.add_methods(mod, acts.name, snippets.cls("v2_activities", "Snippet")))
    update(
        flow,
        lambda mod: register_activities.register_activities(mod, flow.name, snippets.method_names("v2_activities")),
    )
    for plan in plans:
        wrap = snippets.function("detail_filter", f"loop_{plan.name}")
        keep = snippets.function("detail_filter", f"keep_{plan.name}")
        listed = records.listed_reads(project, plan.records)
        for step in plan.anchors.detail_steps:
            update(
                acts,
                lambda mod, s=step, w=wrap, k=keep, r=listed: detail_filter.limit_detail_loop(
                    mod, acts.name, s, w, r, k
                ),
                step,
            )
    update(flow, lambda mod: _wire(project, plans, snippets, mod, "v2_workflow"))


def _patch_v3(project: AppProject, plans: list[EntityPlan], snippets: Snippets, update: Update) -> None:
    app = project.app
    if app is None:
        raise RuntimeError("a v3 project always has its App class")
    update(app, lambda mod: add_methods.add_methods(mod, app.name, snippets.cls("v3_app", "Snippet")))
    for plan in plans:
        wrap = snippets.function("detail_filter", f"loop_{plan.name}")
        keep = snippets.function("detail_filter", f"keep_{plan.name}")
        listed = records.listed_reads(project, plan.records)
        for step in plan.anchors.detail_steps:
            if plan.upstream is not None:
                continue  # run() hands it a file of the changed records: nothing to change in the step itself
            update(
                app,
                lambda mod, s=step, w=wrap, k=keep, r=listed: detail_filter.limit_detail_loop(
                    mod, app.name, s, w, r, k
                ),
                step,
            )
            input_type, output_type = step_types(app, step)
            contract = project.find_class(input_type or "")
            if contract is None:
                raise ScaffoldError(
                    f"{app.path}:{app.method_line(step)}: the input type of {step} is not a class of this app; "
                    "add-incremental hands it the changed ids through a field"
                )
            _check_empty_output(project, app, step, output_type)
            snippet = snippets.cls("contract_fields", f"DetailInput_{plan.name}")
            update(contract, lambda mod, c=contract, sn=snippet: contract_fields.add_fields(mod, c.name, sn))
    update(app, lambda mod: _wire(project, plans, snippets, mod, "v3_run"))


def _check_empty_output(project: AppProject, app: ClassInfo, step: str, output_type: str | None) -> None:
    """A skipped detail task's result is `OutputType()`: refuse when that cannot be built without arguments."""
    seen: set[str] = set()
    pending = [output_type or ""]
    while pending:
        info = project.find_class(pending.pop())
        if info is None or info.name in seen:
            continue  # a class of the SDK: its Output contracts give every field a default
        seen.add(info.name)
        required = contract_fields.required_fields(info.node)
        if required:
            raise ScaffoldError(
                f"{info.path}:{info.line}: {info.name}.{required[0]} has no default, but when no entity changed "
                f"{step} is skipped and its result is an empty {output_type}(); give its fields defaults"
            )
        pending.extend(called_name(b.value).rsplit(".", 1)[-1] for b in info.node.bases)


def _patch_contract(project: AppProject, snippets: Snippets, update: Update) -> None:
    """The args model (v2) or run input (v3) gains the incremental flags, kebab-aliased where the app uses them."""
    target = _args_model(project)
    if target is None:
        return
    kebab = contract_fields.uses_kebab_aliases(target.node)
    snippet = snippets.cls("contract_fields", "KebabSnippet" if kebab else "Snippet")
    update(target, lambda mod: contract_fields.add_fields(mod, target.name, snippet))


def run_input_class(project: AppProject) -> ClassInfo:
    """v3: the class of run()'s (or the @entrypoint's) input; it must be defined in the app."""
    holder, run = project.orchestrator()
    annotation = run.params.params[1].annotation if len(run.params.params) > 1 else None
    name = annotation.annotation.value if annotation and isinstance(annotation.annotation, cst.Name) else ""
    found = project.find_class(name)
    if found is None:
        raise ScaffoldError(
            f"{holder.path}:{holder.method_line(run.name.value)}: the input type of {run.name.value}() is not a "
            "class of this app; add-incremental adds the incremental flags to it"
        )
    return found


def _args_model(project: AppProject) -> ClassInfo | None:
    """v3: the run input class. v2: the app's *Args model, preferring one with kebab aliases (the UI's keys)."""
    if project.shape == "v3":
        return run_input_class(project)
    models = [c for c in project.classes if c.name.endswith(("Args", "Arguments"))]
    kebab = [c for c in models if contract_fields.uses_kebab_aliases(c.node)]
    return next(iter(kebab or models), None)


def _wire(
    project: AppProject, plans: list[EntityPlan], snippets: Snippets, module: cst.Module, name: str
) -> cst.Module:
    holder, run = project.orchestrator()
    run = _current_run(module, holder, run)
    names = _placeholders(project, run, plans[0].anchors)
    first = plans[0].anchors
    options = orchestration.activity_options if project.shape == "v2" else orchestration.step_options
    args_options = options(run, first.args_step) if first.args_step else []
    steps = set(task_names((project.activities or holder).node)) | FRAMEWORK_STEPS

    def block(fn: str, anchor: str) -> list[cst.BaseStatement]:
        return snippets.block(name, fn, names, options(run, anchor))

    marker = snippets.block(name, "after_args", names, args_options)
    if first.args_step:
        run = orchestration.insert_after(run, first.args_step, marker, "read_marker")
    else:
        run = orchestration.insert_at_start(run, marker, "read_marker")
    previous_read = "read_marker"
    for plan in plans:
        a, e = plan.anchors, plan.name
        after_marker = snippets.block(name, f"after_marker_{e}", names, args_options)
        # After the previous entity's read, so the reads run in entity order whichever entity came first.
        run = orchestration.insert_after(run, previous_read, after_marker, f"read_previous_{e}_list")
        previous_read = f"read_previous_{e}_list"
        link = plan.upstream
        if link is not None:
            run = _wire_upstream(run, plan, link, snippets, name, names)
            continue
        run = orchestration.insert_after(run, a.list_step, block(f"after_list_{e}", a.list_step), f"detect_updated_{e}")
        # Backfill goes in before the guard wraps the detail step, so it runs even when nothing changed.
        after_detail = block(f"after_detail_{e}", a.list_step)
        run = orchestration.insert_after(run, a.detail_steps[-1], after_detail, f"backfill_unchanged_{e}")
        guard = next(s for s in snippets.block(name, f"detail_guard_{e}", names, []) if isinstance(s, cst.If))
        for step in a.detail_steps:
            output_type = step_types(project.app, step)[1] if project.app else _v2_skipped_result(module, project, step)
            marker_name = f"changed_{e}_count" if project.shape == "v2" else f"detected_{e}"
            run = orchestration.guard_step(run, step, guard, marker_name, output_type, steps)
            if project.shape == "v3":
                run = orchestration.rewrite_step_argument(run, step, snippets.function(name, f"detail_argument_{e}"))
    # An SDK upload step uploads only with ENABLE_ATLAN_UPLOAD; a step named by --persist-after uploads nothing.
    after_upload = block("after_upload" if first.upload_step in UPLOAD_STEPS else "after_step", first.upload_step)
    # After the last upload (the output, then run metadata, ...): state only for a run that is wholly uploaded.
    if first.upload_step in UPLOAD_STEPS:
        run = orchestration.insert_after(run, first.upload_step, after_upload, "persist_incremental_state", last=True)
    else:
        run = orchestration.insert_after_step(run, first.upload_step, after_upload, "persist_incremental_state")
    return _replace_run(module, holder, run)


def _v2_skipped_result(module: cst.Module, project: AppProject, step: str) -> str:
    """What a skipped v2 detail activity's result is: its declared return type when the workflow module has
    that name and it builds without arguments (the SDK's ActivityStatistics does), else an empty dict."""
    declared = step_types(project.activities, step)[1] if project.activities else None
    bound = {
        alias.evaluated_alias or alias.evaluated_name
        for node in find_all(module, cst.ImportFrom)
        if not isinstance(node.names, cst.ImportStar)
        for alias in node.names
    }
    return declared if declared and declared in bound else "dict"


def _wire_upstream(
    run: cst.FunctionDef,
    plan: EntityPlan,
    link: UpstreamLink,
    snippets: Snippets,
    module: str,
    names: dict[str, cst.BaseExpression],
) -> cst.FunctionDef:
    """Detect after the list step on its output file; the detail step gets the file of the changed records (empty
    when none changed: it then makes no request); the backfill adds the unchanged ones' details to its output."""
    a, e = plan.anchors, plan.name
    detail = a.detail_steps[0]
    new_file = cst.parse_expression(f"backfilled_{e}.records")
    head, *path = link.detailed.split(".")
    rebound: cst.BaseExpression = new_file
    for depth in range(len(path) - 1, -1, -1):
        owner = cst.parse_expression(".".join([head, *path[:depth]]))
        update = cst.Dict([cst.DictElement(cst.SimpleString(f'"{path[depth]}"'), rebound)])
        rebound = cst.Call(cst.Attribute(owner, cst.Name("model_copy")), [cst.Arg(update, keyword=cst.Name("update"))])
    local = {
        **names,
        "LISTED": cst.parse_expression(link.listed),
        "DETAILED": cst.parse_expression(link.detailed),
        "DETAIL_TARGET": cst.Name(link.detail_target),
        "REBOUND": rebound,
    }
    after_list = snippets.block(module, f"after_list_{e}", local, [])
    run = orchestration.insert_after(run, a.list_step, after_list, f"detect_updated_{e}")
    argument = snippets.function(module, f"upstream_argument_{e}")
    run = orchestration.replace_in_argument(run, detail, link.key, link.listed, argument, local, f"detected_{e}")
    after_detail = snippets.block(module, f"after_detail_{e}", local, [])
    return orchestration.insert_after(run, detail, after_detail, f"backfill_unchanged_{e}")


def _placeholders(project: AppProject, run: cst.FunctionDef, anchors: Anchors) -> dict[str, cst.BaseExpression]:
    """What the snippets' placeholders stand for: the run input (v3), the workflow args and activities (v2)."""
    if project.shape == "v3":
        return {"RUN_INPUT": cst.Name(run.params.params[1].name.value)}

    for node in find_all(run, cst.Assign) + find_all(run, cst.AnnAssign):
        value = node.value
        if value is None or anchors.args_step not in attributes_in(value):
            continue
        target = node.targets[0].target if isinstance(node, cst.Assign) else node.target
        calls = find_all(value, cst.Call, lambda c: called_name(c.func).endswith(".execute_activity_method"))
        step = calls[0].args[0].value if calls and calls[0].args else None
        if isinstance(target, cst.Name) and isinstance(step, cst.Attribute):
            return {"WORKFLOW_ARGS": target, "ACTIVITIES": step.value}
    raise NotFound(f"the result of {anchors.args_step} is not assigned to a name in run()")


def _holder(module: cst.Module, holder: ClassInfo) -> cst.ClassDef:
    """The orchestrating class in the module as patched so far (earlier changes may have replaced its node)."""
    cls = find_class(module, holder.name)
    if cls is None:
        raise RuntimeError(f"{holder.name} vanished from {holder.path} while patching")
    return cls


def _current_run(module: cst.Module, holder: ClassInfo, run: cst.FunctionDef) -> cst.FunctionDef:
    cls = _holder(module, holder)
    return next(f for f in methods(cls) if f.name.value == run.name.value)


def _replace_run(module: cst.Module, holder: ClassInfo, run: cst.FunctionDef) -> cst.Module:
    cls = _holder(module, holder)
    body = [run if isinstance(s, cst.FunctionDef) and s.name.value == run.name.value else s for s in cls.body.body]
    new_cls = cls.with_changes(body=cls.body.with_changes(body=body))
    return module.with_changes(body=[new_cls if s is cls else s for s in module.body])
