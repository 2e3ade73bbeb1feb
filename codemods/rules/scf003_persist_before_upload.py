"""SCF003: the orchestration persists the state or marker only after the upload, so a failed upload loses nothing."""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import dotted, last_name, positional, string_value
from ..lint.bases import ScopedRule
from ..lint.patterns import PERSIST_CALL
from ..lint.rule import Invalid

_ACTIVITY_CALLS = frozenset(
    {"execute_activity", "execute_activity_method", "execute_local_activity", "execute_local_activity_method"}
)
_UPLOADS = frozenset({"upload", "upload_refs", "upload_to_atlan"})


class PersistBeforeUpload(ScopedRule):
    CODE = "SCF003"
    MESSAGE = "state or marker persisted before the upload; persist it after the upload succeeded"
    GUARDRAIL = "atlan-sdk §5 IMPL-01/REFUSE-04; seed: advance watermarks only after a successful commit"
    KEYWORDS = (b"upload",)

    VALID = (
        """
        class MyApp(App):
            async def run(self, input: In) -> Out:
                await self.extract(input)
                uploaded = await self.upload(UploadInput(local_path=out))
                await self.persist_incremental_state(state)
        """,
        """
        @workflow.defn
        class Wf(MetadataExtractionWorkflow):
            @workflow.run
            async def run(self, config):
                await workflow.execute_activity_method(acts.upload_to_atlan, args=[a])
                await workflow.execute_activity_method(acts.persist_marker, args=[a])
        """,
    )
    INVALID = (
        Invalid(
            """
            class MyApp(App):
                @entrypoint
                async def extract_metadata(self, input: In) -> Out:
                    await persist_marker(input.connection_qualified_name, pair.next_marker)
                    await self.upload(UploadInput(local_path=out))
            """
        ),
        Invalid(
            """
            @workflow.defn
            class Wf(MetadataExtractionWorkflow):
                @workflow.run
                async def run(self, config):
                    await workflow.execute_activity_method(self.activities_cls.write_current_state, args=[a])
                    await workflow.execute_activity_method(self.activities_cls.upload_to_atlan, args=[a])
            """
        ),
    )

    def setup(self) -> None:
        self._calls: list[list[tuple[str, cst.Call]]] = []

    def enter_function(self, node: cst.FunctionDef) -> None:
        self._calls.append([])

    def exit_function(self, node: cst.FunctionDef) -> None:
        calls = self._calls.pop()
        kinds = [kind for kind, _ in calls]
        if "upload" not in kinds:
            return
        for kind, call in calls[: kinds.index("upload")]:
            if kind == "persist":
                self.report(call)

    def visit_Call(self, node: cst.Call) -> None:
        if self.role != "orchestrator":
            return
        name = last_name(node.func)
        if name in _ACTIVITY_CALLS:
            activity = next(iter(positional(node)), None)
            name = (last_name(activity.value) or string_value(activity.value)) if activity else None
        elif name == "commit" and "state" in (dotted(node.func) or ""):
            name = "commit_state"
        if name in _UPLOADS:
            self._calls[-1].append(("upload", node))
        elif name and PERSIST_CALL.match(name):
            self._calls[-1].append(("persist", node))
