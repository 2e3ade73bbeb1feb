"""SCF011 on `ast` (see rules/scf011_plain_http_url.py); the URL test lives here, libcst-free, for both forms."""

from __future__ import annotations

import ast
import re

from ..bases import FastBindingRule
from ..source import _PREFIX

URL_NAME = re.compile(r"(?:^|_)(url|uri|endpoint|host|server|base)$", re.IGNORECASE)
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1"})
# Names reserved for documentation and tests (RFC 2606, RFC 6761) never reach a real source.
_RESERVED = re.compile(r"(^|\.)(example\.(com|net|org)|example|test|invalid|localhost)$")


def insecure(text: str) -> bool:
    if not text.lower().startswith("http://"):
        return False
    from urllib.parse import urlsplit  # only for the rare http:// value

    host = urlsplit(text).hostname or ""
    # f"http://{host}/api" has no literal host: the scheme alone is the finding.
    return host not in _LOCAL_HOSTS and not _RESERVED.search(host)


class PlainHttpUrl(FastBindingRule):
    CODE = "SCF011"
    MESSAGE = "plain http:// URL; use https:// (only localhost may use http)"
    KEYWORDS = (b"http://", b"HTTP://")

    def on_binding(self, name: str, value: ast.expr) -> None:
        if URL_NAME.search(name) and _starts_http(value) and insecure(self._leading_text(value)):
            self.report(value)

    def _leading_text(self, value: ast.expr) -> str:
        """libcst's leading text: the first piece of a concatenation, raw (a string without its prefix and
        quotes, an f-string up to its first placeholder)."""
        assert isinstance(value, ast.Constant | ast.JoinedStr)
        first = self.source.pieces(value)[0]
        if first.formatted:
            return first.text
        begin = _PREFIX.match(first.text).end()  # type: ignore[union-attr]
        quote = 3 if first.text[begin : begin + 3] in ('"""', "'''") else 1
        return first.text[begin + quote : len(first.text) - quote]


def _starts_http(value: ast.expr) -> bool:
    """A cheap necessary condition: the joined value starts with the scheme."""
    if isinstance(value, ast.JoinedStr):
        value = value.values[0] if value.values else value
    if isinstance(value, ast.Constant) and isinstance(value.value, str | bytes):
        head = value.value[:7]
        return (head.decode("latin-1") if isinstance(head, bytes) else head).lower() == "http://"
    return False
