"""SCF015 on `ast` (see rules/scf015_unsafe_yaml_load.py)."""

from __future__ import annotations

import ast

from ..nodes import keyword, last_name, positional
from ..rule import FastRule

SAFE_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"})
SAFE = {"load": "safe_load", "load_all": "safe_load_all"}


class UnsafeYamlLoad(FastRule):
    CODE = "SCF015"
    MESSAGE = "yaml.load without a safe loader; use yaml.safe_load"
    KEYWORDS = (b"yaml",)

    def setup(self) -> None:
        self._modules: set[str] = set()

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name == "yaml":
                self._modules.add(alias.asname or "yaml")

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not (
            isinstance(func, ast.Attribute)
            and func.attr in SAFE
            and isinstance(func.value, ast.Name)
            and func.value.id in self._modules
        ):
            return
        args = positional(node)
        found = keyword(node, "Loader")
        loader = found.value if found is not None else (args[1] if len(args) > 1 else None)
        if loader is not None and last_name(loader) in SAFE_LOADERS:
            return
        self.report(node, fixable=True)
