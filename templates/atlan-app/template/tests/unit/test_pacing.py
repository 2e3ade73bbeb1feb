"""Pacing and the concurrency cap, measured where the source sees them (server side)."""

from __future__ import annotations

import asyncio

from app.http_client import PACING_HEADROOM, open_client
from app.probe import TOP_LEVEL, probe
from tests.conftest import simulator_settings
from tests.support.simulator import SourceSimulator

ENTITY = TOP_LEVEL[0]


async def test_requests_are_spread_below_the_rate_limit(
    simulator: SourceSimulator,
    credentials: dict[str, object],
) -> None:
    rate = 20.0
    settings = simulator_settings(simulator, requests_per_second=rate, max_concurrency=4)
    async with open_client(settings, credentials) as client:
        await asyncio.gather(*(probe(client, ENTITY) for _ in range(12)))
    arrivals = sorted(moment for moment, path in simulator.arrivals if path == ENTITY.list_path)
    assert len(arrivals) == 12
    # One request per 1/(rate * headroom) seconds, never a burst.
    assert arrivals[-1] - arrivals[0] >= (len(arrivals) - 1) / (rate * PACING_HEADROOM) * 0.9
    busiest_second = max(sum(1 for other in arrivals if start <= other < start + 1.0) for start in arrivals)
    assert busiest_second <= rate


async def test_requests_in_flight_never_exceed_the_concurrency_cap(
    simulator: SourceSimulator,
    credentials: dict[str, object],
) -> None:
    simulator.response_delay = 0.1
    settings = simulator_settings(simulator, requests_per_second=1000.0, max_concurrency=2)
    async with open_client(settings, credentials) as client:
        await asyncio.gather(*(probe(client, ENTITY) for _ in range(8)))
    assert simulator.max_in_flight == 2
