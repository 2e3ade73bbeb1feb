"""What the guardrails look for, shared by several rules: the incremental flags, calls that persist or read back a
state or marker, and the role the SDK gives a function."""

from __future__ import annotations

import re
from typing import Literal

import libcst as cst

from ..cst_helpers import decorator_names

INCREMENTAL_FLAGS = frozenset({"incremental_enabled", "incremental_extraction"})

# Calls that persist a state or a marker: persist_marker, write_current_state, update_incremental_marker, ...
PERSIST_CALL = re.compile(r"^(persist|save|store|write|commit|update)_\w*(marker|state|watermark)\w*$")
# Calls that read one back: fetch_marker, read_current_state, load_state, ...
STATE_READ_CALL = re.compile(r"^(fetch|read|load|get|download)_\w*(marker|state|watermark)\w*$")

Role = Literal["task", "activity", "orchestrator"]


def role_of(function: cst.FunctionDef, in_class: bool) -> Role | None:
    """What the SDK makes of a method: a v3 @task, a v2 activity, or the orchestration (run / @entrypoint)."""
    names = set(decorator_names(function))
    tails = {name.rpartition(".")[2] for name in names}
    if "task" in tails:
        return "task"
    if "activity.defn" in names:
        return "activity"
    if "entrypoint" in tails or "workflow.run" in names or (in_class and function.name.value == "run"):
        return "orchestrator"
    return None
