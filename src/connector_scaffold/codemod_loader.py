"""Import modules of the top-level codemods/ folder as `connector_scaffold.codemods.*`, installed or not.

The wheel carries codemods/ inside the package, so the import just works there; a source checkout keeps it
beside src/, where this registers the folder under the same package name so that rules and engine import
each other the same way in both.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType

from connector_scaffold.paths import codemods_dir

PACKAGE = "connector_scaffold.codemods"


def import_codemods(name: str) -> ModuleType:
    """`import_codemods("lint.engine")` is `connector_scaffold.codemods.lint.engine`."""
    if PACKAGE not in sys.modules and importlib.util.find_spec(PACKAGE) is None:
        location = codemods_dir()
        spec = importlib.util.spec_from_file_location(
            PACKAGE, location / "__init__.py", submodule_search_locations=[str(location)]
        )
        if spec is None or spec.loader is None:
            raise RuntimeError(f"cannot import the codemods package from {location}")
        package = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = package
        spec.loader.exec_module(package)
    return importlib.import_module(f"{PACKAGE}.{name}")


def codemod(package: str, name: str) -> ModuleType:
    """`codemod("incremental", "orchestration")` is `connector_scaffold.codemods.incremental.orchestration`."""
    return import_codemods(f"{package}.{name}")
