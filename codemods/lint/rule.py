"""The rule base class: a code, a one-line message, embedded examples, visit_/leave_ methods and an optional fix.

A rule is a plain object whose `visit_<Node>` / `leave_<Node>` methods the engine calls during its single
traversal of a file (children are always visited; return values are ignored). It reports with `self.report`,
passing the fix as a replacement node, or as a function of the already-updated node when fixes may nest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import libcst as cst

Replacement = cst.CSTNode | cst.FlattenSentinel[Any] | cst.RemovalSentinel | Callable[[Any], Any]


@dataclass(frozen=True)
class Invalid:
    """An example the rule must flag; `expected` is the source after `scaffold fix` when the rule fixes it."""

    code: str
    expected: str | None = None


@dataclass(frozen=True)
class Report:
    node: cst.CSTNode  # where the finding points
    code: str
    message: str
    replacement: Replacement | None
    target: cst.CSTNode  # what the replacement replaces: the node itself unless the fix lands beside it


class LintRule:
    CODE: ClassVar[str]
    MESSAGE: ClassVar[str]
    # Where the rule comes from (a guardrail id or seed line); the README table repeats it.
    GUARDRAIL: ClassVar[str]
    # A file whose source contains none of these cannot have a finding, so the rule skips it (empty: never skips).
    KEYWORDS: ClassVar[tuple[bytes, ...]] = ()
    # Metadata providers (libcst.metadata) this rule reads; the engine resolves them only when asked.
    METADATA_DEPENDENCIES: ClassVar[tuple[type[Any], ...]] = ()
    VALID: ClassVar[tuple[str, ...]] = ()
    INVALID: ClassVar[tuple[Invalid, ...]] = ()

    def __init__(self, reports: list[Report], metadata: Mapping[Any, Mapping[cst.CSTNode, Any]]) -> None:
        self._reports = reports
        self._metadata = metadata

    @classmethod
    def fixable(cls) -> bool:
        return any(case.expected is not None for case in cls.INVALID)

    def report(
        self, node: cst.CSTNode, *, replacement: Replacement | None = None, target: cst.CSTNode | None = None
    ) -> None:
        self._reports.append(Report(node, self.CODE, self.MESSAGE, replacement, target or node))

    def get_metadata(self, key: type[Any], node: cst.CSTNode, default: Any = None) -> Any:
        return self._metadata.get(key, {}).get(node, default)
