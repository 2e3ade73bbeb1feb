"""SCF005: only the SDK's not-found error may be swallowed around a state or marker read.

A broad handler turns a corrupt or unreachable state into "no state", and the next run silently re-extracts or
skips; a handler that re-raises is fine.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..cst_helpers import dotted, last_name
from ..lint.patterns import STATE_READ_CALL
from ..lint.rule import Invalid, LintRule

_BROAD = frozenset({"Exception", "BaseException", "StorageError"})
# Reads on a CurrentStateStore (or any *state* / *store* object), and the SDK 3.x StateStore's load().
_STORE_READS = frozenset({"probe", "materialize", "load"})
# Object-store reads of SDK 2.x (`ObjectStore.download_file`) and 3.x (`application_sdk.storage.download_file`):
# a state read when what they fetch is named for a state, marker or the previous run.
_OBJECT_READS = frozenset({"download_file", "download_prefix", "get_content", "download_s3_prefix_with_structure"})
_STATE_WORDS = ("state", "marker", "watermark", "previous", "persistent", "last_run")


class BroadExceptStateRead(LintRule):
    CODE = "SCF005"
    MESSAGE = "broad except around a state or marker read; catch StorageNotFoundError only"
    GUARDRAIL = "atlan-sdk §5 IMPL-07: only StorageNotFoundError may be swallowed around state reads"
    KEYWORDS = (b"marker", b"state", b"watermark", b"probe", b"materialize", b"download_", b"get_content")

    VALID = (
        """
        try:
            pair = await fetch_marker(cqn)
        except StorageNotFoundError:
            pair = None
        """,
        """
        try:
            snapshot = await store.probe()
        except Exception:
            logger.error("state read failed", exc_info=True)
            raise
        """,
        """
        try:
            rows = await client.list_tables()
        except Exception:
            rows = []
        """,
        # A download of the run's own output is not a state read (asset_descriptor_reminder/app/helper.py re-raises
        # anyway).
        """
        try:
            await ObjectStore.download_prefix(source, TEMPORARY_PATH)
        except Exception:
            logger.error("download failed")
        """,
    )
    INVALID = (
        Invalid(
            """
            try:
                marker = await fetch_marker(cqn)
            except Exception:
                marker = None
            """
        ),
        Invalid(
            """
            try:
                snapshot = await self.state_store.probe()
            except (StorageError, ValueError):
                snapshot = None
            """
        ),
        Invalid(
            """
            try:
                state = load_state(path)
            except:
                state = {}
            """
        ),
        # SDK 2.x download_marker_from_s3 (application_sdk/common/incremental/helpers.py).
        Invalid(
            """
            try:
                await ObjectStore.download_file(
                    source=marker_s3_key, destination=str(local_marker_path), store_name=UPSTREAM_OBJECT_STORE_NAME
                )
            except FileNotFoundError:
                logger.info("Marker file not found in S3 (first incremental run)")
            except Exception as e:
                logger.warning(f"Failed to download marker from S3: {e}")
            """
        ),
        Invalid(
            """
            try:
                previous = await self.context.state_store.load(f"{cqn}/state")
            except Exception:
                previous = None
            """
        ),
    )

    def setup(self) -> None:
        # Open try statements: [node, inside its body, a state read seen in the body]
        self._tries: list[list[Any]] = []

    def visit_Try(self, node: cst.Try) -> None:
        self._tries.append([node, True, False])

    def leave_Try(self, node: cst.Try) -> None:
        self._tries.pop()

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        frame = self._tries[-1] if self._tries else None
        if frame is None or not frame[1]:
            return
        frame[1] = False  # the body is done: what follows are handlers, else and finally
        if frame[2]:
            for handler in frame[0].handlers:
                if _broad(handler.type) and not _raises(handler.body):
                    self.report(handler)

    def visit_Call(self, node: cst.Call) -> None:
        name = last_name(node.func) or ""
        receiver = (dotted(node.func) or "").lower()
        if (
            STATE_READ_CALL.match(name)
            or (name in _STORE_READS and ("state" in receiver or ("store" in receiver and name != "load")))
            or (name in _OBJECT_READS and _names_state(node))
        ):
            for frame in self._tries:
                if frame[1]:
                    frame[2] = True


def _broad(caught: cst.BaseExpression | None) -> bool:
    if caught is None:
        return True
    if isinstance(caught, cst.Tuple):
        return any(_broad(element.value) for element in caught.elements)
    return last_name(caught) in _BROAD


def _raises(block: cst.CSTNode) -> bool:
    """Whether the handler re-raises somewhere in its own statements (not in nested functions)."""
    pending: list[Any] = [block]
    while pending:
        node = pending.pop()
        if isinstance(node, cst.Raise):
            return True
        if isinstance(node, cst.FunctionDef | cst.ClassDef | cst.BaseExpression):
            continue
        for part in ("body", "orelse", "finalbody", "handlers"):
            value = getattr(node, part, None)
            if isinstance(value, cst.CSTNode):
                pending.append(value)
            elif isinstance(value, tuple | list):
                pending.extend(value)
    return False


def _names_state(call: cst.Call) -> bool:
    """Whether an argument's names or strings speak of a state, a marker or the previous run."""
    pending: list[cst.CSTNode] = [arg.value for arg in call.args]
    while pending:
        node = pending.pop()
        text = ""
        if isinstance(node, cst.Name | cst.SimpleString | cst.FormattedStringText):
            text = node.value
        if text and any(word in text.lower() for word in _STATE_WORDS):
            return True
        pending.extend(node.children)
    return False
