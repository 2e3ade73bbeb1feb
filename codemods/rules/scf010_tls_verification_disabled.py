"""SCF010: TLS verification stays on; `verify=False` accepts any certificate, a man in the middle included."""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import is_false, target_name
from ..lint.rule import Invalid, LintRule

_VERIFY = frozenset({"verify", "verify_ssl"})


class TlsVerificationDisabled(LintRule):
    CODE = "SCF010"
    MESSAGE = "TLS verification disabled (verify=False); pass a CA bundle instead"
    GUARDRAIL = "DESIGN (generated extractor guarantees): no verify=False"
    KEYWORDS = (b"verify",)

    VALID = (
        """
        client = httpx.AsyncClient(verify=ca_bundle_path, timeout=30)
        verify = False
        """,
    )
    INVALID = (
        Invalid(
            """
            response = requests.get(url, timeout=30, verify=False)
            """
        ),
        Invalid(
            """
            session.verify = False
            """
        ),
    )

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None and node.keyword.value in _VERIFY and is_false(node.value):
            self.report(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        if is_false(node.value) and any(
            isinstance(t.target, cst.Attribute) and target_name(t.target) in _VERIFY for t in node.targets
        ):
            self.report(node)
