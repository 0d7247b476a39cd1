"""How long what a provider said may be kept, and the purge that holds the cache to it.

TMDB's terms let an application keep its data for at most six months; Wikidata's is CC0, kept a
month so corrections reach the cards. "Not there" is remembered a week, so a film no provider
knows is not asked about on every card, yet one added since is found soon. A Failure is never
kept: a transient one (timeout, 429, 5xx) says nothing about the film, and a lasting one (a
refused token) is about the provider, so storing it would hide the film after the fix.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot.catalogue.providers.base import Answer, Details, Failure

if TYPE_CHECKING:
    from bot.store import Store
    from bot.store.models import Cached

log = logging.getLogger("kinoclub.enrichment")

FOUND_FOR = {"tmdb": timedelta(days=180), "wikidata": timedelta(days=30)}
FOUND_DEFAULT = timedelta(days=30)  # a provider added later, until its terms are read
NOT_FOUND_FOR = timedelta(days=7)
PURGE_EVERY = timedelta(hours=6)


class Clock(Protocol):
    def now(self) -> datetime: ...


def iso(instant: datetime) -> str:
    """UTC to the second, as every time in the store: the texts sort as the instants do."""
    return instant.astimezone(UTC).isoformat(timespec="seconds")


async def remember(store: Store, film_id: int, answer: Answer, provider: str, now: datetime) -> None:
    """Keep `answer` (Details or None) for as long as `provider`'s terms allow; a Failure is not kept."""
    if isinstance(answer, Failure):
        return
    if isinstance(answer, Details):
        status, lasts = "found", FOUND_FOR.get(provider, FOUND_DEFAULT)
    else:
        status, lasts = "not_found", NOT_FOUND_FOR
    async with store.transaction() as tx:
        await store.enrichment.put(tx, film_id, provider, status, answer, iso(now), iso(now + lasts))


async def fresh(store: Store, film_id: int, provider: str, now: datetime) -> Cached | None:
    """What `provider` said about the film, unless it is missing or past its expiry."""
    cached = await store.enrichment.get(film_id, provider)
    if cached is None or cached.expires_at <= iso(now):
        return None
    return cached


async def purge_forever(store: Store, clock: Clock, every: timedelta = PURGE_EVERY) -> None:
    """Purge expired rows now and every `every` after, until cancelled. A purge that fails (a locked
    database) is logged and tried again at the next turn: a cache kept a few hours too long is
    better than a bot whose purge stopped for good."""
    while True:
        try:
            purged = await store.enrichment.purge(iso(clock.now()))
            if purged:
                log.info("provider cache: purged %d expired entries", purged)
        except Exception:
            log.exception("provider cache: the purge failed; trying again in %s", every)
        await asyncio.sleep(every.total_seconds())


def start_purging(store: Store, clock: Clock, every: timedelta = PURGE_EVERY) -> asyncio.Task:
    return asyncio.create_task(purge_forever(store, clock, every), name="kinoclub provider cache purge")


async def stop_purging(task: asyncio.Task | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
