"""SCF007: `fetch_marker_from_storage` / `persist_marker_to_storage` are deprecated in SDK 3.x and gone in v4.

Calls in the SDK 2.x shape (workflow_args first) are left alone: on 2.x these helpers are the only API, and moving
such an app to v3 is a migration, not a lint fix. The fix moves the v3-shaped calls (connection_qualified_name) to
`fetch_marker` / `persist_marker` and turns `marker, next_marker = await fetch_marker_from_storage(...)` into
MarkerPair attributes. A file is fixed all at once or not at all: renaming the import while one use stays behind
would break it.
"""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import keyword, last_name, positional, unwrap_await
from ..lint.rule import Invalid, LintRule, Replacement

_NEW = {"fetch_marker_from_storage": "fetch_marker", "persist_marker_to_storage": "persist_marker"}
_PAIR = "marker_pair"


class DeprecatedMarkerHelper(LintRule):
    CODE = "SCF007"
    MESSAGE = "deprecated marker helper (removed in SDK v4); use fetch_marker / persist_marker"
    GUARDRAIL = "atlan-sdk §3 and §5: no fetch_marker_from_storage / persist_marker_to_storage"
    KEYWORDS = (b"_marker_from_storage", b"_marker_to_storage")

    VALID = (
        """
        from application_sdk.common.incremental import fetch_marker, persist_marker

        pair = await fetch_marker(connection_qualified_name=cqn)
        await persist_marker(cqn, pair.next_marker)
        """,
        # SDK 2.x: the helpers take workflow_args and have no successor there.
        """
        from application_sdk.common.incremental.marker import fetch_marker_from_storage, persist_marker_to_storage

        marker, next_marker = await fetch_marker_from_storage(workflow_args, prepone_enabled=True)
        await persist_marker_to_storage(workflow_args, next_marker)
        """,
    )
    INVALID = (
        Invalid(
            """
            from application_sdk.common.incremental import fetch_marker_from_storage, persist_marker_to_storage


            async def run(cqn):
                marker, next_marker = await fetch_marker_from_storage(connection_qualified_name=cqn)  # why
                await persist_marker_to_storage(connection_qualified_name=cqn, marker_value=next_marker)
            """,
            expected="""
            from application_sdk.common.incremental import fetch_marker, persist_marker


            async def run(cqn):
                marker_pair = await fetch_marker(connection_qualified_name=cqn)  # why
                marker, next_marker = marker_pair.marker, marker_pair.next_marker
                await persist_marker(connection_qualified_name=cqn, marker_value=next_marker)
            """,
        ),
        Invalid(
            """
            from application_sdk.common import incremental
            from application_sdk.common.incremental import fetch_marker, persist_marker_to_storage

            await incremental.persist_marker_to_storage(cqn, value)
            """,
            expected="""
            from application_sdk.common import incremental
            from application_sdk.common.incremental import fetch_marker, persist_marker

            await incremental.persist_marker(cqn, value)
            """,
        ),
        # A re-export: the callers are in other modules.
        Invalid(
            """
            from application_sdk.common.incremental.marker import fetch_marker, fetch_marker_from_storage

            __all__ = ["fetch_marker", "fetch_marker_from_storage"]
            """
        ),
        # The dict result is used, which a MarkerPersistResult does not replace one for one.
        Invalid(
            """
            result = await persist_marker_to_storage(cqn, value)
            """
        ),
    )

    def setup(self) -> None:
        self._pending: list[tuple[cst.CSTNode, Replacement | None]] = []
        self._fixable = True
        self._names_seen = 0
        self._names_handled = 0
        self._discarded: set[int] = set()
        self._unpacked: set[int] = set()
        self._imports: list[tuple[cst.CSTNode, Replacement | None]] = []
        self._v2_calls = 0

    def leave_Module(self, node: cst.Module) -> None:
        if self._v2_calls and not self._pending:
            return  # an SDK 2.x module
        # A use the rule did not rewrite (a def, a reference, a 2.x call, an alias) would dangle after renaming,
        # and an import without a call is a re-export whose users are elsewhere.
        complete = self._names_seen == self._names_handled and not self._v2_calls
        fixable = self._fixable and complete and bool(self._pending)
        for reported, replacement in self._imports + self._pending:
            self.report(reported, replacement=replacement if fixable else None)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in _NEW:
            self._names_seen += 1

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        deprecated = [alias for alias in node.names if last_name(alias.name) in _NEW]
        if not deprecated:
            return
        self._names_handled += len(deprecated)
        if any(alias.asname is not None for alias in deprecated):
            self._fixable = False
            self._imports.append((node, None))
        else:
            self._imports.append((node, _renamed_import))

    def visit_Expr(self, node: cst.Expr) -> None:
        self._discarded.add(id(unwrap_await(node.value)))

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        # marker, next_marker = await fetch_marker_from_storage(connection_qualified_name=...)
        assign = node.body[0] if len(node.body) == 1 else None
        if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1):
            return
        target = assign.targets[0].target
        call = unwrap_await(assign.value)
        if (
            isinstance(target, cst.Tuple | cst.List)
            and len(target.elements) == 2
            and not any(isinstance(element, cst.StarredElement) for element in target.elements)
            and isinstance(call, cst.Call)
            and last_name(call.func) == "fetch_marker_from_storage"
            and not _v2_shape(call)
        ):
            self._unpacked.add(id(call))
            self._names_handled += 1
            self._pending.append((node, _marker_pair_lines))

    def visit_Call(self, node: cst.Call) -> None:
        name = last_name(node.func)
        if name not in _NEW or id(node) in self._unpacked:
            return
        self._names_handled += 1
        if _v2_shape(node):
            self._v2_calls += 1
        elif name == "persist_marker_to_storage" and id(node) in self._discarded:
            self._pending.append((node, _renamed_call))
        else:
            self._fixable = False
            self._pending.append((node, None))


def _v2_shape(call: cst.Call) -> bool:
    """SDK 2.x calls pass the workflow_args dict instead of the connection's qualified name."""
    if keyword(call, "workflow_args") is not None:
        return True
    first = next(iter(positional(call)), None)
    return first is not None and (isinstance(first.value, cst.Dict) or "args" in (last_name(first.value) or ""))


def _renamed(func: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(func, cst.Attribute):
        return func.with_changes(attr=cst.Name(_NEW[func.attr.value]))
    assert isinstance(func, cst.Name)
    return cst.Name(_NEW[func.value])


def _renamed_call(call: cst.Call) -> cst.Call:
    return call.with_changes(func=_renamed(call.func))


def _renamed_import(node: cst.ImportFrom) -> cst.ImportFrom:
    assert not isinstance(node.names, cst.ImportStar)
    aliases: list[cst.ImportAlias] = []
    seen: set[str] = set()
    for alias in node.names:
        name = last_name(alias.name) or ""
        new = _NEW.get(name, name)
        if new in seen:
            continue
        seen.add(new)
        aliases.append(alias.with_changes(name=cst.Name(new)) if name in _NEW else alias)
    if len(aliases) < len(node.names) and node.lpar is None:
        aliases[-1] = aliases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return node.with_changes(names=aliases)


def _marker_pair_lines(line: cst.SimpleStatementLine) -> cst.FlattenSentinel[cst.SimpleStatementLine]:
    assign = line.body[0]
    assert isinstance(assign, cst.Assign)
    value = assign.value
    if isinstance(value, cst.Await):
        value = value.with_changes(expression=_renamed_call(value.expression))  # type: ignore[arg-type]
    else:
        value = _renamed_call(value)  # type: ignore[arg-type]
    fetch = line.with_changes(body=[cst.Assign(targets=[cst.AssignTarget(cst.Name(_PAIR))], value=value)])
    attributes = cst.Tuple(
        [
            cst.Element(
                cst.Attribute(cst.Name(_PAIR), cst.Name("marker")),
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
            ),
            cst.Element(cst.Attribute(cst.Name(_PAIR), cst.Name("next_marker"))),
        ],
        lpar=[],
        rpar=[],
    )
    unpack = cst.SimpleStatementLine([cst.Assign(targets=assign.targets, value=attributes)])
    return cst.FlattenSentinel([fetch, unpack])
