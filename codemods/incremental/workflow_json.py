"""Add the incremental toggles to a workflow.json UI config as a text insertion: key order, indentation and the
layout of every existing line stay as they were.

`json` cannot round-trip a layout (it re-flows `["a", "b"]` onto many lines), so the file is parsed with
`json` to decide what is missing and scanned once more, with the stdlib's own string scanner, for the offsets
where the new members go.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]  # public at runtime; typeshed omits it
from typing import Any

TOGGLES: dict[str, dict[str, Any]] = {
    "incremental-enabled": {
        "type": "boolean",
        "default": False,
        "ui": {"widget": "boolean", "label": "Incremental extraction", "help": "Re-extract only what changed"},
    },
    "force-full-extraction": {
        "type": "boolean",
        "default": False,
        "ui": {"widget": "boolean", "label": "Force full extraction", "help": "Ignore the saved incremental state"},
    },
}
_SCALAR = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


@dataclass
class Span:
    """Where one JSON value sits in the text; containers know their members' spans."""

    start: int
    end: int  # one past the closing bracket or the last character
    key_start: int = -1  # an object member's opening key quote
    members: dict[str, Span] = field(default_factory=dict)  # objects
    items: list[Span] = field(default_factory=list)  # arrays


def add_toggles(text: str, marker_offset_hours: float, toggles: dict[str, dict[str, Any]] | None = None) -> str:
    """Unchanged text when the toggles are there; the step listing them is the `metadata` step, else the last.

    `toggles` replaces the REST path's (the SQL path's are the SDK's `incremental-extraction` and friends)."""
    data = json.loads(text)
    config = data.get("config") if isinstance(data, dict) else None
    properties = config.get("properties") if isinstance(config, dict) else None
    steps = config.get("steps") if isinstance(config, dict) else None
    if not isinstance(properties, dict) or not isinstance(steps, list) or not steps:
        raise ValueError("no config.properties and config.steps to add the toggles to")
    toggles = toggles or {
        **TOGGLES,
        "marker-offset-hours": {
            "type": "number",
            "default": marker_offset_hours,
            "ui": {"widget": "inputNumber", "label": "Marker offset (hours)", "help": "Look back this far for changes"},
        },
    }
    root = _scan(text)
    unit = _indent_unit(text)
    config_span = root.members["config"]
    step_index = next((i for i, s in enumerate(steps) if isinstance(s, dict) and s.get("id") == "metadata"), -1)
    step_index = step_index if step_index >= 0 else len(steps) - 1
    step_span = config_span.members["steps"].items[step_index]
    listed = steps[step_index].get("properties", [])
    edits: list[tuple[int, int, str]] = []
    missing = {k: v for k, v in toggles.items() if k not in properties}
    if missing:
        edits.append(_add_members(text, config_span.members["properties"], missing, unit))
    unlisted = [k for k in toggles if k not in listed]
    if unlisted and "properties" in step_span.members:
        edits.append(_add_items(text, step_span.members["properties"], unlisted))
    elif unlisted:
        edits.append(_add_members(text, step_span, {"properties": unlisted}, unit))
    for start, end, insert in sorted(edits, reverse=True):
        text = text[:start] + insert + text[end:]
    return text


def _add_members(text: str, obj: Span, new: dict[str, Any], unit: str) -> tuple[int, int, str]:
    """Insert `"key": value` members after the last one (or into `{}`), laid out like their siblings: inline in
    a one-line object, one line each beside one-line siblings, else indented over several lines."""
    closing = _line_indent(text, obj.end - 1)
    if not obj.members:
        inner = closing + unit
        lines = [f"{inner}{json.dumps(k)}: {_dump(v, unit, inner)}" for k, v in new.items()]
        return obj.start, obj.end, "{\n" + ",\n".join(lines) + f"\n{closing}}}"
    last = max(obj.members.values(), key=lambda s: s.end)
    if "\n" not in text[obj.start : obj.end]:
        return last.end, last.end, "".join(f", {json.dumps(k)}: {json.dumps(v)}" for k, v in new.items())
    inner = _line_indent(text, last.key_start)
    one_line = all("\n" not in text[m.start : m.end] for m in obj.members.values())
    values = {k: json.dumps(v, ensure_ascii=False) if one_line else _dump(v, unit, inner) for k, v in new.items()}
    return last.end, last.end, "".join(f",\n{inner}{json.dumps(k)}: {value}" for k, value in values.items())


def _add_items(text: str, array: Span, new: list[str]) -> tuple[int, int, str]:
    """Append strings to an array: on the same line when the array is on one line, else one per line."""
    if not array.items:
        return array.start, array.end, json.dumps(new)
    last = array.items[-1]
    if "\n" not in text[array.start : array.end]:
        return last.end, last.end, "".join(f", {json.dumps(item)}" for item in new)
    inner = _line_indent(text, last.start)
    return last.end, last.end, "".join(f",\n{inner}{json.dumps(item)}" for item in new)


def _dump(value: Any, unit: str, indent: str) -> str:
    return json.dumps(value, indent=unit, ensure_ascii=False).replace("\n", "\n" + indent)


def _line_indent(text: str, position: int) -> str:
    line = text[text.rfind("\n", 0, position) + 1 :]
    return line[: len(line) - len(line.lstrip(" \t"))]


def _indent_unit(text: str) -> str:
    found = re.search(r"\n([ \t]+)\S", text)
    return found.group(1) if found else "  "


def _scan(text: str) -> Span:
    return _value(text, _skip(text, 0))[0]


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\n\r":
        position += 1
    return position


def _value(text: str, position: int) -> tuple[Span, int]:
    char = text[position]
    if char == "{":
        span = Span(position, position)
        position = _skip(text, position + 1)
        while text[position] != "}":
            key_start = position
            key, position = scanstring(text, position + 1)
            position = _skip(text, _skip(text, position) + 1)  # past the colon
            member, position = _value(text, position)
            member.key_start = key_start
            span.members[key] = member
            position = _skip(text, position)
            position = _skip(text, position + 1) if text[position] == "," else position
        span.end = position + 1
        return span, span.end
    if char == "[":
        span = Span(position, position)
        position = _skip(text, position + 1)
        while text[position] != "]":
            item, position = _value(text, position)
            span.items.append(item)
            position = _skip(text, position)
            position = _skip(text, position + 1) if text[position] == "," else position
        span.end = position + 1
        return span, span.end
    if char == '"':
        _, end = scanstring(text, position + 1)
        return Span(position, end), end
    scalar = _SCALAR.match(text, position)
    if scalar is None:
        raise ValueError(f"unexpected {char!r} at offset {position}")
    return Span(position, scalar.end()), scalar.end()
