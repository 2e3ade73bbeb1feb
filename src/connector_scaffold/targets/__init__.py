"""The targets `new-connector --target` can write, by name. Importing this imports no target's heavy modules."""

from __future__ import annotations

from connector_scaffold.errors import ScaffoldError
from connector_scaffold.targets.atlan import AtlanTarget
from connector_scaffold.targets.base import Target
from connector_scaffold.targets.lakeflow import LakeflowTarget

DEFAULT_TARGET = "atlan"
TARGETS: dict[str, Target] = {target.name: target for target in (AtlanTarget(), LakeflowTarget())}


def get_target(name: str) -> Target:
    try:
        return TARGETS[name]
    except KeyError:
        raise ScaffoldError(f"--target {name!r}: not one of {', '.join(TARGETS)}") from None
