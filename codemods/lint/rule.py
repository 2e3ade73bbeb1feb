"""The rule base class: a code, a one-line message, embedded examples, visit_/leave_ methods and an optional fix.

A rule is a plain object whose `visit_<Node>` / `leave_<Node>` methods the engine calls during its single
traversal of a file (children are always visited; return values are ignored). It reports with `self.report`,
passing the fix as a replacement node, or as a function of the already-updated node when fixes may nest.

One rule object lints one file: it keeps its per-file state in `setup()`, never in `__init__`, so that no rule
has an initialiser to chain. A base class (`lint.bases`) owns the handlers it declares in `HANDLES`; a rule
built on it reacts through the base's hooks instead, and defining one of those handlers is a TypeError at import.
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

    # The visit_/leave_ methods a base class implements for its subclasses (see lint.bases).
    HANDLES: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, *, base: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if base:
            return
        owned = {"__init__"}.union(*(getattr(parent, "HANDLES", ()) for parent in cls.__mro__[1:]))
        overridden = sorted(owned & set(vars(cls)))
        if overridden:
            raise TypeError(
                f"{cls.__qualname__} defines {', '.join(overridden)}, which its base class runs: keep per-file state "
                "in setup() and use the base's hooks"
            )

    def __init__(self, reports: list[Report], metadata: Mapping[Any, Mapping[cst.CSTNode, Any]]) -> None:
        self._reports = reports
        self._metadata = metadata
        self.setup()

    def setup(self) -> None:
        """Set up the per-file state of the rule; called once, before the traversal."""

    @classmethod
    def fixable(cls) -> bool:
        return any(case.expected is not None for case in cls.INVALID)

    def report(
        self, node: cst.CSTNode, *, replacement: Replacement | None = None, target: cst.CSTNode | None = None
    ) -> None:
        self._reports.append(Report(node, self.CODE, self.MESSAGE, replacement, target or node))

    def get_metadata(self, key: type[Any], node: cst.CSTNode, default: Any = None) -> Any:
        return self._metadata.get(key, {}).get(node, default)
