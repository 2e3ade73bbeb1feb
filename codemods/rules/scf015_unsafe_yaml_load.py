"""SCF015: `yaml.load` without a safe loader can build arbitrary Python objects from a document."""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import dotted, keyword, last_name, positional
from ..lint.rule import Invalid, LintRule

_SAFE_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"})
_SAFE = {"load": "safe_load", "load_all": "safe_load_all"}


class UnsafeYamlLoad(LintRule):
    CODE = "SCF015"
    MESSAGE = "yaml.load without a safe loader; use yaml.safe_load"
    GUARDRAIL = "DESIGN: generated code is production code (safe parsing of configuration)"
    KEYWORDS = (b"yaml",)

    VALID = (
        """
        import yaml

        config = yaml.safe_load(stream)
        other = yaml.load(stream, Loader=yaml.SafeLoader)
        """,
    )
    INVALID = (
        Invalid(
            """
            import yaml

            config = yaml.load(stream)
            """,
            expected="""
            import yaml

            config = yaml.safe_load(stream)
            """,
        ),
        Invalid(
            """
            import yaml as y

            docs = list(y.load_all(stream, Loader=y.FullLoader))
            config = y.load(stream, y.UnsafeLoader)
            """,
            expected="""
            import yaml as y

            docs = list(y.safe_load_all(stream))
            config = y.safe_load(stream)
            """,
        ),
    )

    def setup(self) -> None:
        self._modules: set[str] = set()

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            if dotted(alias.name) == "yaml":
                self._modules.add(dotted(alias.asname.name) if alias.asname else "yaml")  # type: ignore[arg-type]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value in _SAFE
            and isinstance(func.value, cst.Name)
            and func.value.value in self._modules
        ):
            return
        args = positional(node)
        loader = keyword(node, "Loader") or (args[1] if len(args) > 1 else None)
        if loader is not None and last_name(loader.value) in _SAFE_LOADERS:
            return
        self.report(node, replacement=_safe_call)


def _safe_call(call: cst.Call) -> cst.Call:
    func = call.func
    assert isinstance(func, cst.Attribute)
    args = positional(call)
    loader = keyword(call, "Loader") or (args[1] if len(args) > 1 else None)
    kept = [arg for arg in call.args if arg is not loader]
    if kept:
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return call.with_changes(func=func.with_changes(attr=cst.Name(_SAFE[func.attr.value])), args=kept)
