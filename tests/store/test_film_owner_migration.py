"""0007_film_owner: today's films get their owner from the audit trail, and gone films' keys retire."""

from __future__ import annotations

import pytest

import bot.store
from bot.catalogue import film_curation
from bot.errors import UserError
from bot.store import Store, migrations

A, B = 111, 222
STAMP = "2026-01-01T00:00:00+00:00"

# (key, source, title, year) of the films in the schema-6 file.
FILMS = [
    ("stalker-1979", "bundled", "Stalker", 1979),
    ("tt0050634", "imdb", "Letyat zhuravli", 1957),
    ("m-solaris-1972", "moderator", "Solaris", 1972),  # added on A, edited on B (an edit owns nothing)
    ("m-mirror-1975", "moderator", "Mirror", 1975),  # added on A, removed by A, added again on B: key reused
    ("m-nostalgia-1983", "moderator", "Nostalgia", 1983),  # no film.add anywhere: no server can claim it
    ("m-sacrifice-1986", "bundled", "The Sacrifice", 1986),  # added on A, then the bundle took it over
]
# (guild, action, target) in the order they happened.
AUDIT = [
    (A, "film.add", "m-solaris-1972"),
    (B, "film.edit", "m-solaris-1972"),
    (A, "film.add", "m-mirror-1975"),
    (A, "film.remove", "m-mirror-1975"),
    (B, "film.add", "m-mirror-1975"),
    (A, "film.add", "m-sacrifice-1986"),
    (A, "film.add", "m-ivan-1962"),  # removed on A, and merged-away films: no film holds these keys
    (A, "film.remove", "m-ivan-1962"),
    (B, "film.add", "m-andrei-1966"),
    (B, "film.merge", "m-andrei-1966"),
    (A, "list.create", "m-not-a-film"),
]


async def schema_6_file(path, monkeypatch) -> None:
    six = migrations()[:6]
    assert [version for version, _, _ in six] == [1, 2, 3, 4, 5, 6]
    monkeypatch.setattr(bot.store, "migrations", lambda: six)
    async with Store.open(path) as store:
        await store.migrate()
        async with store.transaction() as tx:
            for key, source, title, year in FILMS:
                await tx.execute(
                    "INSERT INTO films (key, title, year, source, created_at, updated_at) VALUES (?,?,?,?,?,?)",
                    (key, title, year, source, STAMP, STAMP),
                )
            for guild_id, action, target in AUDIT:
                await tx.execute(
                    "INSERT INTO audit_log (guild_id, user_id, action, target, created_at) VALUES (?,?,?,?,?)",
                    (guild_id, 7, action, target, STAMP),
                )
    monkeypatch.undo()


async def test_0007_gives_each_moderator_film_the_server_of_its_latest_add(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    await schema_6_file(path, monkeypatch)
    async with Store.open(path) as store:
        assert "0007_film_owner.sql" in await store.migrate()
        owners = dict(tuple(row) for row in await store.fetchall("SELECT key, owner_guild_id FROM films"))
        assert owners == {
            "stalker-1979": None, "tt0050634": None, "m-solaris-1972": A, "m-mirror-1975": B,
            "m-nostalgia-1983": None, "m-sacrifice-1986": None,
        }
        # And ensure_ours reads it: A's old entry for the reused key no longer makes A its owner.
        mirror = await store.films.get_by_key("m-mirror-1975")
        with pytest.raises(UserError, match="not this server's to change"):
            await film_curation.ensure_ours(store, A, mirror)
        await film_curation.ensure_ours(store, B, mirror)
        await film_curation.ensure_ours(store, A, await store.films.get_by_key("m-solaris-1972"))
        for key in ("m-nostalgia-1983", "m-sacrifice-1986", "stalker-1979"):
            for guild_id in (A, B):
                with pytest.raises(UserError):
                    await film_curation.ensure_ours(store, guild_id, await store.films.get_by_key(key))


async def test_0007_retires_the_keys_of_films_that_are_gone_and_every_key_from_now_on(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    await schema_6_file(path, monkeypatch)
    async with Store.open(path) as store:
        await store.migrate()
        retired = {row[0] for row in await store.fetchall("SELECT key FROM retired_keys")}
        assert retired == {"m-ivan-1962", "m-andrei-1966"}
        assert await store.films.keys_starting("m-ivan-") == {"m-ivan-1962"}

        # From now on a key retires with its film, whichever statement deletes or renames the film.
        solaris = await store.films.get_by_key("m-solaris-1972")
        nostalgia = await store.films.get_by_key("m-nostalgia-1983")
        async with store.transaction() as tx:
            await store.films.delete(tx, solaris.id)
            await tx.execute("UPDATE films SET key = 'tt0086022' WHERE id = ?", (nostalgia.id,))
            await tx.execute("UPDATE films SET key = key WHERE id = ?", (nostalgia.id,))  # not a rename
        retired = {row[0] for row in await store.fetchall("SELECT key FROM retired_keys")}
        assert retired == {"m-ivan-1962", "m-andrei-1966", "m-solaris-1972", "m-nostalgia-1983"}
        assert await store.films.keys_starting("m-solaris-") == {"m-solaris-1972"}
