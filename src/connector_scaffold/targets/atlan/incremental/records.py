"""Where and how a step writes its records: the folder under the output path and the file format.

Detection and backfill must read what the app really writes: a wrong folder or format reads zero records, the
detail step is skipped and every asset of the entity vanishes. So the step is followed to its writer (its own body
and the app's functions it calls, two levels deep) and the answer is taken only from evidence found there; with
none, add-incremental refuses and names the option that settles it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import libcst as cst

from connector_scaffold.codemods.cst_helpers import called_name, find_all, string_constants, string_value
from connector_scaffold.codemods.incremental.detail_filter import ListedReads
from connector_scaffold.targets.atlan.incremental.anchors import AnchorNotFound, Anchors, plural
from connector_scaffold.targets.atlan.project import AppProject, ClassInfo

if TYPE_CHECKING:
    from connector_scaffold.targets.atlan.incremental.entities import IncrementalEntity

Format = Literal["json", "parquet"]
FORMATS: tuple[Format, ...] = ("json", "parquet")
RAW = "raw"
# Calls that name the format: the SDK's writers (v2 `application_sdk.io`, older `outputs`), pandas, the json modules.
PARQUET_WRITERS = ("ParquetFileWriter", "ParquetOutput", "to_parquet", "write_parquet", "pq.write_table")
JSON_WRITERS = ("JsonFileWriter", "JsonOutput", "json.dumps", "orjson.dumps", "json.dump", "to_json", "jsonl", "ndjson")


@dataclass(frozen=True)
class RecordsLocation:
    path: str  # relative to the output path, "raw/dashboards"
    format: Format


def find_records(
    project: AppProject,
    holder: ClassInfo,
    step: str,
    names: list[str],
    path: str | None = None,
    format: str | None = None,
    what: str = "",
) -> RecordsLocation:
    """The folder and format `step` writes the records of `names[0]` to (`path`/`format` override either)."""
    where = (holder.path, holder.method_line(step))
    method = holder.method(step)
    texts, calls = _reached(project, method) if method is not None else (set(), [])
    found_path = path.strip("/") if path else _folder(texts, names)
    if not found_path:
        raise AnchorNotFound(
            *where,
            f"cannot tell where {step} writes {what or names[0]} records (looked for '{RAW}/{names[0]}' or "
            f"'{RAW}/{plural(names[0])}' in it and the functions it calls); pass --records-path DIR",
            "--records-path",
        )
    found_format = format or _format(calls)
    if found_format not in FORMATS:
        raise AnchorNotFound(
            *where,
            f"cannot tell in which format {step} writes {found_path} (no SDK writer, json or parquet call found); "
            "pass --records-format json|parquet",
            "--records-format",
        )
    return RecordsLocation(found_path, "parquet" if found_format == "parquet" else "json")


def _folder(texts: set[str], names: list[str]) -> str:
    """`raw/<name>` when the code spells it, or spells `raw` and `<name>` apart (`join(out, "raw", name)`)."""
    candidates = list(dict.fromkeys(n for name in names for n in (name, plural(name))))
    for name in candidates:
        if any(t.strip("/") == f"{RAW}/{name}" or t.rstrip("/").endswith(f"/{RAW}/{name}") for t in texts):
            return f"{RAW}/{name}"
    spells_raw = any(t.strip("/") == RAW or t.strip("/").startswith(f"{RAW}/") or f"/{RAW}/" in t for t in texts)
    if spells_raw:
        for name in candidates:
            if name in texts:
                return f"{RAW}/{name}"
    return ""


def _format(calls: list[str]) -> str:
    if any(c.endswith(PARQUET_WRITERS) for c in calls):
        return "parquet"
    if any(c.endswith(JSON_WRITERS) or "json" in c.lower() for c in calls):
        return "json"
    return ""


def _reached(project: AppProject, method: cst.FunctionDef) -> tuple[set[str], list[str]]:
    """String literals (and module-level string constants read) and call names of the method and the app's
    top-level functions it calls, two levels deep."""
    functions = {
        node.name.value: (path, node)
        for path, module in project.modules.items()
        for node in module.body
        if isinstance(node, cst.FunctionDef)
    }
    constants = {
        name: value
        for module in project.modules.values()
        for statement in module.body
        for name, value in string_constants(statement)
    }
    texts: set[str] = set()
    calls: list[str] = []
    pending: list[tuple[cst.FunctionDef, int]] = [(method, 0)]
    seen: set[str] = set()
    while pending:
        node, depth = pending.pop()
        for literal in find_all(node, cst.SimpleString):
            value = string_value(literal)
            if value is not None:
                texts.add(value)
        for formatted in find_all(node, cst.FormattedString):
            texts.update(
                part.value for part in formatted.parts if isinstance(part, cst.FormattedStringText) and part.value
            )
        for name in find_all(node, cst.Name):
            if name.value in constants:
                texts.add(constants[name.value])
            # A writer handed to a thread (`run_in_thread(write_jsonl, path, records)`) is reached like a call.
            if name.value in functions:
                calls.append(name.value)
                if depth < 2 and name.value not in seen:
                    seen.add(name.value)
                    pending.append((functions[name.value][1], depth + 1))
        for call in find_all(node, cst.Call):
            called = called_name(call.func)
            calls.append(called)
            short = called.rsplit(".", 1)[-1]
            if depth < 2 and short in functions and short not in seen:
                seen.add(short)
                pending.append((functions[short][1], depth + 1))
    return texts, calls


def entity_records(project: AppProject, entity: IncrementalEntity, anchors: Anchors) -> dict[str, Any]:
    """The EntityPlan fields of an entity whose steps hand records over through raw folders: where the list
    step writes them, the detail step's folders and format, and the field that links a detail record to its
    entity."""
    holder = project.activities if project.shape == "v2" else project.app
    if holder is None:
        raise RuntimeError("load_project() sets the activities (v2) or the App class (v3) of a REST app")
    listed = find_records(
        project, holder, anchors.list_step, [entity.name], entity.records_path, entity.records_format or None
    )
    detail = anchors.detail_steps[0]
    method = holder.method(detail)
    texts, calls = _reached(project, method) if method is not None else (set(), [])
    if entity.children:
        folders = [find_records(project, holder, detail, [c], None, "json").path for c in entity.children]
    else:
        # A detail step that re-fetches each entity writes `raw/<entity>_details` (or similar): records keyed
        # by the entity's own id.
        own = _folder(texts, [f"{entity.name}_details", f"{entity.name}_detail", f"{plural(entity.name)}_details"])
        written = _written_folders(project, method, entity.name) if method is not None and not own else []
        if not own and not written:
            raise AnchorNotFound(
                holder.path,
                holder.method_line(detail),
                f"cannot tell which raw folders {detail} writes the details of {entity.name} to; pass --children "
                "TYPE,... (the folders under raw/ it writes)",
                "--children",
            )
        folders = [own] if own else written
    detail_format = _format(calls) or listed.format
    keyed_by_own_id = not entity.children and bool(own)
    field = entity.parent_field or (entity.id_field if keyed_by_own_id else _link_field(texts, entity.name))
    return {
        "records": listed,
        "detail_format": detail_format,
        "detail_types": tuple(f.removeprefix(f"{RAW}/") for f in folders),
        "parent_field": field,
    }


def _link_field(texts: set[str], entity: str) -> str:
    """The link field the detail step's code spells (`appGuid`), or "" to let the generated code try the
    usual spellings (`app_id`, `appId`, `app`)."""
    head, *rest = entity.split("_")
    camel = head + "".join(part.title() for part in rest)
    for field in (f"{camel}Guid", f"{entity}_guid", f"{camel}Uuid", f"{entity}_uuid"):
        if field in texts:
            return field
    return ""


def listed_reads(project: AppProject, location: RecordsLocation | None) -> ListedReads:
    """How a detail step's code shows it reads the listed records: their folder's name, and the app's functions
    whose code reaches that folder (`get_app_guids` reading `raw/app`)."""
    if location is None:
        return ListedReads()
    name = location.path.rsplit("/", 1)[-1]
    readers = set()
    for module in project.modules.values():
        for node in module.body:
            if isinstance(node, cst.FunctionDef):
                texts, _ = _reached(project, node)
                if _folder(texts, [name]) == location.path:
                    readers.add(node.name.value)
    return ListedReads({name, location.path}, readers)


def _written_folders(project: AppProject, method: cst.FunctionDef, entity: str) -> list[str]:
    """`raw/<type>` for each type name the step hands to an app function that writes under raw/
    (`write_records(path, "sheet", ...)`), the entity's own folder left out."""
    functions = {
        node.name.value: node
        for module in project.modules.values()
        for node in module.body
        if isinstance(node, cst.FunctionDef)
    }
    found: list[str] = []
    for call in find_all(method.body, cst.Call):
        helper = functions.get(called_name(call.func).rsplit(".", 1)[-1])
        if helper is None:
            continue
        texts, _ = _reached(project, helper)
        if not any(t.strip("/") == RAW or t.strip("/").startswith(f"{RAW}/") for t in texts):
            continue
        for arg in call.args:
            value = string_value(arg.value)
            if value and value.isidentifier() and value not in (entity, plural(entity)):
                found.append(f"{RAW}/{value}")
    return list(dict.fromkeys(found))
