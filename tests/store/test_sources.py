"""Migration 0006 gives every existing name, credit and tag the origin the sources' rules expect."""

from __future__ import annotations

import bot.store
from bot.catalogue.bundled import load_bundle, read_bundle
from bot.config import BUNDLED_DATA
from bot.store import Store, migrations

NOW = "2026-01-01T00:00:00+00:00"


async def test_existing_rows_get_their_origin_and_the_next_bundle_load_takes_its_own_back(tmp_path, monkeypatch):
    path = tmp_path / "kino.db"
    known = migrations()
    monkeypatch.setattr(bot.store, "migrations", lambda: known[:5])  # a file from before 0006
    async with Store.open(path) as store:
        await store.migrate()
        films = ((900001, "tt0000001", "imdb", 1), (900002, "m-ours-2020", "moderator", 2),
                 (900003, "plain-2020", "bundled", None), (900004, "the-cranes-are-flying-1957", "bundled", 50634))
        async with store.transaction() as tx:
            for film_id, key, source, imdb in films:
                await tx.execute("INSERT INTO films (id, key, title, imdb_id, source, created_at, updated_at) "
                                 "VALUES (?, ?, 'T', ?, ?, ?, ?)", (film_id, key, imdb, source, NOW, NOW))
                await tx.execute("INSERT INTO film_credits VALUES (?, 'director', 0, 'Some One', 'some one')",
                                 (film_id,))
            names = [(900001, "Alias"), (900002, "Alias"), (900003, "Alias"),
                     # the bundle's alias, and one an import of the old kind added to the bundled film
                     (900004, "Letyat zhuravli"), (900004, "Quand passent les cigognes")]
            await tx.executemany("INSERT INTO film_titles (film_id, title, kind, norm) VALUES (?, ?, 'alias', ?)",
                                 [(film_id, title, title.lower()) for film_id, title in names])
            await tx.execute("INSERT INTO film_titles (film_id, title, kind, norm) VALUES (900004, 'T', 'title', 't')")
    monkeypatch.setattr(bot.store, "migrations", lambda: known)
    async with Store.open(path) as store:
        await store.migrate()
        rows = await store.fetchall(
            "SELECT f.key, t.kind, t.origin, (SELECT group_concat(origin) FROM film_credits c WHERE c.film_id = f.id) "
            "FROM film_titles t JOIN films f ON f.id = t.film_id WHERE f.id BETWEEN 900001 AND 900003 ORDER BY f.id")
        assert [tuple(row) for row in rows] == [("tt0000001", "alias", "imdb", "imdb"),
                                               ("m-ours-2020", "alias", "moderator", "moderator"),
                                               ("plain-2020", "alias", "bundle", "bundle")]
        cranes = "SELECT t.title, t.kind, t.origin FROM film_titles t JOIN films f ON f.id = t.film_id " \
                 "WHERE f.key = 'the-cranes-are-flying-1957' ORDER BY t.id"
        assert ("Quand passent les cigognes", "alias", "imdb") in [tuple(row) for row in await store.fetchall(cranes)]
        assert ("T", "title", "bundle") in [tuple(row) for row in await store.fetchall(cranes)]
        # The bundle's own alias was marked IMDb's (it cannot be told apart); loading takes it back.
        await load_bundle(store, read_bundle(BUNDLED_DATA))
        after = [tuple(row) for row in await store.fetchall(cranes)]
        assert ("The Cranes Are Flying", "title", "bundle") in after
        assert ("Letyat zhuravli", "alias", "bundle") in after
        assert ("Quand passent les cigognes", "alias", "imdb") in after
        assert await store.check() == []
