"""SCF011: base URLs use https://; plain http:// is only for a service on this machine."""

from __future__ import annotations

import libcst as cst

from ..fast.rules.scf011_plain_http_url import URL_NAME, insecure
from ..lint.bases import BindingRule
from ..lint.rule import Invalid


class PlainHttpUrl(BindingRule):
    CODE = "SCF011"
    MESSAGE = "plain http:// URL; use https:// (only localhost may use http)"
    GUARDRAIL = "DESIGN (generated extractor guarantees): no http:// base URLs"
    KEYWORDS = (b"http://", b"HTTP://")

    VALID = (
        """
        BASE_URL = "https://api.stripe.com"
        client = Client(base_url="http://localhost:8080", endpoint=f"http://127.0.0.1:{port}/v1")
        schema = "http://json-schema.org/draft-07/schema#"
        SourceSettings(base_url="http://api.example.com")  # tests may use reserved names (RFC 2606)
        """,
    )
    INVALID = (
        Invalid(
            """
            BASE_URL = "http://api.stripe.com/v1"
            """
        ),
        Invalid(
            """
            client = httpx.AsyncClient(base_url=f"http://{host}/api", timeout=30)
            """
        ),
    )

    def on_binding(self, name: str, value: cst.BaseExpression, node: cst.CSTNode) -> None:
        if URL_NAME.search(name) and insecure(_leading_text(value)):
            self.report(value)


def _leading_text(value: cst.BaseExpression) -> str:
    """The literal start of a string or f-string (up to its first placeholder)."""
    if isinstance(value, cst.SimpleString):
        return value.raw_value
    if isinstance(value, cst.FormattedString) and value.parts:
        first = value.parts[0]
        return first.value if isinstance(first, cst.FormattedStringText) else ""
    if isinstance(value, cst.ConcatenatedString):
        return _leading_text(value.left)
    return ""
