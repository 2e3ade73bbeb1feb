"""SCF014: the persistent-artifacts layout belongs to the SDK; an app that builds it by hand drifts from it."""

from __future__ import annotations

import libcst as cst

from ..lint.rule import Invalid, LintRule

_PREFIX = "persistent-artifacts/"  # scaffold: ignore[SCF014]


class HandBuiltPersistentPath(LintRule):
    CODE = "SCF014"
    MESSAGE = "hand-built persistent-artifacts path; use get_persistent_artifacts_path / get_persistent_s3_prefix"
    GUARDRAIL = "atlan-sdk §3 layout and §5 (conformance P048)"
    KEYWORDS = (b"persistent-artifacts/",)  # scaffold: ignore[SCF014]

    VALID = (
        '''
        def state_prefix(cqn):
            """Lives under persistent-artifacts/apps/{app}/connection/{id}/."""
            return get_persistent_s3_prefix(cqn)
        ''',  # scaffold: ignore[SCF014]
    )
    INVALID = (
        Invalid(
            """
            key = f"persistent-artifacts/apps/{app}/connection/{cqn.split('/')[-1]}/marker.txt"
            """  # scaffold: ignore[SCF014]
        ),
        Invalid(
            """
            PREFIX = "persistent-artifacts/apps/stripe"
            """  # scaffold: ignore[SCF014]
        ),
    )

    def setup(self) -> None:
        self._docstrings: set[int] = set()

    def visit_Expr(self, node: cst.Expr) -> None:
        # A string statement is a docstring or a comment; only code builds paths.
        self._docstrings.add(id(node.value))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if _PREFIX in node.value and id(node) not in self._docstrings:
            self.report(node)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        if _PREFIX in node.value:
            self.report(node)
