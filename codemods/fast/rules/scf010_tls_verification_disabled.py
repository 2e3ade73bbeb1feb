"""SCF010 on `ast` (see rules/scf010_tls_verification_disabled.py)."""

from __future__ import annotations

import ast
import re

from ..nodes import is_false
from ..rule import FastRule

VERIFY = frozenset({"verify", "verify_ssl"})


class TlsVerificationDisabled(FastRule):
    CODE = "SCF010"
    MESSAGE = "TLS verification disabled (verify=False); pass a CA bundle instead"
    KEYWORDS = (b"verify",)
    REQUIRES = (re.compile(rb"\bFalse\b"),)

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg in VERIFY and is_false(node.value):
            self.report(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        if is_false(node.value) and any(isinstance(t, ast.Attribute) and t.attr in VERIFY for t in node.targets):
            self.report(node)
