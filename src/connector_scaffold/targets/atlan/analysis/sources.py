"""The files analyze reads: the app's Python modules (parsed once, with line positions), its SQL files and its
tests and fixtures, from disk with an optional overlay (the bytes add-incremental is about to write)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from connector_scaffold.errors import ScaffoldError

TEXT_SUFFIXES = (".py", ".sql", ".json", ".yaml", ".yml")
SKIP_PARTS = {"__pycache__", ".venv", "venv", "node_modules", ".git", "static"}
# What add-incremental and analyze write: never evidence about the app itself.
GENERATED = ("incremental-analysis/",)


@dataclass
class Sources:
    root: Path
    texts: dict[str, str]
    modules: dict[str, cst.Module] = field(default_factory=dict)  # app/ only
    _others: dict[str, cst.Module] = field(default_factory=dict)  # tests, parsed on demand
    _positions: dict[str, Mapping[cst.CSTNode, CodeRange]] = field(default_factory=dict)

    def module(self, path: str) -> cst.Module | None:
        """The parsed module at `path` (a test module that does not parse: None)."""
        if path in self.modules:
            return self.modules[path]
        if path not in self._others:
            try:
                self._others[path] = cst.parse_module(self.texts[path])
            except cst.ParserSyntaxError:
                return None
        return self._others[path]

    def line(self, path: str, node: cst.CSTNode) -> int:
        positions = self._positions.get(path)
        if positions is None:
            module = self.module(path)
            if module is None:
                raise RuntimeError(f"{path} has no parsed module")
            wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
            positions = self._positions[path] = wrapper.resolve(PositionProvider)
        return positions[node].start.line

    def where(self, path: str, node: cst.CSTNode) -> str:
        return f"{path}:{self.line(path, node)}"

    def code(self, path: str, node: cst.CSTNode) -> str:
        return " ".join(self.modules[path].code_for_node(node).split())  # app code only

    def under(self, folder: str, suffixes: tuple[str, ...]) -> list[str]:
        return [p for p in self.texts if p.startswith(f"{folder}/") and p.endswith(suffixes)]


def load_sources(root: Path, overlay: Mapping[str, bytes] | None = None) -> Sources:
    texts: dict[str, str] = {}
    for folder in ("app", "tests"):
        base = root / folder
        for path in sorted(base.rglob("*")) if base.is_dir() else []:
            relative = path.relative_to(root).as_posix()
            if path.is_file() and path.suffix in TEXT_SUFFIXES and not SKIP_PARTS & set(path.parts):
                texts[relative] = path.read_text(encoding="utf-8", errors="replace")
    for relative, data in (overlay or {}).items():
        if relative.startswith(("app/", "tests/")) and relative.endswith(TEXT_SUFFIXES):
            texts[relative] = data.decode("utf-8", errors="replace")
    sources = Sources(root, dict(sorted(texts.items())))
    for relative in sources.under("app", (".py",)):
        try:
            sources.modules[relative] = cst.parse_module(sources.texts[relative])
        except cst.ParserSyntaxError as error:
            raise ScaffoldError(f"{relative}:{error.raw_line}: does not parse: {error.message}") from None
    if not sources.modules:
        raise ScaffoldError(f"{root}: no Python modules under app/; run from the app root or pass --path DIR")
    return sources
