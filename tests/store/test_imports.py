"""The import store's Letterboxd links: migration 0008 on an older file, and links kept per member."""

from __future__ import annotations

import bot.store
from bot.catalogue.normalise import normalise
from bot.store import Store, migrations
from bot.store.models import FilmDraft

LINKS = "0008_letterboxd_links.sql"


async def test_0008_keeps_existing_ratings_with_no_link(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    names = [name for _, name, _ in migrations()]
    before = migrations()[: names.index(LINKS)]
    monkeypatch.setattr(bot.store, "migrations", lambda: before)
    async with Store.open(path) as store:
        await store.migrate()
        async with store.transaction() as tx:
            film_id, _ = await store.films.upsert(tx, FilmDraft(key="m-x", title="X", source="moderator"), normalise)
            await store.ratings.put(tx, 1, 7, film_id, 8, at="2024-01-01T00:00:00+00:00")
    monkeypatch.undo()
    async with Store.open(path) as store:
        assert LINKS in await store.migrate()
        assert (await store.ratings.get(1, 7, film_id)).score == 8
        assert await store.imports.links_of(1, 7) == {}


async def test_a_link_is_the_members_own_and_setting_it_again_writes_nothing(store):
    async with store.transaction() as tx:
        film_id, _ = await store.films.upsert(tx, FilmDraft(key="m-x", title="X", source="moderator"), normalise)
        for user in (7, 8):
            await store.ratings.put(tx, 1, user, film_id, 8)
        await store.imports.set_link(tx, 1, 7, film_id, "https://boxd.it/x")
    history = await store.ratings.history(1, 7, film_id)
    async with store.transaction() as tx:
        await store.imports.set_link(tx, 1, 7, film_id, "https://boxd.it/x")
    assert await store.imports.links_of(1, 7) == {film_id: "https://boxd.it/x"}
    assert await store.imports.films_by_link(1, 7, {"https://boxd.it/x", "https://boxd.it/y"}) == {
        "https://boxd.it/x": film_id
    }
    assert await store.imports.films_by_link(1, 8, {"https://boxd.it/x"}) == {}  # another member's link
    assert await store.imports.films_by_link(2, 7, {"https://boxd.it/x"}) == {}  # another server
    assert await store.ratings.history(1, 7, film_id) == history  # a link is not a score change
