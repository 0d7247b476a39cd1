"""The IMDb bulk merge leaves the search indexes as the row-by-row triggers would have, in popularity order."""

from __future__ import annotations

import pytest

from benchmarks.imdb_data import write_dataset
from bot.catalogue.imdb import import_imdb
from bot.catalogue.normalise import normalise
from bot.catalogue.search import Catalogue
from bot.store.models import FilmDraft


@pytest.fixture
async def imported(store, tmp_path):
    data = write_dataset(tmp_path / "imdb", films=400, seed=11)
    await import_imdb(store, data.folder)
    return data


async def test_both_fts_indexes_match_film_titles_exactly(store, imported):
    for table in ("film_titles_trigram", "film_titles_words"):
        # FTS5's own check: every row of the content table indexed, nothing else.
        async with store.transaction() as tx:
            await tx.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
    assert await store.check() == []


async def test_names_are_numbered_best_known_film_first(store, imported):
    rows = await store.fetchall("SELECT f.popularity FROM film_titles t JOIN films f ON f.id = t.film_id ORDER BY t.id")
    popularity = [row[0] for row in rows]
    assert popularity == sorted(popularity, reverse=True)
    assert popularity[0] > popularity[-1]


async def test_a_moderators_film_added_after_the_import_is_indexed_by_the_triggers(store, imported):
    async with store.transaction() as tx:
        await store.films.upsert(tx, FilmDraft(key="m-new", title="Zzyzx Road Movie", source="moderator"), normalise)
    hits = await Catalogue(store).search("zzyzx ro")
    assert [hit.film.key for hit in hits] == ["m-new"]
    assert [hit.film.key for hit in await Catalogue(store).search("yzx road")] == ["m-new"]


async def test_a_reimport_keeps_names_from_elsewhere_and_renumbers_after_the_old_ids(store, imported):
    async with store.transaction() as tx:
        await store.films.upsert(tx, FilmDraft(key="m-new", title="Zzyzx Road Movie", source="moderator"), normalise)
    before = await store.films.names_mark()
    await import_imdb(store, imported.folder)
    assert await store.films.names_mark() > before  # a running bot's cached word list sees the change
    assert [hit.film.key for hit in await Catalogue(store).search("zzyzx")] == ["m-new"]
    (count,) = await store.fetchone("SELECT count(*) FROM film_titles t JOIN films f ON f.id = t.film_id "
                                    "WHERE f.key = 'm-new'")
    assert count == 1
