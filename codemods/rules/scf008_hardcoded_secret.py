"""SCF008: secrets come from the SDK's credential surface, never from literals in the source."""

from __future__ import annotations

import re

import libcst as cst

from ..cst_helpers import string_value
from ..lint.bases import BindingRule
from ..lint.rule import Invalid

# Formats that are secrets wherever they appear.
_KEY_FORMATS = re.compile(
    r"(?:sk|rk)_live_[0-9A-Za-z]{10,}"
    r"|gh[pousr]_[0-9A-Za-z]{30,}|github_pat_[0-9A-Za-z_]{30,}"
    r"|(?:AKIA|ASIA)[0-9A-Z]{16}"
    r"|xox[abposr]-[0-9A-Za-z-]{10,}"
    r"|-----BEGIN (?:RSA |EC |OPENSSH |DSA |ENCRYPTED )?PRIVATE KEY-----"
)
# A name that holds a credential ends in one of these; token_url, password_field and next_token do not count.
_CREDENTIAL_NAME = re.compile(
    r"(?:^|_)(password|passwd|pwd|secret|token|api_?key|access_?key|secret_?key|private_?key|client_?secret)$",
    re.IGNORECASE,
)
_NOT_CREDENTIAL = re.compile(r"^(next|page|prev|previous|continuation|sync|cursor|pagination)_", re.IGNORECASE)
# Values that are names (of a header, an env var, a field) or placeholders rather than secrets.
_NAME_LIKE = re.compile(r"^[A-Za-z_.-]*$")
_PLACEHOLDER = re.compile(
    r"[{}<>$%*]|xxx|changeme|dummy|example|test|fake|mock|sample|synthetic|placeholder|your|redacted", re.IGNORECASE
)


class HardcodedSecret(BindingRule):
    CODE = "SCF008"
    MESSAGE = "hard-coded secret; read it from the credential store (self.context.resolve_credential_raw)"
    GUARDRAIL = "extraction seed: MUST NOT hardcode credentials (conformance S001 covers names only)"

    VALID = (
        """
        API_KEY_HEADER = "X-Api-Key"
        token_url = "https://auth.example.com/token"
        password = credentials["password"]
        client = Client(api_key=os.environ["STRIPE_API_KEY"], token="test-token-123")
        next_token = "a1b2c3d4e5"
        SYNTHETIC_SECRET = "synthetic-4f1d9c0a"
        MOCK_PASSWORD = "p4ss-w0rd-42"
        """,
    )
    INVALID = (
        Invalid(
            """
            password = "hunter2hunter2"
            """
        ),
        Invalid(
            """
            client = Client(api_key="9f8e7d6c5b4a3210")
            """
        ),
        Invalid(
            """
            HEADERS = {"Authorization": "Bearer " + "ghp_0123456789abcdefghijABCDEFGHIJ012345"}
            """  # scaffold: ignore[SCF008]
        ),
        Invalid(
            """
            def connect(client_secret="s3cr3t-value-42"):
                ...
            """
        ),
    )

    def on_binding(self, name: str, value: cst.BaseExpression, node: cst.CSTNode) -> None:
        # FAKE_TOKEN, SYNTHETIC_SECRET: a name that says it is not real is taken at its word.
        if not _CREDENTIAL_NAME.search(name) or _NOT_CREDENTIAL.match(name) or _PLACEHOLDER.search(name):
            return
        text = string_value(value)
        if text is not None and _looks_secret(text) and not _known_format(text):
            self.report(value)  # a known format is reported by visit_SimpleString already

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if _known_format(node.value):
            self.report(node)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        if _known_format(node.value):
            self.report(node)


def _known_format(text: str) -> bool:
    # Documentation keys (AWS's AKIAIOSFODNN7EXAMPLE, ghp_test...) are not secrets.
    return any(not _PLACEHOLDER.search(match.group()) for match in _KEY_FORMATS.finditer(text))


def _looks_secret(value: str) -> bool:
    return (
        len(value) >= 8
        and not any(character.isspace() for character in value)
        and not _NAME_LIKE.match(value)
        and not _PLACEHOLDER.search(value)
        and not value.startswith(("http://", "https://", "/"))
    )
