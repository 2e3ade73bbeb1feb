"""Names from paths and titles: entity names (singular identifiers) and the source name."""

from __future__ import annotations

import keyword
import re

_NOT_NAME = re.compile(r"[^a-z0-9]+")
_TITLE_NOISE = {"api", "apis", "rest", "openapi", "swagger", "http", "service", "spec", "specification", "the"}


def identifier(text: str) -> str:
    """`Pull-Requests` -> `pull_requests`; a leading digit or a keyword gets a suffix so the spec accepts it."""
    words = _NOT_NAME.split(re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text).lower())
    name = "_".join(w for w in words if w)
    if not name:
        return "item"
    if name[0].isdigit():
        name = f"n{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name = f"{name}_item"
    return name


def singular(word: str) -> str:
    """English plural -> singular for resource names; conservative (`status`, `address` stay as they are)."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ics")):
        return word[:-1]
    return word


def entity_name(static_segments: list[str], words: int) -> str:
    """The last `words` static path segments, the last one singular: `/v1/invoices/{i}/lines` -> line, invoice_line."""
    chosen = static_segments[-words:] if static_segments else ["item"]
    parts = [identifier(s) for s in chosen]
    last = parts[-1].split("_")
    last[-1] = singular(last[-1])
    parts[-1] = "_".join(last)
    head = [singular(p) for p in parts[:-1]]
    return identifier("_".join([*head, parts[-1]]))


def source_name(title: str) -> str:
    """`GitHub v3 REST API` -> github; `Stripe API` -> stripe."""
    words = [w for w in _NOT_NAME.split(title.lower()) if w]
    kept = [w for w in words if w not in _TITLE_NOISE and not re.fullmatch(r"v\d+(\d|\.)*", w)]
    return identifier("_".join(kept or words or ["source"]))


def display_name(title: str) -> str:
    """`GitHub v3 REST API` -> GitHub."""
    words = title.split()
    kept = [w for w in words if w.lower() not in _TITLE_NOISE and not re.fullmatch(r"[vV]\d+(\d|\.)*", w)]
    return " ".join(kept or words) or "Source"
