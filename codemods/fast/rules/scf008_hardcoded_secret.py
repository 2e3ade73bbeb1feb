"""SCF008 on `ast` (see rules/scf008_hardcoded_secret.py); the patterns live here, libcst-free, for both forms."""

from __future__ import annotations

import ast
import re

from ..bases import FastBindingRule
from ..nodes import string_value

# Formats that are secrets wherever they appear.
KEY_FORMATS = re.compile(
    r"(?:sk|rk)_live_[0-9A-Za-z]{10,}"
    r"|gh[pousr]_[0-9A-Za-z]{30,}|github_pat_[0-9A-Za-z_]{30,}"
    r"|(?:AKIA|ASIA)[0-9A-Z]{16}"
    r"|xox[abposr]-[0-9A-Za-z-]{10,}"
    r"|-----BEGIN (?:RSA |EC |OPENSSH |DSA |ENCRYPTED )?PRIVATE KEY-----"
)
# A name that holds a credential ends in one of these; token_url, password_field and next_token do not count.
CREDENTIAL_NAME = re.compile(
    r"(?:^|_)(password|passwd|pwd|secret|token|api_?key|access_?key|secret_?key|private_?key|client_?secret)$",
    re.IGNORECASE,
)
NOT_CREDENTIAL = re.compile(r"^(next|page|prev|previous|continuation|sync|cursor|pagination)_", re.IGNORECASE)
# Values that are names (of a header, an env var, a field) or placeholders rather than secrets.
_NAME_LIKE = re.compile(r"^[A-Za-z_.-]*$")
PLACEHOLDER = re.compile(
    r"[{}<>$%*]|xxx|changeme|dummy|example|test|fake|mock|sample|synthetic|placeholder|your|redacted", re.IGNORECASE
)


def known_format(text: str) -> bool:
    # Documentation keys (AWS's AKIAIOSFODNN7EXAMPLE, ghp_test...) are not secrets.
    return any(not PLACEHOLDER.search(match.group()) for match in KEY_FORMATS.finditer(text))


def looks_secret(value: str) -> bool:
    return (
        len(value) >= 8
        and not any(character.isspace() for character in value)
        and not _NAME_LIKE.match(value)
        and not PLACEHOLDER.search(value)
        and not value.startswith(("http://", "https://", "/"))
    )


def credential_name(name: str) -> bool:
    # FAKE_TOKEN, SYNTHETIC_SECRET: a name that says it is not real is taken at its word.
    return bool(CREDENTIAL_NAME.search(name)) and not NOT_CREDENTIAL.match(name) and not PLACEHOLDER.search(name)


class HardcodedSecret(FastBindingRule):
    CODE = "SCF008"
    # A credential name (CREDENTIAL_NAME, any case) or the start of a key format.
    REQUIRES = (
        re.compile(
            rb"(?i)passw|pwd|secret|token|api_?key|access_?key|private_?key"
            rb"|[sr]k_live_|gh[pousr]_|github_pat_|AKIA|ASIA|xox[abposr]-|-----BEGIN"
        ),
    )
    MESSAGE = "hard-coded secret; read it from the credential store (self.context.resolve_credential_raw)"

    def on_binding(self, name: str, value: ast.expr) -> None:
        if not credential_name(name):
            return
        text = string_value(value)
        if text is not None and looks_secret(text) and not known_format(text):
            self.report(value)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        # A key in any piece is in the joined value: only then are the pieces (libcst's strings) read back.
        if isinstance(value, str) and KEY_FORMATS.search(value):
            self._pieces(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        if any(
            isinstance(v, ast.Constant) and isinstance(v.value, str) and KEY_FORMATS.search(v.value)
            for v in node.values
        ):
            self._pieces(node)

    def _pieces(self, node: ast.Constant | ast.JoinedStr) -> None:
        for piece in self.source.pieces(node):
            if known_format(piece.text):
                self.report_at(piece.line, piece.column, piece.line + piece.text.count("\n"))
