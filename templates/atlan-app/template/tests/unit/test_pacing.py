"""Pacing and the concurrency cap, measured where the source sees them (server side).

Only bounds that load cannot break are asserted: the k-th request arrives no sooner
than k intervals after the start, and never more than the cap in flight. A count per
second at the server is not one of them (a busy machine notes arrivals late, and
late notes bunch), so the window and the headroom that keep every second under the
limit are asserted on a virtual clock. How close to the limit a run gets is
measured by the scaffold's benchmark, not asserted here.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from app.http_client import Pacer, open_client
from app.probe import TOP_LEVEL, probe
from tests.conftest import simulator_settings
from tests.support.simulator import SourceSimulator, busiest_window

ENTITY = TOP_LEVEL[0]
RATE = 20.0


def test_the_pacer_hands_out_slots_one_interval_apart_without_burst_credit() -> None:
    pacer = Pacer(50.0)
    interval = pacer.interval
    assert pacer.reserve(100.0) == 100.0
    assert pacer.reserve(100.0) == 100.0 + interval
    # A waiter that wakes late does not move the slots after it.
    assert pacer.reserve(100.0 + interval + 0.004) == pytest.approx(100.0 + 2 * interval)
    # After a pause the next request goes at once, and the one after a full interval later.
    assert pacer.reserve(200.0) == 200.0
    assert pacer.reserve(200.0) == pytest.approx(200.0 + interval)


def test_requests_that_go_out_late_and_bunch_up_still_fit_in_the_window() -> None:
    pacer = Pacer(2.0)
    # Two requests sent together after the loop was busy past their slots...
    pacer.sent(10.0)
    pacer.sent(10.001)
    # ...so the next one waits until the first is a full window old, whatever its slot.
    assert pacer.ready_at(10.002) == pytest.approx(10.0 + pacer.window_seconds)
    assert pacer.window_seconds > 1.0
    # A bunch counts as if it had gone out on schedule, so it is not repeated a window later.
    pacer.sent(10.0 + pacer.window_seconds)
    assert pacer.ready_at(10.0 + pacer.window_seconds) == pytest.approx(10.0 + pacer.interval + pacer.window_seconds)
    # On schedule the window never holds a request back.
    on_time = Pacer(2.0)
    first, second, third = (on_time.reserve(0.0) for _ in range(3))
    on_time.sent(first)
    on_time.sent(second)
    assert on_time.ready_at(third) == pytest.approx(third)


async def test_guarantee_requests_are_spread_below_the_rate_limit(
    simulator: SourceSimulator,
    credentials: dict[str, object],
) -> None:
    settings = simulator_settings(simulator, requests_per_second=RATE, max_concurrency=4)
    count = 30
    async with open_client(settings, credentials) as client:
        started = time.monotonic()
        await asyncio.gather(*(probe(client, ENTITY) for _ in range(count)))
    assert len(simulator.arrival_times()) == count
    assert simulator.early_arrivals(started, RATE) == []


async def test_guarantee_the_pace_holds_from_the_first_request(
    simulator: SourceSimulator,
    credentials: dict[str, object],
) -> None:
    # At two a second the second request is due half a second after the first: a
    # client that only kept the per-second window would send both at once, and
    # two loopback requests take far less than half a second even on a busy machine.
    rate = 2.0
    settings = simulator_settings(simulator, requests_per_second=rate, max_concurrency=4)
    async with open_client(settings, credentials) as client:
        # After the client is built (loading its CA bundle can take a while on a busy machine).
        started = time.monotonic()
        await asyncio.gather(*(probe(client, ENTITY) for _ in range(3)))
    assert len(simulator.arrival_times()) == 3
    assert simulator.early_arrivals(started, rate) == []


async def test_guarantee_clients_of_one_source_share_its_pace(
    simulator: SourceSimulator,
    credentials: dict[str, object],
) -> None:
    # Tasks that run together (the top-level listings of a run) each open a client.
    settings = simulator_settings(simulator, requests_per_second=RATE, max_concurrency=4)

    async def probes(count: int) -> None:
        async with open_client(settings, credentials) as client:
            await asyncio.gather(*(probe(client, ENTITY) for _ in range(count)))

    started = time.monotonic()
    await asyncio.gather(probes(15), probes(15))
    assert len(simulator.arrival_times()) == 30
    assert simulator.early_arrivals(started, RATE) == []


async def test_requests_in_flight_never_exceed_the_concurrency_cap(
    simulator: SourceSimulator,
    credentials: dict[str, object],
) -> None:
    simulator.response_delay = 0.1
    settings = simulator_settings(simulator, requests_per_second=1000.0, max_concurrency=2)

    async def probes(count: int) -> None:
        async with open_client(settings, credentials) as client:
            await asyncio.gather(*(probe(client, ENTITY) for _ in range(count)))

    # Two clients of one source: the cap is the source's, not each client's.
    await asyncio.gather(probes(4), probes(4))
    assert simulator.max_in_flight == 2


async def test_a_rate_limited_source_answers_429_and_the_client_retries(
    simulator: SourceSimulator,
    credentials: dict[str, object],
) -> None:
    # Pacing at four times the source's limit: the source refuses, Retry-After is honoured.
    simulator.rate_limit = 1
    settings = simulator_settings(simulator, requests_per_second=4.0, max_concurrency=1, max_attempts=5)
    async with open_client(settings, credentials) as client:
        for _ in range(2):
            await probe(client, ENTITY)
        assert client.stats.retries == simulator.rate_limited
    assert simulator.rate_limited >= 1


def test_guarantee_pacing_leaves_headroom_for_a_request_that_arrives_late() -> None:
    # The source counts requests by its own clock. A request that reaches it late
    # (up to 20 ms: a slow network path, a busy proxy) next to later ones that arrive
    # on time must not make one more than the limit in any second it counts. Driven
    # on a virtual clock: the pacer's own slots, sent back to back, and the first
    # request delayed on the wire; counted the way the simulator counts.
    lateness = 0.015
    for rate in (2.0, 20.0, 100.0):
        pacer = Pacer(rate)
        now = 0.0
        arrivals: list[float] = []
        for number in range(3 * int(rate) + 1):
            now = pacer.ready_at(pacer.reserve(now))
            pacer.sent(now)
            arrivals.append(now + (lateness if number == 0 else 0.0))
        assert busiest_window(arrivals) <= rate, f"{rate:g} requests a second"
