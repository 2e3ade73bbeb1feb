"""The base of a rule's `ast` form: the libcst rule's code, the same visit_/leave_ shape, and reports that carry
their position (or ask for the libcst engine when the finding's fix is decided there)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from .source import Source


@dataclass(frozen=True)
class FastReport:
    line: int
    column: int  # 0-based, in characters, as libcst's
    last: int
    code: str
    fixable: bool


class FastRule:
    CODE: ClassVar[str]
    MESSAGE: ClassVar[str]
    KEYWORDS: ClassVar[tuple[bytes, ...]] = ()
    # Patterns that must all occur in the source for a finding to be possible (beyond one of the KEYWORDS): a file
    # no rule can flag is not even parsed. Each is a necessary condition of the rule's logic, on the raw bytes.
    REQUIRES: ClassVar[tuple[re.Pattern[bytes], ...]] = ()
    # A rule only the libcst engine decides: a file it applies to is linted there.
    CST_ONLY: ClassVar[bool] = False
    # The visit_/leave_ methods a base class implements for its subclasses (see fast.bases).
    HANDLES: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, *, base: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if base:
            return
        owned = {"__init__"}.union(*(getattr(parent, "HANDLES", ()) for parent in cls.__mro__[1:]))
        overridden = sorted(owned & set(vars(cls)))
        if overridden:
            raise TypeError(f"{cls.__qualname__} defines {', '.join(overridden)}, which its base class runs")

    def __init__(self, reports: list[FastReport], source: Source) -> None:
        self._reports = reports
        self.source = source
        self.setup()

    def setup(self) -> None:
        """Set up the per-file state of the rule; called once, before the traversal."""

    def report(self, node: ast.AST, *, fixable: bool = False) -> None:
        line, column = self.source.position(node)
        self.report_at(line, column, node.end_lineno or line, fixable=fixable)  # type: ignore[attr-defined]

    def report_at(self, line: int, column: int, last: int, *, fixable: bool = False) -> None:
        self._reports.append(FastReport(line, column, last, self.CODE, fixable))

    @classmethod
    def applies_to(cls, source: bytes) -> bool:
        return (not cls.KEYWORDS or any(word in source for word in cls.KEYWORDS)) and all(
            pattern.search(source) for pattern in cls.REQUIRES
        )
