"""The provider cache against a real SQLite file: what is kept, for how long, and the purge that ends it."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.catalogue import provider_cache
from bot.catalogue.provider_cache import fresh, purge_forever, remember, start_purging, stop_purging
from bot.catalogue.providers.base import Details, Failure, Watch
from bot.store import Store
from bot.store.models import FilmDraft

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CRANES = Details(
    provider="tmdb",
    provider_id="tmdb:movie:18030",
    title="The Cranes Are Flying",
    titles={"ru": "Летят журавли", "en": "The Cranes Are Flying"},
    original_title="Летят журавли",
    year=1957,
    runtime=97,
    directors=("Михаил Калатозов",),
    cast=("Татьяна Самойлова", "Алексей Баталов"),
    countries=("SU",),
    imdb_id=50634,
    tmdb_id=18030,
    kinopoisk_id="43395",
    synopses={"ru": "Москва, 1941 год. Вероника и Борис любят друг друга.", "en": "Moscow, 1941."},
    tagline={"ru": "«Журавли» — фильм о любви и войне"},
    poster_path="/cranes.jpg",
    backdrop_path="/cranes-wide.jpg",
    trailer="dQw4w9WgXcQ",
    watch=(
        Watch("RU", "https://www.themoviedb.org/movie/18030/watch?locale=RU", stream=("Кинопоиск",), buy=("Okko",)),
    ),
)


async def _film(store: Store, key: str = "m-cranes-1957") -> int:
    draft = FilmDraft(key=key, title="The Cranes Are Flying", source="moderator", year=1957)
    async with store.transaction() as tx:
        film_id, _ = await store.films.upsert(tx, draft, str.lower)
    return film_id


async def _rows(store: Store) -> list[tuple]:
    return [tuple(row) for row in await store.fetchall("SELECT * FROM provider_cache ORDER BY film_id, provider")]


async def test_details_round_trip_with_russian_text_and_watch_offers(store):
    film_id = await _film(store)
    await remember(store, film_id, CRANES, "tmdb", NOW)
    cached = await store.enrichment.get(film_id, "tmdb")
    assert cached.details == CRANES
    assert cached.details.synopses["ru"] == "Москва, 1941 год. Вероника и Борис любят друг друга."
    assert cached.details.watch[0].stream == ("Кинопоиск",)
    assert (cached.film_id, cached.provider, cached.status) == (film_id, "tmdb", "found")
    (row,) = await _rows(store)
    assert "Летят журавли" in row[3]  # kept as readable UTF-8, not \u escapes
    assert "cranes.jpg" in row[3] and "image.tmdb.org" not in row[3]  # the path, never an image or its URL


async def test_tmdb_data_is_never_kept_longer_than_180_days_and_wikidata_a_month(store):
    film_id = await _film(store)
    await remember(store, film_id, CRANES, "tmdb", NOW)
    wikidata = Details(provider="wikidata", provider_id="Q1146291", titles={"ru": "Летят журавли"})
    await remember(store, film_id, wikidata, "wikidata", NOW)
    tmdb, wiki = await store.enrichment.get(film_id, "tmdb"), await store.enrichment.get(film_id, "wikidata")
    assert tmdb.fetched_at == "2026-03-01T12:00:00+00:00"
    assert datetime.fromisoformat(tmdb.expires_at) - NOW == timedelta(days=180)
    assert datetime.fromisoformat(wiki.expires_at) - NOW == timedelta(days=30)
    assert await fresh(store, film_id, "tmdb", NOW + timedelta(days=179, hours=23)) == tmdb
    assert await fresh(store, film_id, "tmdb", NOW + timedelta(days=180)) is None
    assert await fresh(store, film_id, "wikidata", NOW + timedelta(days=31)) is None


async def test_not_found_is_remembered_a_week_then_forgotten_and_purged(store):
    film_id = await _film(store)
    await remember(store, film_id, None, "wikidata", NOW)
    cached = await fresh(store, film_id, "wikidata", NOW + timedelta(days=6))
    assert (cached.status, cached.details) == ("not_found", None)
    assert await fresh(store, film_id, "wikidata", NOW + timedelta(days=7)) is None
    assert await store.enrichment.purge(provider_cache.iso(NOW + timedelta(days=6))) == 0
    assert await store.enrichment.purge(provider_cache.iso(NOW + timedelta(days=7))) == 1
    assert await _rows(store) == []


@pytest.mark.parametrize(
    "failure",
    [Failure("tmdb", "timeout"), Failure("tmdb", "429", retry_after=30.0), Failure("tmdb", "500"),
     Failure("tmdb", "401", transient=False)],
)
async def test_a_failure_is_never_stored_and_leaves_what_was_found_alone(store, failure):
    film_id = await _film(store)
    await remember(store, film_id, failure, "tmdb", NOW)
    assert await _rows(store) == []
    await remember(store, film_id, CRANES, "tmdb", NOW)
    before = await _rows(store)
    await remember(store, film_id, failure, "tmdb", NOW + timedelta(days=1))
    assert await _rows(store) == before


async def test_a_new_answer_replaces_the_old_one(store):
    film_id = await _film(store)
    await remember(store, film_id, None, "tmdb", NOW)
    later = NOW + timedelta(days=8)
    await remember(store, film_id, CRANES, "tmdb", later)
    (row,) = await _rows(store)
    assert (row[2], row[4]) == ("found", "2026-03-09T12:00:00+00:00")


async def test_the_purge_deletes_only_what_has_expired(store):
    films = [await _film(store, f"m-film-{n}") for n in range(3)]
    await remember(store, films[0], None, "tmdb", NOW - timedelta(days=10))  # expired 3 days ago
    await remember(store, films[1], CRANES, "tmdb", NOW - timedelta(days=10))
    await remember(store, films[2], None, "wikidata", NOW)
    assert await store.enrichment.purge(provider_cache.iso(NOW)) == 1
    assert [(row[0], row[1]) for row in await _rows(store)] == [(films[1], "tmdb"), (films[2], "wikidata")]


async def test_a_film_removed_takes_its_cache_with_it(store):
    film_id = await _film(store)
    await remember(store, film_id, CRANES, "tmdb", NOW)
    async with store.transaction() as tx:
        await tx.execute("DELETE FROM films WHERE id = ?", (film_id,))
    assert await _rows(store) == []


async def test_only_found_and_not_found_are_statuses(store):
    film_id = await _film(store)
    async with store.transaction() as tx:
        with pytest.raises(ValueError, match="status"):
            await store.enrichment.put(tx, film_id, "tmdb", "error", None, "x", "y")
    with pytest.raises(sqlite3.IntegrityError):  # found without details, whoever writes the row
        async with store.transaction() as tx:
            await tx.execute(
                "INSERT INTO provider_cache VALUES (?, 'tmdb', 'found', NULL, '2026-01-01', '2026-02-01')", (film_id,)
            )


async def test_a_row_no_details_can_be_read_from_is_treated_as_missing(store, caplog):
    film_id, other = await _film(store), await _film(store, "m-other")
    async with store.transaction() as tx:
        await tx.execute(
            "INSERT INTO provider_cache VALUES (?, 'tmdb', 'found', '{not json', '2026-01-01', '2099-01-01')",
            (film_id,),
        )
        # A newer kinoclub's row: a key this version does not know is skipped, the rest still reads.
        await tx.execute(
            "INSERT INTO provider_cache VALUES (?, 'tmdb', 'found', ?, '2026-01-01', '2099-01-01')",
            (other, '{"provider": "tmdb", "provider_id": "tmdb:movie:1", "rating": 8.1, "year": 1957}'),
        )
    with caplog.at_level(logging.WARNING):
        assert await fresh(store, film_id, "tmdb", NOW) is None
    assert "unreadable details" in caplog.text
    newer = await fresh(store, other, "tmdb", NOW)
    assert newer.details == Details(provider="tmdb", provider_id="tmdb:movie:1", year=1957)


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


async def _until(check, seconds: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_the_scheduled_purge_runs_on_its_own_and_stops_when_asked(store):
    film_id = await _film(store)
    await remember(store, film_id, None, "tmdb", NOW)
    clock = _Clock(NOW)
    task = start_purging(store, clock, every=timedelta(seconds=0.02))
    await asyncio.sleep(0.1)
    assert len(await _rows(store)) == 1  # not expired yet
    clock.moment = NOW + timedelta(days=8)

    async def purged() -> bool:
        return await _rows(store) == []

    await _until(purged)
    await stop_purging(task)
    assert task.cancelled()
    await stop_purging(None)  # a bot closed before it started has nothing to stop


async def test_a_purge_that_fails_is_logged_and_the_next_one_goes_on(tmp_path, caplog):
    path = tmp_path / "kino.db"
    async with Store.open(path, busy_timeout_ms=50) as store:
        await store.migrate()
        film_id = await _film(store)
        await remember(store, film_id, None, "tmdb", NOW - timedelta(days=8))
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        caplog.set_level(logging.ERROR, logger="kinoclub.enrichment")
        task = asyncio.create_task(purge_forever(store, _Clock(NOW), every=timedelta(seconds=0.02)))
        try:

            async def failed() -> bool:
                return "the purge failed" in caplog.text

            await _until(failed)
            assert not task.done() and len(await _rows(store)) == 1
            blocker.execute("ROLLBACK")

            async def purged() -> bool:
                return await _rows(store) == []

            await _until(purged)
        finally:
            blocker.close()
            await stop_purging(task)
