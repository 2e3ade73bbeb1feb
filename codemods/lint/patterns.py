"""What the guardrails look for, shared by several rules: the incremental flags, calls that persist or read back a
state or marker, and the role the SDK gives a function."""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import decorator_names
from .vocabulary import INCREMENTAL_FLAGS, PERSIST_CALL, STATE_READ_CALL, Role

__all__ = ["INCREMENTAL_FLAGS", "PERSIST_CALL", "STATE_READ_CALL", "Role", "role_of"]


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
