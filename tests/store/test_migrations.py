"""Migrations against a real SQLite file."""

from __future__ import annotations

import sqlite3

import pytest

import bot.store
from bot.store import MigrationError, Store, migrations


async def test_migrating_an_empty_file_creates_the_schema(tmp_path):
    async with Store.open(tmp_path / "new.db") as store:
        applied = await store.migrate()
        assert applied == [name for _, name, _ in migrations()]
        assert await store.schema_version() == len(migrations())
        tables = set(await store.counts())
    for table in (
        "films",
        "film_titles",
        "lists",
        "list_entries",
        "ratings",
        "ballots",
        "candidates",
        "votes",
        "picks",
        "guild_settings",
        "audit_log",
    ):
        assert table in tables


async def test_migrating_again_is_a_no_op(tmp_path):
    path = tmp_path / "kino.db"
    async with Store.open(path) as store:
        await store.migrate()
    before = "\n".join(sqlite3.connect(path).iterdump())
    async with Store.open(path) as store:
        assert await store.migrate() == []
        assert await store.migrate() == []
    assert "\n".join(sqlite3.connect(path).iterdump()) == before


async def test_the_file_is_in_wal_mode_with_foreign_keys_enforced(store):
    assert (await store.fetchone("PRAGMA journal_mode"))[0] == "wal"
    assert (await store.fetchone("PRAGMA foreign_keys"))[0] == 1
    assert (await store.fetchone("PRAGMA busy_timeout"))[0] > 0
    with pytest.raises(sqlite3.IntegrityError):
        async with store.transaction() as tx:
            await tx.execute(
                "INSERT INTO list_entries (list_id, film_id, position, added_at) VALUES (999, 999, 1, 'now')"
            )


async def test_a_failing_migration_is_rolled_back_whole(tmp_path, monkeypatch):
    good = migrations()
    broken = (
        len(good) + 1,
        f"{len(good) + 1:04d}_broken.sql",
        "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);",
    )
    monkeypatch.setattr(bot.store, "migrations", lambda: [*good, broken])
    async with Store.open(tmp_path / "kino.db") as store:
        with pytest.raises(MigrationError, match=r"broken\.sql failed and was rolled back"):
            await store.migrate()
        assert await store.schema_version() == len(good)
        assert "half_done" not in await store.counts()


async def test_a_file_from_a_newer_kinoclub_is_refused(tmp_path):
    path = tmp_path / "future.db"
    sqlite3.connect(path).execute("PRAGMA user_version = 999").connection.close()
    async with Store.open(path) as store:
        with pytest.raises(MigrationError, match="newer than this kinoclub knows"):
            await store.migrate()


async def test_a_failed_transaction_leaves_nothing_behind(store):
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.execute("INSERT INTO guild_settings (guild_id, key, value) VALUES (1, 'scale', '10')")
            raise RuntimeError("something failed half-way")
    assert (await store.counts())["guild_settings"] == 0



async def test_0002_indexes_the_words_of_names_already_credited(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    first = migrations()[:1]
    monkeypatch.setattr(bot.store, "migrations", lambda: first)
    async with Store.open(path) as store:
        await store.migrate()
        async with store.transaction() as tx:
            await tx.execute(
                "INSERT INTO films (id, key, title, year, source, created_at, updated_at) "
                "VALUES (1, 'stalker', 'Stalker', 1979, 'moderator', 'a', 'a')"
            )
            await tx.execute(
                "INSERT INTO film_credits (film_id, role, position, name, norm) "
                "VALUES (1, 'director', 0, 'Andrei Tarkovsky', 'andrei tarkovski')"
            )
    monkeypatch.undo()
    async with Store.open(path) as store:
        assert await store.migrate() == [name for _, name, _ in migrations()[1:]]
        assert await store.films.ids_with_credit("director", "tarkovski", 10) == [1]
        assert await store.films.ids_with_credit("director", "andrei tark", 10) == [1]
        assert await store.films.ids_with_credit("cast", "tarkovski", 10) == []
        plan = await store.fetchall("EXPLAIN QUERY PLAN SELECT id FROM films WHERE year BETWEEN 1950 AND 1959")
        assert any("films_year" in row[3] for row in plan)
