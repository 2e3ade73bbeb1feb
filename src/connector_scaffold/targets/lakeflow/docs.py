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
            sections.append((line.rstrip(), []))
        else:
            sections[-1][1].append(line)
    return sections


def heading_key(heading: str) -> str:
    """A heading without its markup: upstream's templates write `## **Object List**` (and one stray
    `## Sources and References**`), hand-written docs often drop the bold."""
    return " ".join(heading.strip().lstrip("#").replace("*", "").split()).casefold()


def _table_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) line spans of each markdown table (consecutive `|` lines)."""
    blocks: list[tuple[int, int]] = []
    index = 0
    while index < len(lines):
        if lines[index].startswith("|"):
            first = index
            while index < len(lines) and lines[index].startswith("|"):
                index += 1
            blocks.append((first, index))
        else:
            index += 1
    return blocks


def _columns(row: str) -> list[str]:
    return [cell.strip().replace("*", "").casefold() for cell in row.strip().strip("|").split("|")]


def _insert_rows(body: list[str], header: str, rows: list[str]) -> bool:
    """Insert rows after the last row of the table in `body` whose header names the same columns; False when
    the section has no such table (a row in a table of other columns would be wrong)."""
    wanted = _columns(header)
    for first, end in _table_blocks(body):
        if _columns(body[first]) == wanted:
            body[end:end] = rows
            return True
    return False


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
    """(target with the table's rows and `### table` subsection added, the headings it lacks for them).

    Headings match bold or plain; a row goes into the table of the section with the same columns. Only the
    added lines differ: everything else is kept byte for byte."""
    mine = _sections(target)
    missing: list[str] = []
    for heading, lines in _sections(rendered):
        rows = [line for line in lines if line.startswith(_row_prefix(table))]
        block = _subsection(lines, table)
        if not heading or not (rows or block):
            continue
        index = next((i for i, (h, _) in enumerate(mine) if h and heading_key(h) == heading_key(heading)), None)
        if index is None:
            missing.append(heading)
            continue
        body = mine[index][1]
        if rows and not any(line.startswith(_row_prefix(table)) for line in body):
            header = next(lines[first] for first, end in _table_blocks(lines) if rows[0] in lines[first:end])
            if not _insert_rows(body, header, rows):
                missing.append(heading)
        if block and not _subsection(body, table):
            end = len(body)
            while end and not body[end - 1].strip():
                end -= 1
            body[end:end] = ["", *block]
    lines = [*mine[0][1]]
    for heading, body in mine[1:]:
        lines.extend([heading, *body])
    text = "\n".join(lines)
    return (text + "\n" if target.endswith("\n") else text), missing


class EndpointsLayoutError(ValueError):
    """An endpoints.yaml the new entry cannot be appended to as text."""


def _endpoint_keys(entries: Any) -> set[tuple[str, Any]]:
    return {(str(e.get("method", "GET")).upper(), e.get("path")) for e in entries or [] if isinstance(e, dict)}


def add_endpoint(target: str, rendered: str) -> str:
    """target (upstream's endpoints.yaml: a mapping whose `endpoints` key lists them) with the rendered entries
    whose method and path it lacks appended as text, re-indented like its own, so its comments and layout stay.

    The entries go at the end of the file, so the `endpoints` list must be the file's last top-level key."""
    data = yaml.safe_load(target)
    if not isinstance(data, dict) or not isinstance(data.get("endpoints"), list):
        raise EndpointsLayoutError("expected a mapping with an `endpoints:` list")
    have = _endpoint_keys(data["endpoints"])
    lines = target.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("endpoints:"))
    later = [line for line in lines[start + 1 :] if line[:1] not in ("", " ", "#", "\t", "-")]
    if later:
        raise EndpointsLayoutError(f"`endpoints:` is not the last top-level key ({later[0].split(':')[0]} follows)")
    indent = next((len(x) - len(x.lstrip()) for x in lines[start + 1 :] if x.lstrip().startswith("- ")), 2)
    blocks: list[list[str]] = []
    for line in rendered.splitlines():
        if line.lstrip().startswith("- ") and not line.lstrip().startswith("- #"):
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
    text = target if target.endswith("\n") or not target else target + "\n"
    for block in blocks:
        shift = indent - (len(block[0]) - len(block[0].lstrip()))
        moved = [(" " * shift + line if shift >= 0 else line[-shift:]) if line.strip() else line for line in block]
        entry = yaml.safe_load("\n".join(moved))[0]
        if (str(entry.get("method", "GET")).upper(), entry.get("path")) not in have:
            text += "\n".join(moved) + "\n"
    added = yaml.safe_load(text)
    if not isinstance(added, dict) or len(_endpoint_keys(added.get("endpoints"))) < len(have):
        raise EndpointsLayoutError("appending the entry would change the existing ones")
    return text


def add_table_config(target: str, rendered: str, table: str) -> str:
    """dev_table_config.json with the table's options inserted as text before its closing brace, so the keys
    already there keep their order and layout."""
    configs: dict[str, Any] = json.loads(target)
    if table in configs:
        return target
    options = json.loads(rendered).get(table, {})
    body = target.rstrip()
    if not body.endswith("}"):
        raise ValueError("dev_table_config.json: expected a JSON object")
    inner = body[:-1].rstrip()
    indent = next((len(x) - len(x.lstrip()) for x in target.splitlines()[1:] if x.strip()), 2) or 2
    value = json.dumps(options, indent=indent).replace("\n", "\n" + " " * indent)
    entry = f"{' ' * indent}{json.dumps(table)}: {value}"
    separator = "\n" if inner.endswith("{") else ",\n"
    text = f"{inner}{separator}{entry}\n}}\n"
    if json.loads(text) != {**configs, table: options}:
        raise ValueError("dev_table_config.json: could not add the table as text")
    return text
