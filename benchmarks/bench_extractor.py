"""How close a generated extractor gets to the source's rate limit, measured at its own simulator.

Renders an app with this repo's `scaffold new-connector` (stripe by default), then re-runs this file inside the
SDK venv with the app importable, starts the app's own simulator (tests/support/simulator.py) with the given
records, page size, latency and rate limit, and drives the app's own code: `extract.list_entity` for a top-level
list and a fan-out, and `App.run()` inline (tests/support/runtime.py) for a whole run of every entity. Requests
are counted where the source sees them, and the simulator answers 429 past the limit, so a run that paces too
fast shows up as 429s and a busiest second above the limit. Loopback only; every scenario is a bounded run.

Not a test: `python benchmarks/bench_extractor.py [--sdk-venv PATH] [--records N] [--parents N] ...`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
DEFAULT_SDK_VENV = Path(os.environ.get("SCAFFOLD_SDK_VENV", "/work/sdkcache/sdk-venv-py311"))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", default="stripe", help="catalog source to render (default: stripe)")
    parser.add_argument("--sdk-venv", type=Path, default=DEFAULT_SDK_VENV, help="venv with atlan-application-sdk")
    parser.add_argument("--records", type=int, default=10_000, help="records of the top-level list")
    parser.add_argument("--parents", type=int, default=400, help="parents of the fan-out (one request each)")
    parser.add_argument("--run-records", type=int, default=2_000, help="records per other entity in a whole run")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--rates", default="20,50", help="configured requests per second, comma-separated")
    parser.add_argument("--latency-ms", type=float, default=50.0, help="simulated latency of the slow scenarios")
    parser.add_argument("--max-concurrency", type=int, default=4)
    parser.add_argument("--drive", type=Path, help=argparse.SUPPRESS)  # the half that runs in the SDK venv
    return parser.parse_args(argv)


def render_and_drive(args: argparse.Namespace) -> int:
    """The repo-venv half: render the app, then run the driver half in the SDK venv inside it."""
    python = args.sdk_venv / "bin" / "python"
    if not python.is_file():
        print(f"no SDK venv at {args.sdk_venv}; pass --sdk-venv", file=sys.stderr)
        return 2
    scaffold = Path(sys.executable).parent / "scaffold"
    with tempfile.TemporaryDirectory() as scratch:
        app = Path(scratch) / "app"
        subprocess.run(
            [str(scaffold), "new-connector", args.source, "--defaults", "--dest", str(app)],
            check=True,
            capture_output=True,
        )
        forwarded = [a for a in sys.argv[1:] if not a.startswith("--sdk-venv")]
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        # The SDK logs to stdout; the table is what this prints.
        env.update(PYTHONPATH=str(app), PYTHONDONTWRITEBYTECODE="1", LOG_LEVEL=env.get("LOG_LEVEL", "ERROR"))
        done = subprocess.run([str(python), str(HERE), *forwarded, "--drive", str(app)], cwd=app, env=env, check=False)
        return done.returncode


# ---- the driver half: runs in the SDK venv with the rendered app importable ----


@dataclass
class Row:
    scenario: str
    rate: float
    latency_ms: float
    bound: str
    requests: int
    span: float  # first to last request at the simulator
    seconds: float  # wall clock of the whole scenario (a whole run includes transform and upload)
    records: int
    cpu_seconds: float
    busiest: int
    refused: int

    def cells(self) -> list[str]:
        # The rate the source saw while the run talked to it: n requests are n - 1 intervals.
        achieved = (self.requests - 1) / self.span if self.span > 0 else 0.0
        return [
            self.scenario,
            f"{self.latency_ms:.0f}",
            f"{self.rate:g}",
            self.bound,
            str(self.requests),
            f"{self.span:.2f}",
            f"{self.seconds:.2f}",
            f"{achieved:.1f}",
            f"{100 * achieved / self.rate:.1f}",
            f"{self.records / self.seconds:,.0f}",
            f"{100 * self.cpu_seconds / self.seconds:.0f}%",
            str(self.busiest),
            str(self.refused),
        ]


HEADER = [
    "scenario",
    "latency ms",
    "configured rps",
    "bound by",
    "requests",
    "request span s",
    "wall s",
    "achieved rps",
    "% of limit",
    "records/s",
    "CPU",
    "busiest 1 s",
    "429s",
]


def print_table(rows: list[Row]) -> None:
    table = [HEADER, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]
    for n, line in enumerate(table):
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")


def drive(args: argparse.Namespace) -> int:
    os.chdir(args.drive)
    # The simulator serves from threads of this process. At the default 5 ms GIL switch interval a request
    # waits up to that long, several times, before the simulator notes its arrival: jitter a real source on
    # another host does not add, and one that would wrongly move requests between one-second windows.
    sys.setswitchinterval(0.0005)
    return asyncio.run(_drive(args))


async def _drive(args: argparse.Namespace) -> int:
    # The rendered app's modules: importable only in this half, so looked up by name.
    App = importlib.import_module("application_sdk.app").App
    connector = importlib.import_module("app.connector")
    extract = importlib.import_module("app.extract")
    workspace: Any = importlib.import_module("app.workspace")
    open_client = importlib.import_module("app.http_client").open_client
    ENTITIES = importlib.import_module("app.spec").ENTITIES
    conftest = importlib.import_module("tests.conftest")
    dataset_module = importlib.import_module("tests.support.dataset")
    Dataset, make_record = dataset_module.Dataset, dataset_module.make_record
    runtime_module = importlib.import_module("tests.support.runtime")
    simulator_module = importlib.import_module("tests.support.simulator")
    SourceSimulator = simulator_module.SourceSimulator
    simulator_settings = conftest.simulator_settings

    app_class = next(
        value
        for value in vars(connector).values()
        if isinstance(value, type) and issubclass(value, App) and value is not App
    )
    top = next(e for e in ENTITIES if e.parent is None)
    child = next((e for e in ENTITIES if e.parent is not None), None)
    rates = [float(rate) for rate in args.rates.split(",")]
    latency = args.latency_ms / 1000
    credentials: dict[str, object] = dict(simulator_module.VALID_CREDENTIALS)
    scratch = Path(tempfile.mkdtemp(prefix="bench-extractor-"))
    workspace.WORK_ROOT = scratch / "work"
    App._task_context = conftest.InlineTaskContext()

    async def offload(func: Any, *a: Any, **kw: Any) -> Any:
        # What the task's run_in_thread does in production: file I/O off the loop.
        return await asyncio.to_thread(func, *a, **kw)

    def dataset(sizes: dict[str, int], parents_of: Any = None, children: int = 3) -> Any:
        data = Dataset()
        for entity in ENTITIES:
            data.records[entity.name] = [make_record(entity, n) for n in range(sizes.get(entity.name, 0))]
        for entity in ENTITIES:
            if entity.parent is None:
                continue
            per_parent = {}
            all_children: list[dict[str, object]] = []
            parent_def = next(e for e in ENTITIES if e.name == entity.parent)
            count = children if entity is parents_of or parents_of is None else 0
            for parent in data.records[entity.parent]:
                kids = [make_record(entity, len(all_children) + n) for n in range(count)]
                per_parent[str(parent[parent_def.id_field])] = kids
                all_children.extend(kids)
            data.children[entity.name] = per_parent
            data.records[entity.name] = all_children
        return data

    def bound(in_flight: float, rate: float, delay: float) -> str:
        # The most a run could do if the rate limit did not exist: requests in flight / latency.
        if delay <= 0 or in_flight / delay >= rate:
            return "rate limit"
        return f"latency ({in_flight / delay:.0f} rps)"

    rows: list[Row] = []
    with SourceSimulator(Dataset()) as simulator:
        # The host belongs to the credential: the client goes where the credential points.
        credentials.update(conftest.simulator_credentials(simulator))

        async def measure(name: str, rate: float, delay: float, data: Any, in_flight: float, body: Any) -> None:
            simulator.reset(data)
            simulator.response_delay = delay
            simulator.rate_limit = rate
            settings = simulator_settings(
                simulator,
                requests_per_second=rate,
                max_concurrency=args.max_concurrency,
                page_size=args.page_size,
                request_timeout_seconds=10.0,
                max_attempts=5,
            )
            cpu = time.process_time()
            start = time.perf_counter()
            records = await body(settings)
            seconds = time.perf_counter() - start
            arrivals = sorted(simulator.arrival_times())
            rows.append(
                Row(
                    scenario=name,
                    rate=rate,
                    latency_ms=delay * 1000,
                    bound=bound(in_flight, rate, delay),
                    requests=len(arrivals),
                    span=arrivals[-1] - arrivals[0] if arrivals else 0.0,
                    seconds=seconds,
                    records=records,
                    cpu_seconds=time.process_time() - cpu,
                    busiest=simulator.busiest_second(),
                    refused=simulator.rate_limited,
                )
            )
            print(f"  {name} at {rate:g} rps, {delay * 1000:.0f} ms: {seconds:.1f}s", file=sys.stderr)

        async def top_level(settings: Any) -> int:
            async with open_client(settings, credentials) as client:
                batch = await extract.list_entity(
                    client, top, scratch / "top", page_size=settings.page_size, offload=offload
                )
            return int(batch.counts.extracted)

        async def list_parents(data: Any) -> Path:
            assert child is not None
            parent = next(e for e in ENTITIES if e.name == child.parent)
            simulator.reset(data)
            fast = simulator_settings(simulator, page_size=args.page_size, request_timeout_seconds=10.0)
            async with open_client(fast, credentials) as client:
                listed = await extract.list_entity(
                    client, parent, scratch / "parents", page_size=args.page_size, offload=offload
                )
            return Path(listed.records.local_path or "")

        async def fan_out(settings: Any) -> int:
            assert child is not None
            async with open_client(settings, credentials) as client:
                batch = await extract.list_entity(
                    client,
                    child,
                    scratch / "children",
                    page_size=settings.page_size,
                    offload=offload,
                    upstream=parents_file,
                )
            return int(batch.counts.extracted)

        async def whole_run(settings: Any) -> int:
            runtime = runtime_module.install_runtime(credentials)
            app = app_class()
            app._context = runtime.context(run_id=f"bench-{len(rows)}", workflow_id="bench")
            result = await app.run(runtime_module.app_input(settings, "bench"))
            return sum(int(summary.counts.extracted) for summary in result.entities)

        top_data = dataset({top.name: args.records})
        for rate in rates:
            await measure(f"{top.name} (one paged list)", rate, 0.0, top_data, 1, top_level)
        await measure(f"{top.name} (one paged list)", rates[-1], latency, top_data, 1, top_level)
        if child is not None:
            fan_data = dataset({child.parent or "": args.parents}, child)
            parents_file = await list_parents(fan_data)
            for fan_out_delay in (0.0, latency):
                await measure(
                    f"{child.name} (fan-out)", rates[-1], fan_out_delay, fan_data, args.max_concurrency, fan_out
                )
        sizes = {e.name: args.run_records for e in ENTITIES if e.parent is None}
        if child is not None:
            sizes[child.parent or ""] = args.parents
        run_data = dataset(sizes)
        lists_at_once = sum(1 for e in ENTITIES if e.parent is None)
        for delay in (0.0, latency):
            await measure(
                f"whole run ({len(ENTITIES)} entities)",
                rates[-1],
                delay,
                run_data,
                min(args.max_concurrency, lists_at_once),
                whole_run,
            )
    print_table(rows)
    print(
        "\nRequests, their span and the busiest second are counted at the simulator; achieved rps is (requests - 1) "
        "/ span; records/s and CPU (this process, app and simulator, as a share of one core) use the wall clock; "
        "'bound by' is what would limit the run without the rate limit."
    )
    return 0


def main() -> int:
    args = parse_args()
    if args.drive is not None:
        return drive(args)
    return render_and_drive(args)


if __name__ == "__main__":
    sys.exit(main())
