"""The Enricher's own logic: budget, background completion, one fetch per film, merge, add_from."""

from __future__ import annotations

import asyncio
import logging
import time

from bot import clock
from bot.catalogue.enrichment import Enricher
from bot.catalogue.providers.base import Details, Failure

CRANES = "the-cranes-are-flying-1957"


class SlowProvider:
    """A Provider that answers after `delay` seconds; counts its calls (only the Enricher's logic is tested here)."""

    attribution = "test"

    def __init__(self, name: str, answer, delay: float = 0.0) -> None:
        self.name, self.answer, self.delay, self.calls = name, answer, delay, 0

    async def by_imdb(self, imdb_id, languages, region):
        self.calls += 1
        await asyncio.sleep(self.delay)
        return self.answer

    async def search(self, title, year, languages):
        return [self.answer] if isinstance(self.answer, Details) else []

    async def details(self, provider_id, languages, region):
        return self.answer

    async def close(self) -> None:
        pass


TMDB = Details("tmdb", "tmdb:movie:1", synopses={"en": "Veronika waits.", "ru": "Вероника ждёт."},
               poster_path="/cranes.jpg", imdb_id=50634)
WIKI = Details("wikidata", "Q1", titles={"ru": "Летят журавли", "en": "The Cranes Are Flying"}, imdb_id=50634,
               poster_path="/not-used.jpg")


async def test_a_slow_provider_is_cut_at_the_budget_and_calls_back_when_done(catalogue_store):
    film = await catalogue_store.films.get_by_key(CRANES)
    slow = SlowProvider("tmdb", TMDB, delay=0.5)
    enricher = Enricher(catalogue_store, [slow], clock.now)
    late: list = []
    started = time.perf_counter()
    first = await enricher.enrich(film, budget=0.1, on_late=lambda e: _append(late, e))
    assert time.perf_counter() - started < 0.3
    assert first is None
    await asyncio.sleep(0.6)
    assert late and late[0].poster_path == "/cranes.jpg"
    again = await enricher.enrich(film, budget=0.1)  # now from the cache, no second call
    assert again.synopses["ru"] == "Вероника ждёт." and slow.calls == 1
    await enricher.close()


async def _append(into: list, value) -> None:
    into.append(value)


async def test_tmdb_gives_texts_and_poster_wikidata_the_names(catalogue_store):
    film = await catalogue_store.films.get_by_key(CRANES)
    enricher = Enricher(catalogue_store, [SlowProvider("wikidata", WIKI), SlowProvider("tmdb", TMDB)], clock.now)
    got = await enricher.enrich(film, budget=1.0)
    assert got.poster_path == "/cranes.jpg" and got.titles["ru"] == "Летят журавли"
    assert got.providers == ("tmdb", "wikidata")
    await enricher.close()


async def test_a_failure_is_not_cached_and_shows_nothing(catalogue_store):
    film = await catalogue_store.films.get_by_key(CRANES)
    failing = SlowProvider("tmdb", Failure("tmdb", "500"))
    enricher = Enricher(catalogue_store, [failing], clock.now)
    assert await enricher.enrich(film, budget=1.0) is None
    assert await catalogue_store.enrichment.get(film.id, "tmdb") is None
    await enricher.enrich(film, budget=1.0)
    assert failing.calls == 2  # asked again: a transient failure is never remembered
    await enricher.close()


async def test_an_online_film_is_added_found_locally_and_kept_once(catalogue_store):
    enricher = Enricher(catalogue_store, [], clock.now)
    found = Details("wikidata", "Q2", title="Ivan's Childhood", titles={"ru": "Иваново детство"}, year=1962,
                    imdb_id=56111, directors=("Andrei Tarkovsky",))
    film = await enricher.add_from(found)
    assert film.key == "tt0056111" and film.imdb_id == 56111
    again = await enricher.add_from(found)
    assert again.id == film.id
    from bot.catalogue.search import Catalogue

    hits = await Catalogue(catalogue_store).search("Иваново детство", limit=1)
    assert hits[0].film.id == film.id


async def test_background_work_that_fails_is_logged_not_lost(caplog):
    """A late-edit callback that raises (the card's message deleted, the database locked) ends in one
    logged traceback, and the enricher goes on."""

    async def broken() -> None:
        raise RuntimeError("the card's message was deleted")

    with caplog.at_level(logging.ERROR, logger="kinoclub.enrichment"):
        await Enricher._logged(broken())
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "in the background failed" in record.getMessage()
    assert record.exc_info and "message was deleted" in str(record.exc_info[1])
