"""The pacing lessons of issue 17 in a generated Lakeflow source (item 5): requests on a schedule just under the
source's rate limit, shared by every connector of the source in the process; a 429's Retry-After honoured for all
of them, capped, with jitter. Driven through the stand-in checkout's simulator, on a fake clock (no timing asserts)."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import requests

from tests.lakeflow_helpers import PACKAGE, FakeTime, checkout_imports, load_module, new_checkout, scaffold

STRIPE = f"{PACKAGE}/sources/stripe"
SIMULATOR = f"{PACKAGE}/source_simulator/specs/stripe"
OPTIONS = {"api_token": "sk_test"}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = new_checkout(tmp_path_factory.mktemp("pacing") / "checkout")
    done = scaffold("new-connector", "stripe", "--target", "lakeflow", "--defaults", "--dest", str(root))
    assert done.exit_code == 0, done.output
    return root


class Source:
    """The generated module on a fake clock behind the simulator: the clock time of every request it sends, the
    status of each, and 429s to answer first (counted where the source sees them, as refused requests are)."""

    def __init__(self, module: ModuleType, clock: FakeTime) -> None:
        self.module, self.clock = module, clock
        self.sent: list[float] = []
        self.statuses: list[int] = []
        self.refuse = 0
        self.retry_after = ""

    def answer_429_first(self, retry_after: str, times: int = 1) -> None:
        self.refuse, self.retry_after = times, retry_after

    def connector(self) -> object:
        return self.module.StripeLakeflowConnect(dict(OPTIONS))


@pytest.fixture
def stripe(checkout: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Source]:
    with checkout_imports(checkout):
        from databricks.labs.community_connector.source_simulator import Simulator

        module = load_module(checkout / STRIPE / "stripe.py", "lakeflow_stripe_pacing")
        clock = FakeTime()
        monkeypatch.setattr(module, "time", clock)
        module._PACERS.clear()
        source = Source(module, clock)
        specs = checkout / SIMULATOR
        with Simulator(mode="simulate", spec_path=specs / "endpoints.yaml", corpus_dir=specs / "corpus"):
            simulated = requests.sessions.Session.send

            def send(session: requests.Session, request: requests.PreparedRequest, **kwargs: object) -> object:
                source.sent.append(clock.now)
                answer = simulated(session, request, **kwargs)
                if source.refuse:
                    source.refuse -= 1
                    answer = requests.Response()
                    answer.status_code, answer._content = 429, b"{}"
                    answer.headers["Retry-After"] = source.retry_after
                source.statuses.append(answer.status_code)
                return answer

            # Set and restored here, inside the simulator's own patch, so each is undone in order.
            requests.sessions.Session.send = send  # type: ignore[method-assign]
            try:
                yield source
            finally:
                requests.sessions.Session.send = simulated  # type: ignore[method-assign]


def _busiest_second(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 1) for start in times)


def test_connectors_of_one_source_share_a_schedule_just_under_the_limit(stripe: Source) -> None:
    first, second = stripe.connector(), stripe.connector()
    for n in range(60):
        records, _ = (first if n % 2 else second).read_table("charges", {}, {})
        assert len(list(records)) == 5
    limit, sent = stripe.module.REQUESTS_PER_SECOND, stripe.sent
    assert len(sent) == 60
    assert _busiest_second(sent) <= limit, "two connectors together went over the limit"
    achieved = (len(sent) - 1) / (sent[-1] - sent[0])
    assert achieved >= 0.95 * limit, f"{achieved:.2f} rps of {limit}"


def test_a_retry_after_holds_every_connector_of_the_source(stripe: Source) -> None:
    stripe.answer_429_first("5")
    first, second = stripe.connector(), stripe.connector()
    refused_at = stripe.clock.now
    assert len(list(first.read_table("charges", {}, {})[0])) == 5
    assert len(list(second.read_table("charges", {}, {})[0])) == 5
    assert stripe.statuses == [429, 200, 200]
    retried, other = stripe.sent[1], stripe.sent[2]
    # Five seconds plus at most half a second of jitter (a tenth of the wait), then the schedule goes on.
    assert refused_at + 5 <= retried <= refused_at + 5.5
    assert other >= retried + stripe.module._pacer(first._base_url).interval - 1e-9


@pytest.mark.parametrize(
    "header, low, high",
    [("100000", 60.0, 61.0), ("7", 7.0, 7.7), ("soon", 0.0, 2.0)],
    ids=["capped", "seconds", "unreadable: backoff with full jitter, at most 2 s after one attempt"],
)
def test_retry_after_is_capped_and_jittered(stripe: Source, header: str, low: float, high: float) -> None:
    stripe.answer_429_first(header)
    start = stripe.clock.now
    assert len(list(stripe.connector().read_table("charges", {}, {})[0])) == 5
    assert low <= stripe.sent[1] - start <= high


def test_retry_after_as_an_http_date(stripe: Source) -> None:
    stripe.answer_429_first(email.utils.formatdate(time.time() + 30, usegmt=True))
    start = stripe.clock.now
    assert len(list(stripe.connector().read_table("charges", {}, {})[0])) == 5
    # An HTTP date has whole seconds: 29-30 s from now, plus up to 3 s of jitter.
    assert 28.0 <= stripe.sent[1] - start <= 33.0


def test_waits_vary_so_streams_do_not_return_together(stripe: Source) -> None:
    waits = {stripe.module._retry_after("10") for _ in range(20)}
    assert len(waits) > 1 and all(10.0 <= w <= 11.0 for w in waits)
    assert stripe.module._retry_after(None) is None and stripe.module._retry_after("") is None


def test_a_run_of_429s_ends_in_the_error_after_max_attempts(stripe: Source) -> None:
    stripe.answer_429_first("1", times=100)
    with pytest.raises(requests.HTTPError):
        stripe.connector().read_table("charges", {}, {})
    assert stripe.statuses == [429] * stripe.module.MAX_ATTEMPTS
