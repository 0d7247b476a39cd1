"""`kinoclub db backup`: an online copy that holds every committed row, taken while writes go on."""

from __future__ import annotations

import asyncio
import sqlite3

from bot.store import Store
from bot.store.backup import backup


async def _write_ratings(store: Store, film_id: int, committed: list[int], stop: asyncio.Event) -> None:
    user = 0
    while not stop.is_set() or user < 50:
        user += 1
        async with store.transaction() as tx:
            await tx.execute(
                "INSERT INTO ratings (guild_id, user_id, film_id, score, created_at, updated_at) "
                "VALUES (1, ?, ?, ?, 'now', 'now')",
                (user, film_id, user % 10 + 1),
            )
        committed.append(user)


async def test_backup_during_writes_holds_every_row_committed_before_it(catalogue_store, tmp_path):
    store = catalogue_store
    film = await store.films.get_by_key("the-cranes-are-flying-1957")
    committed: list[int] = []
    stop = asyncio.Event()
    writer = asyncio.create_task(_write_ratings(store, film.id, committed, stop))
    while len(committed) < 20:
        await asyncio.sleep(0.001)
    before = set(committed)
    counts = await asyncio.to_thread(backup, store.path, tmp_path / "copy.db")
    stop.set()
    await writer
    after = set(committed)

    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    users = {row[0] for row in copy.execute("SELECT user_id FROM ratings")}
    assert before <= users <= after  # every committed row, and only committed rows
    assert counts["ratings"] == len(users)
    assert copy.execute("SELECT count(*) FROM films").fetchone()[0] == 16
    assert copy.execute("PRAGMA user_version").fetchone()[0] == await store.schema_version()
    assert len(after) > len(before)  # the writes really did go on around the backup


async def test_backup_refuses_to_overwrite_the_database_itself(store):
    import pytest

    from bot.store.backup import BackupError

    with pytest.raises(BackupError, match="another file"):
        backup(store.path, store.path)
