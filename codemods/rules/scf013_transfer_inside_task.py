"""SCF013: `self.upload` and the other framework transfers run from run() or an @entrypoint, never inside a @task."""

from __future__ import annotations

import libcst as cst

from ..lint.bases import ScopedRule
from ..lint.rule import Invalid

_TRANSFERS = frozenset({"upload", "upload_refs", "download", "cleanup_storage"})


class TransferInsideTask(ScopedRule):
    CODE = "SCF013"
    MESSAGE = "self.upload/download inside a @task; call it from run() or an @entrypoint"
    GUARDRAIL = "atlan-sdk §2 framework tasks / §5 (conformance P008)"
    KEYWORDS = (b"upload", b"download", b"cleanup_storage")

    VALID = (
        """
        class MyApp(App):
            @task(timeout_seconds=600)
            async def transform(self, input: In) -> Out:
                return Out(path=write(input))

            async def run(self, input: In) -> Out:
                out = await self.transform(input)
                await self.upload(UploadInput(local_path=out.path))
        """,
    )
    INVALID = (
        Invalid(
            """
            class MyApp(App):
                @task
                async def transform(self, input: In) -> Out:
                    await self.upload(UploadInput(local_path=write(input)))
            """
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in _TRANSFERS
            and isinstance(func.value, cst.Name)
            and func.value.value == "self"
            and self.role == "task"
        ):
            self.report(node)
