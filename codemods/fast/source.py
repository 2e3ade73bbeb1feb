"""Where an `ast` node is, in the terms libcst gives: 1-based lines, columns in characters (ast counts UTF-8 bytes),
and the literal pieces of a string the way libcst splits it (each quoted piece of an implicit concatenation, each
text part of an f-string), read back from the source only for the rare strings a rule is interested in."""

from __future__ import annotations

import ast
import io
import re
from dataclasses import dataclass, field
from functools import cached_property

_LINE_END = re.compile(rb"\r\n|\r|\n")
_PREFIX = re.compile(r"[A-Za-z]*")


@dataclass(frozen=True)
class Piece:
    """One string literal as libcst sees it: a SimpleString (`text` is its whole token, prefix and quotes
    included) or an f-string's FormattedStringText (`text` is the raw text part)."""

    line: int
    column: int
    text: str
    formatted: bool


@dataclass
class Source:
    data: bytes
    ascii: bool = field(init=False)

    def __post_init__(self) -> None:
        self.ascii = self.data.isascii()

    @cached_property
    def _starts(self) -> list[int]:
        starts = [0, 0]  # line numbers are 1-based
        starts.extend(match.end() for match in _LINE_END.finditer(self.data))
        return starts

    def _line(self, number: int) -> bytes:
        starts = self._starts
        end = starts[number + 1] if number + 1 < len(starts) else len(self.data)
        return self.data[starts[number] : end]

    def column(self, line: int, byte_offset: int) -> int:
        """The 0-based character column of a byte offset on a line."""
        if self.ascii:
            return byte_offset
        return len(self._line(line)[:byte_offset].decode("utf-8", "replace"))

    def position(self, node: ast.AST) -> tuple[int, int]:
        line: int = node.lineno  # type: ignore[attr-defined]
        return line, self.column(line, node.col_offset)  # type: ignore[attr-defined]

    def segment(self, node: ast.AST) -> str:
        first, last = node.lineno, node.end_lineno  # type: ignore[attr-defined]
        start, end = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
        if first == last:
            return self._line(first)[start:end].decode("utf-8", "replace")
        lines = [self._line(first)[start:], *(self._line(n) for n in range(first + 1, last))]
        lines.append(self._line(last)[:end])
        return b"".join(lines).decode("utf-8", "replace")

    def pieces(self, node: ast.Constant | ast.JoinedStr) -> list[Piece]:
        """The literal pieces of a string expression, with libcst's positions."""
        import tokenize  # rarely needed: only for the strings a rule is interested in

        fstring_start = getattr(tokenize, "FSTRING_START", None)  # Python 3.12 splits f-strings into tokens
        fstring_end = getattr(tokenize, "FSTRING_END", None)
        line, column = self.position(node)
        found: list[Piece] = []
        # Parentheses let an implicit concatenation span lines without the tokenizer asking for indentation.
        tokens = tokenize.generate_tokens(io.StringIO("(" + self.segment(node) + ")").readline)
        depth = 0
        start: tuple[int, int] | None = None
        text = "(" + self.segment(node) + ")"
        for token in tokens:
            if token.type == fstring_start:
                depth += 1
                start = start if depth > 1 else token.start
                continue
            if token.type == fstring_end:
                depth -= 1
                if depth == 0 and start is not None:
                    raw = _between(text, start, token.end)
                    found.extend(self._formatted(raw, *_absolute(start, line, column)))
                continue
            if depth or token.type != tokenize.STRING:
                continue
            at = _absolute(token.start, line, column)
            prefix = _PREFIX.match(token.string)
            if prefix is not None and "f" in prefix.group().lower():
                found.extend(self._formatted(token.string, *at))
            else:
                found.append(Piece(*at, token.string, False))
        return found

    @staticmethod
    def _formatted(raw: str, line: int, column: int) -> list[Piece]:
        found = []
        for offset, part in fstring_texts(raw):
            before = raw[:offset]
            newlines = before.count("\n")
            part_column = offset - before.rfind("\n") - 1 if newlines else column + offset
            found.append(Piece(line + newlines, part_column, part, True))
        return found


def _absolute(where: tuple[int, int], line: int, column: int) -> tuple[int, int]:
    """A token position in "(" + segment + ")" as a position in the file."""
    row, col = where
    return (line, column + col - 1) if row == 1 else (line + row - 1, col)


def _between(text: str, start: tuple[int, int], end: tuple[int, int]) -> str:
    lines = text.splitlines(keepends=True)
    if start[0] == end[0]:
        return lines[start[0] - 1][start[1] : end[1]]
    middle = "".join(lines[start[0] : end[0] - 1])
    return lines[start[0] - 1][start[1] :] + middle + lines[end[0] - 1][: end[1]]


def fstring_texts(raw: str) -> list[tuple[int, str]]:
    """The text parts of one f-string token (offset in the token, raw text), format specs' included."""
    prefix = _PREFIX.match(raw)
    begin = prefix.end() if prefix else 0
    quote = raw[begin : begin + 3] if raw[begin : begin + 3] in ('"""', "'''") else raw[begin]
    parts: list[tuple[int, str]] = []
    _text(raw, begin + len(quote), len(raw) - len(quote), parts, in_spec=False)
    return parts


def _text(raw: str, at: int, end: int, parts: list[tuple[int, str]], in_spec: bool) -> int:
    start = at
    while at < end:
        char = raw[at]
        if char in "{}" and raw[at + 1 : at + 2] == char and not in_spec:
            at += 2
            continue
        if char == "}":
            break
        if char == "{":
            if at > start:
                parts.append((start, raw[start:at]))
            at = _expression(raw, at + 1, end, parts)
            start = at
            continue
        at += 1
    if at > start:
        parts.append((start, raw[start:at]))
    return at


def _expression(raw: str, at: int, end: int, parts: list[tuple[int, str]]) -> int:
    """Skip `{expr!r:spec}` from after its brace; returns the offset after its closing brace."""
    depth = 0
    while at < end:
        char = raw[at]
        if char in "'\"":
            close = raw.find(char, at + 1)
            at = end if close < 0 else close + 1
            continue
        if char in "([{":
            depth += 1
        elif char in ")]" or (char == "}" and depth):
            depth -= 1
        elif depth == 0 and char == "}":
            return at + 1
        elif depth == 0 and char == "!" and raw[at + 1 : at + 2] != "=":
            at += 2
            continue
        elif depth == 0 and char == ":":
            at = _text(raw, at + 1, end, parts, in_spec=True)
            return at + 1
        at += 1
    return at
