"""Carry one table's lines from a rendered doc, endpoints spec or table config into the source's own copy.

The rendered file (the template, rendered for that one table) is the single source of the new lines; each patch
checks first whether the table is already there, so running it twice changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

Section = tuple[str, list[str]]


def _sections(text: str) -> list[Section]:
    """(`## ` heading line, its lines) in order; the lines before the first heading come under ''."""
    sections: list[Section] = [("", [])]
    for line in text.splitlines():
        if line.startswith("## "):
            sections.append((line.strip(), []))
        else:
            sections[-1][1].append(line)
    return sections


def _row_prefix(table: str) -> str:
    return f"| `{table}` |"


def _subsection(lines: list[str], table: str) -> list[str]:
    heading = f"### `{table}`"
    if heading not in (line.strip() for line in lines):
        return []
    start = next(i for i, line in enumerate(lines) if line.strip() == heading)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("### ")), len(lines))
    block = lines[start:end]
    while block and not block[-1].strip():
        block.pop()
    return block


def add_table_to_markdown(target: str, rendered: str, table: str) -> tuple[str, list[str]]:
    """(target with the table's rows and `### table` subsection added, the headings it lacks for them)."""
    mine = _sections(target)
    missing: list[str] = []
    for heading, lines in _sections(rendered):
        rows = [line for line in lines if line.startswith(_row_prefix(table))]
        block = _subsection(lines, table)
        if not heading or not (rows or block):
            continue
        index = next((i for i, (h, _) in enumerate(mine) if h == heading), None)
        if index is None:
            missing.append(heading)
            continue
        body = mine[index][1]
        if rows and not any(line.startswith(_row_prefix(table)) for line in body):
            last_row = max((i for i, line in enumerate(body) if line.startswith("|")), default=None)
            if last_row is None:
                missing.append(heading)
            else:
                body[last_row + 1 : last_row + 1] = rows
        if block and not _subsection(body, table):
            end = len(body)
            while end and not body[end - 1].strip():
                end -= 1
            body[end:end] = ["", *block]
    lines = [*mine[0][1]]
    for heading, body in mine[1:]:
        lines.extend([heading, *body])
    return "\n".join(lines) + "\n", missing


def add_endpoint(target: str, rendered: str) -> str:
    """target (an endpoints.yaml list) with the rendered entries whose method and path it lacks appended as text,
    so that its comments and layout stay as they are."""
    have = {(str(e.get("method", "GET")).upper(), e.get("path")) for e in yaml.safe_load(target) or []}
    blocks: list[list[str]] = []
    for line in rendered.splitlines():
        if line.startswith("- "):
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
    text = target if target.endswith("\n") or not target else target + "\n"
    for block in blocks:
        entry = yaml.safe_load("\n".join(block))[0]
        if (str(entry.get("method", "GET")).upper(), entry.get("path")) not in have:
            text += "\n".join(block) + "\n"
    return text


def add_table_config(target: str, rendered: str, table: str) -> str:
    """dev_table_config.json with the table's options, in the template's own layout (sorted keys, indent 2)."""
    configs: dict[str, Any] = json.loads(target)
    if table in configs:
        return target
    configs[table] = json.loads(rendered).get(table, {})
    return json.dumps(configs, indent=2, sort_keys=True) + "\n"
