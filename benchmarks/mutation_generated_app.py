"""Hand mutations of the generated stripe app, each run against the app's own test suite.

Renders the app from fixtures/specs/stripe.answers.yml with this repo's `scaffold new-connector` into a scratch
folder, runs its suite once unmutated (it must pass, or the table would mean nothing), then for every mutant in
MUTANTS replaces one exact piece of text in one file, runs the suite in the SDK venv (stopping at the first
failure), and restores the file. A mutant is killed when the suite fails and the first failing test (named in the
table) passes again once the file is restored; FLAKY when that test fails without the mutant too; SURVIVED when
the suite passes; STALE when its old text is not in the render exactly once (the template moved on: update the
mutant). Prints a Markdown table and the kill rate; exits 1 when a mutant survived or went stale.
tests/test_mutation_generated_app.py checks every old text against a fresh render, so the list cannot rot unseen.

Not a test: `python benchmarks/mutation_generated_app.py [--sdk-venv PATH] [--only NAME ...] [--timeout SECONDS]`
(SDK venv from --sdk-venv, else SCAFFOLD_SDK_VENV). About a minute per mutant on an idle two-core machine.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ANSWERS = REPO / "fixtures" / "specs" / "stripe.answers.yml"
# Cheap tests first, since -x stops at the first failure: the unit tests (where most guarantees
# are pinned), then the inline runs and the preflight matrix (seconds each), then the two slow
# ones (a 100,000-record fan-out, a Temporal run).
SLOW_LAST = (
    "tests/e2e",
    "tests/unit/test_preflight_scenarios.py",
    "tests/unit/test_memory.py",
    "tests/integration",
)


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    old: str
    new: str
    guarantee: str


_PERSIST = """        await self.persist_schema(
            PersistSchemaInput(
                workflow_id=input.workflow_id,
                connection_qualified_name=qualified_name,
                current_schema=transformed.current_schema,
            )
        )
"""

MUTANTS: tuple[Mutant, ...] = (
    # ---- the twelve that survived the first round (issue 13, item 4) ----
    Mutant(
        "baseline-before-upload",
        "app/connector.py",
        "        uploaded = await self.upload(\n",
        _PERSIST + "        uploaded = await self.upload(\n",
        "a failed upload leaves the schema baseline untouched",
    ),
    Mutant(
        "resets-not-retried",
        "app/http_client.py",
        "_RETRYABLE = (RetryableStatusError, httpx.TimeoutException, httpx.TransportError)",
        "_RETRYABLE = (RetryableStatusError, httpx.TimeoutException)",
        "connection resets are retried",
    ),
    Mutant(
        "retry-after-uncapped",
        "app/http_client.py",
        "return min(error.retry_after_seconds, self.settings.retry_after_max_seconds)",
        "return error.retry_after_seconds",
        "Retry-After is capped",
    ),
    Mutant(
        "no-jitter",
        "app/http_client.py",
        "self._backoff = wait_random_exponential(",
        'self._backoff = __import__("tenacity").wait_exponential(',
        "backoff is jittered",
    ),
    Mutant(
        "no-pacing-headroom",
        "app/http_client.py",
        "PACING_HEADROOM = 0.98",
        "PACING_HEADROOM = 1.0",
        "pacing leaves headroom for a request that arrives late",
    ),
    Mutant(
        "watermark-dropped",
        "app/output.py",
        "watermark_min=watermark.low,\n                watermark_max=watermark.high,",
        "watermark_min=None,\n                watermark_max=None,",
        "run metadata carries each entity's watermark range",
    ),
    Mutant(
        "finished-at-start",
        "app/connector.py",
        "            finished_at=_utc_now(),\n",
        "            finished_at=input.started_at,\n",
        "run metadata finishes after the extraction",
    ),
    Mutant(
        "chunk-limit-50gb",
        "app/output.py",
        "MAX_CHUNK_BYTES = 50 * 1024 * 1024",
        "MAX_CHUNK_BYTES = 50 * 1024 * 1024 * 1024",
        "chunks stay under the platform limit",
    ),
    Mutant(
        "retry-cleanup-removed",
        "app/output.py",
        "        shutil.rmtree(output)\n",
        "        pass\n",
        "a retried attempt leaves nothing of the previous one",
    ),
    Mutant(
        "cursor-loop-guard-removed",
        "app/pagination.py",
        "if not last_ids or str(last_ids[-1]) in seen:",
        "if not last_ids:",
        "a repeating cursor stops the listing",
    ),
    Mutant(
        "test-auth-no-timeout",
        "app/handler.py",
        "            async with asyncio.timeout(input.timeout_seconds):\n",
        "            if input.timeout_seconds:\n",
        "test_auth gives up at its timeout",
    ),
    Mutant(
        "probe-no-deadline",
        "app/handler.py",
        "            async with asyncio.timeout(budget_seconds):\n",
        "            if budget_seconds:\n",
        "a hung preflight probe is cut at its deadline",
    ),
    # ---- retries and the client ----
    Mutant(
        "5xx-not-retried",
        "app/http_client.py",
        "if status == 429 or status >= 500:",
        "if status == 429:",
        "5xx answers are retried",
    ),
    Mutant(
        "429-not-retried",
        "app/http_client.py",
        "if status == 429 or status >= 500:",
        "if status >= 500:",
        "429 answers are retried",
    ),
    Mutant(
        "retry-after-ignored",
        "app/http_client.py",
        "if isinstance(error, RetryableStatusError) and error.retry_after_seconds is not None:",
        "if False:",
        "Retry-After is honoured below the cap",
    ),
    Mutant(
        "one-attempt-too-many",
        "app/http_client.py",
        "stop=stop_after_attempt(self.settings.max_attempts),",
        "stop=stop_after_attempt(self.settings.max_attempts + 1),",
        "a request is tried at most max_attempts times, then dead-lettered",
    ),
    Mutant(
        "no-request-timeout",
        "app/http_client.py",
        "timeout=httpx.Timeout(settings.request_timeout_seconds),",
        "timeout=None,",
        "a slow response times out and is retried",
    ),
    Mutant(
        "401-untyped",
        "app/http_client.py",
        "        if status == 401:\n",
        "        if status == 1401:\n",
        "a rejected credential fails as AUTH_CREDENTIALS_REJECTED",
    ),
    Mutant(
        "cross-origin-followed",
        "app/http_client.py",
        'if "://" in url and origin(url) != self._origin:',
        "if False:",
        "links to another origin are not followed",
    ),
    Mutant(
        "plain-http-anywhere",
        "app/http_policy.py",
        'if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:',
        'if parts.scheme == "http":',
        "https only; plain http just for loopback tests",
    ),
    # ---- pacing and the concurrency cap ----
    Mutant(
        "limits-not-shared",
        "app/http_client.py",
        "per_loop = _SHARED.setdefault(asyncio.get_running_loop(), {})",
        "per_loop: dict[tuple[object, ...], SourceLimits] = {}",
        "clients of one source share its pace and cap",
    ),
    Mutant(
        "no-concurrency-cap",
        "app/http_client.py",
        "        async with limits.slots:\n",
        "        if limits.slots:\n",
        "requests in flight never exceed the concurrency cap",
    ),
    Mutant(
        "no-pacer-wait",
        "app/http_client.py",
        "            await limits.pacer.wait()\n",
        "            pass\n",
        "requests are spread below the rate limit",
    ),
    Mutant(
        "burst-credit",
        "app/http_client.py",
        "        slot = max(now, self._next)\n",
        "        slot = now\n",
        "slots one interval apart, no burst credit",
    ),
    Mutant(
        "bunching-counted-as-sent",
        "app/http_client.py",
        "self._sent.append(max(now, self._sent[-1] + self.interval) if self._sent else now)",
        "self._sent.append(now)",
        "requests that go out late and bunch up still fit the window",
    ),
    # ---- pagination ----
    Mutant(
        "has-more-ignored",
        "app/pagination.py",
        "if value_at(body, HAS_MORE_FIELD) is not True or not records:",
        "if not records:",
        "reading stops where the source says it ends",
    ),
    Mutant(
        "page-size-not-sent",
        "app/pagination.py",
        "        params = {**dict(entity.params), PAGE_SIZE_PARAM: str(page_size)}\n",
        "        params = {**dict(entity.params)}\n",
        "every page is read at the configured page size",
    ),
    # ---- extraction, dead letters, output ----
    Mutant(
        "record-without-id-kept",
        "app/extract.py",
        "        elif record.get(entity.id_field) is None:\n",
        "        elif False:\n",
        "malformed records are dead-lettered, the rest kept",
    ),
    Mutant(
        "fan-out-out-of-order",
        "app/extract.py",
        "        while pending:\n            await stage.write(await pending.popleft())\n",
        "        while pending:\n            await stage.write(await pending.pop())\n",
        "children are written in parent order",
    ),
    Mutant(
        "fan-out-unbounded",
        "app/extract.py",
        "            if len(pending) >= limit:\n",
        "            if False:\n",
        "memory stays bounded on a large fan-out",
    ),
    Mutant(
        "path-walk-allowed",
        "app/extract.py",
        '        if any(part in (".", "..") for part in text.split("/")):\n            return None\n',
        "",
        "a parent value cannot walk the API path",
    ),
    Mutant(
        "dead-letter-not-logged",
        "app/extract.py",
        '    logger.warning(\n        "Dead-lettered',
        '    logger.debug(\n        "Dead-lettered',
        "a dead-lettered request is logged",
    ),
    Mutant(
        "redaction-off",
        "app/redaction.py",
        "    return redact_secrets(text)\n",
        "    return text\n",
        "redact masks tokens and secret parameters",
    ),
    Mutant(
        "dead-letter-params-raw",
        "app/dead_letter.py",
        '"params": redact_params(params)',
        '"params": dict(params or {})',
        "a dead-lettered request carries no secret",
    ),
    Mutant(
        "dead-letters-not-uploaded",
        "app/output.py",
        '        dead = _copy_dead_letters(own, output / DEAD_LETTER_DIR / f"{entity.name}.jsonl")\n',
        "        dead = 0\n",
        "a failing request is dead-lettered and the run reports it",
    ),
    Mutant(
        "drift-never-detected",
        "app/output.py",
        "drift_detected=bool(changes),",
        "drift_detected=False,",
        "a changed source is reported as drift",
    ),
    Mutant(
        "always-success",
        "app/connector.py",
        "status=OutputStatus.PARTIAL_SUCCESS if dead_lettered else OutputStatus.SUCCESS,",
        "status=OutputStatus.SUCCESS,",
        "a run that dead-lettered reports partial success",
    ),
    Mutant(
        "metric-labels-without-run",
        "app/connector.py",
        'labels = {**run, "entity": summary.entity}',
        'labels = {"entity": summary.entity}',
        "every metric names its connection, workflow and run",
    ),
    # ---- handler ----
    Mutant(
        "advisory-blocks",
        "app/handler.py",
        "blocked = any(not check.passed for check in checks if check.name in MANDATORY_CHECKS)",
        "blocked = any(not check.passed for check in checks)",
        "a failing child listing is advisory",
    ),
    Mutant(
        "budget-not-split",
        "app/handler.py",
        "share = input.timeout_seconds / max(1, PROBE_COUNT)",
        "share = input.timeout_seconds",
        "the preflight budget holds when every listing hangs",
    ),
    Mutant(
        "flattened-credential-ignored",
        "app/auth.py",
        '        value = credentials.get(f"extra.{key}")\n',
        "        value = None\n",
        "credentials arrive in every entrypoint shape",
    ),
)


@dataclass
class Outcome:
    mutant: Mutant
    verdict: str  # "killed", "SURVIVED", "STALE", "FLAKY"
    detail: str
    seconds: float


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_venv = os.environ.get("SCAFFOLD_SDK_VENV")
    parser.add_argument("--sdk-venv", type=Path, default=Path(default_venv) if default_venv else None)
    parser.add_argument("--only", nargs="*", default=None, help="mutant names to run (default: all)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per suite run (a hang is a kill)")
    parser.add_argument("--keep", type=Path, help="render into this folder and keep it (default: a temp folder)")
    return parser.parse_args(argv)


def render(dest: Path) -> Path:
    scaffold = Path(sys.executable).parent / "scaffold"
    done = subprocess.run(
        [str(scaffold), "new-connector", "stripe", "--data-file", str(ANSWERS), "--dest", str(dest)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"rendering the stripe app failed: {done.stderr.strip()}")
    return dest


def stale_reason(app: Path, mutant: Mutant) -> str | None:
    """Why the mutant cannot be applied to this render, or None when its old text is there exactly once."""
    path = app / mutant.file
    if not path.is_file():
        return f"{mutant.file} is not in the render"
    count = path.read_text().count(mutant.old)
    if count == 1:
        return None
    return f"old text found {count} times in {mutant.file}"


_FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+?)(?: - |$)", re.MULTILINE)


def suite_order(app: Path) -> tuple[str, ...]:
    """Every test file of the app, the slow ones last."""
    files = sorted(str(path.relative_to(app)) for path in (app / "tests").rglob("test_*.py"))
    slow = [name for prefix in SLOW_LAST for name in files if name.startswith(prefix)]
    return (*[name for name in files if name not in slow], *slow)


def run_suite(venv: Path, app: Path, timeout: float, tests: tuple[str, ...] = ()) -> tuple[bool, str]:
    """(passed, first failing test or reason) of the app's suite (or of `tests`), stopping at the first failure."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PYTHONPATH=str(app), PATH=f"{venv / 'bin'}:{env.get('PATH', '')}", PYTHONDONTWRITEBYTECODE="1")
    command = [str(venv / "bin" / "python"), "-m", "pytest", "-x", "-q", "-rfE", "-p", "no:cacheprovider"]
    try:
        done = subprocess.run(
            [*command, *(tests or suite_order(app))],
            cwd=app,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False, f"suite timed out after {timeout:g} s"
    if done.returncode == 0:
        return True, ""
    found = _FAILED.search(done.stdout)
    if found:
        return False, found.group(1)
    tail = (done.stdout + done.stderr).strip().splitlines()[-1:] or ["no output"]
    return False, f"suite exited {done.returncode}: {tail[0][:120]}"


def run_mutant(venv: Path, app: Path, mutant: Mutant, timeout: float) -> Outcome:
    started = time.monotonic()
    reason = stale_reason(app, mutant)
    if reason is not None:
        return Outcome(mutant, "STALE", reason, 0.0)
    path = app / mutant.file
    original = path.read_text()
    path.write_text(original.replace(mutant.old, mutant.new, 1))
    try:
        passed, detail = run_suite(venv, app, timeout)
    finally:
        path.write_text(original)
    if passed:
        return Outcome(mutant, "SURVIVED", "", time.monotonic() - started)
    if "::" in detail:
        # A kill counts only when the killing test passes without the mutant: a test
        # that fails on a loaded machine whatever the code is not evidence.
        clean, _ = run_suite(venv, app, timeout, (detail,))
        if not clean:
            return Outcome(mutant, "FLAKY", f"{detail} fails without the mutant too", time.monotonic() - started)
    return Outcome(mutant, "killed", detail, time.monotonic() - started)


def table(outcomes: list[Outcome]) -> str:
    rows = [
        "| mutant | file | guarantee | result |",
        "|---|---|---|---|",
    ]
    for outcome in outcomes:
        if outcome.verdict == "killed":
            result = f"killed by `{outcome.detail}`"
        else:
            result = f"**{outcome.verdict}**" + (f" ({outcome.detail})" if outcome.detail else "")
        mutant = outcome.mutant
        rows.append(f"| {mutant.name} | {mutant.file} | {mutant.guarantee} | {result} |")
    killed = sum(1 for outcome in outcomes if outcome.verdict == "killed")
    rows.append("")
    rows.append(f"Kill rate: {killed}/{len(outcomes)} ({100 * killed / max(1, len(outcomes)):.0f}%)")
    return "\n".join(rows)


def selected(only: list[str] | None) -> list[Mutant]:
    if not only:
        return list(MUTANTS)
    names = {mutant.name for mutant in MUTANTS}
    unknown = sorted(set(only) - names)
    if unknown:
        raise SystemExit(f"unknown mutant(s): {', '.join(unknown)}")
    return [mutant for mutant in MUTANTS if mutant.name in only]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.sdk_venv is None or not (args.sdk_venv / "bin" / "python").is_file():
        print("no SDK venv: pass --sdk-venv or set SCAFFOLD_SDK_VENV", file=sys.stderr)
        return 2
    mutants = selected(args.only)
    with tempfile.TemporaryDirectory() as scratch:
        app = render(args.keep or Path(scratch) / "atlan-stripe-app")
        passed, detail = run_suite(args.sdk_venv, app, args.timeout)
        if not passed:
            print(f"the unmutated app's suite fails ({detail}); fix that first", file=sys.stderr)
            return 2
        print("the unmutated app's suite passes", file=sys.stderr)
        outcomes = []
        for mutant in mutants:
            outcome = run_mutant(args.sdk_venv, app, mutant, args.timeout)
            print(f"{mutant.name}: {outcome.verdict} {outcome.detail} ({outcome.seconds:.0f} s)", file=sys.stderr)
            outcomes.append(outcome)
    print(table(outcomes))
    sys.stdout.flush()
    return 0 if all(outcome.verdict == "killed" for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
