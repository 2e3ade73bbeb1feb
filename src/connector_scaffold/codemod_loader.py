"""Load a codemod package from `codemods/` (top of a checkout, or inside the wheel) by file path."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType

from connector_scaffold.paths import codemods_dir


def codemod(package: str, name: str) -> ModuleType:
    """`codemod("incremental", "orchestration")` -> that module, its package imported once as a real package."""
    alias = f"connector_scaffold_codemods_{package}"
    if alias not in sys.modules:
        folder = codemods_dir() / package
        spec = importlib.util.spec_from_file_location(
            alias, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        if spec is None or spec.loader is None:
            raise RuntimeError(f"codemods/{package} is missing; reinstall connector-scaffold")
        module = importlib.util.module_from_spec(spec)
        sys.modules[alias] = module
        spec.loader.exec_module(module)
    return importlib.import_module(f"{alias}.{name}")
