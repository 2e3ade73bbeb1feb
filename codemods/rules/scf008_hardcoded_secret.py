"""SCF008: secrets come from the SDK's credential surface, never from literals in the source."""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import string_value
from ..fast.rules.scf008_hardcoded_secret import credential_name, known_format, looks_secret
from ..lint.bases import BindingRule
from ..lint.rule import Invalid


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
        if not credential_name(name):
            return
        text = string_value(value)
        if text is not None and looks_secret(text) and not known_format(text):
            self.report(value)  # a known format is reported by visit_SimpleString already

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if known_format(node.value):
            self.report(node)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        if known_format(node.value):
            self.report(node)
