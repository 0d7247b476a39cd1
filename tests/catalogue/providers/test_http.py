"""The client both providers share: its rate limit, its budget, and Retry-After, seen from the server."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time

from bot.catalogue.providers import Failure, TmdbProvider, WikidataProvider
from bot.catalogue.providers.http import retry_after
from tests.catalogue.providers.loopback import Reply, serve_tmdb, serve_wikidata


async def test_concurrent_calls_share_one_rate_limit(server):
    provider = TmdbProvider("token", base_url=serve_tmdb(server), rate=5.0, timeout=5.0)
    try:
        films = await asyncio.gather(*(provider.details("tmdb:movie:38360", ("en",), None) for _ in range(10)))
    finally:
        await provider.close()
    assert all(film.tmdb_id == 38360 for film in films)
    arrivals = [seen.at for seen in server.seen]
    assert len(arrivals) == 10
    span = arrivals[-1] - arrivals[0]
    assert span >= 1.8 - 0.02, span  # nine gaps of 1/5 s
    # Never more than five in any second: the sixth request after any one comes a full second later.
    assert min(later - earlier for earlier, later in zip(arrivals, arrivals[5:], strict=False)) >= 1.0 - 0.02


async def test_waiting_for_a_slot_counts_against_the_budget(server):
    provider = WikidataProvider(base_url=serve_wikidata(server), rate=1.0, timeout=0.4)
    try:
        started = time.monotonic()
        first, second = await asyncio.gather(
            provider.details("Q4497752", ("ru",), None), provider.details("Q4497752", ("ru",), None)
        )
        took = time.monotonic() - started
    finally:
        await provider.close()
    # Three requests a lookup at one a second: neither finishes, and neither waits past its budget.
    assert first == second == Failure("wikidata", "timeout")
    assert took < 0.4 + 0.15, took


async def test_a_503_with_retry_after_is_honoured_too(server):
    server.route("/3/find/tt0050634", Reply({"status_code": 9, "status_message": "Service offline."}, status=503,
                                            headers={"Retry-After": "20"}))
    provider = TmdbProvider("token", base_url=server.url + "/3")
    try:
        first = await provider.by_imdb(50634, ("en",), None)
        second = await provider.by_imdb(50634, ("en",), None)
    finally:
        await provider.close()
    assert first == Failure("tmdb", "503", retry_after=20.0)
    assert second.reason == "429" and second.retry_after > 19  # silenced: no request made
    assert len(server.seen) == 1


def test_retry_after_reads_seconds_and_http_dates():
    now = float(int(time.time()))  # HTTP dates are whole seconds
    assert retry_after("120") == 120.0
    assert retry_after(email.utils.formatdate(now + 30, usegmt=True), now=now) == 30.0
    assert retry_after(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0.0
    assert retry_after("9999999") == 3600.0  # capped: a bad header cannot silence a provider for months
    assert retry_after(None) is None and retry_after("soon") is None


async def test_calls_that_ran_out_of_budget_leave_no_queue_behind(server):
    provider = TmdbProvider("token", base_url=serve_tmdb(server), rate=2.0, timeout=0.3)
    try:
        crowd = await asyncio.gather(*(provider.details("tmdb:movie:38360", ("en",), None) for _ in range(6)))
        after = await provider.details("tmdb:movie:38360", ("en",), None)
    finally:
        await provider.close()
    assert crowd[0].tmdb_id == 38360
    assert all(answer == Failure("tmdb", "timeout") for answer in crowd[1:])
    assert after.tmdb_id == 38360  # the next member waits one interval, not behind five abandoned slots
    assert len(server.seen) == 2


async def test_a_host_that_cannot_be_reached_is_left_alone_for_a_while(server, caplog, unused_tcp_port):
    """No network (or the provider down): the first call fails as "network", and the calls after it
    fail at once, without a connection attempt or a log line each, until the back-off has passed."""
    down = f"http://127.0.0.1:{unused_tcp_port}"  # nothing listens there
    provider = TmdbProvider("token", base_url=down, timeout=2.0)
    try:
        with caplog.at_level(logging.INFO):
            first = await provider.details("tmdb:movie:38360", ("en",), None)
            started = time.monotonic()
            later = [await provider.details("tmdb:movie:38360", ("en",), None) for _ in range(5)]
            took = time.monotonic() - started
    finally:
        await provider.close()
    assert first == Failure("tmdb", "network")
    assert all(answer.reason == "network" and answer.transient for answer in later)
    assert all(25 < answer.retry_after <= 30 for answer in later)
    assert took < 0.05
    assert len([r for r in caplog.records if "failed" in r.getMessage()]) == 1
