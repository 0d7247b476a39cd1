"""Curated lists: the bundled ones (guild 0, shared) and each server's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import clock
from bot.store.models import CuratedList, ListDraft, ListEntry

if TYPE_CHECKING:
    from bot.store import Store, Transaction

BUNDLED = 0

_LIST_SELECT = (
    "SELECT l.id, l.guild_id, l.key, l.name, l.description, "
    "(SELECT count(*) FROM list_entries e WHERE e.list_id = l.id) AS size FROM lists l"
)


class ListRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def visible_to(self, guild_id: int) -> list[CuratedList]:
        """The lists a server can use: the bundled ones and its own, bundled first."""
        rows = await self._store.fetchall(
            f"{_LIST_SELECT} WHERE l.guild_id IN (0, ?) ORDER BY l.guild_id <> 0, l.name", (guild_id,)
        )
        return [CuratedList(*row) for row in rows]

    async def get(self, guild_id: int, key: str) -> CuratedList | None:
        row = await self._store.fetchone(f"{_LIST_SELECT} WHERE l.guild_id = ? AND l.key = ?", (guild_id, key))
        return None if row is None else CuratedList(*row)

    async def containing(self, guild_id: int, film_id: int) -> list[tuple[CuratedList, str | None]]:
        """The lists a server can use that hold `film_id`, each with its curator's note for the film."""
        rows = await self._store.fetchall(
            f"SELECT * FROM ({_LIST_SELECT} WHERE l.guild_id IN (0, ?)) AS v "
            "JOIN list_entries x ON x.list_id = v.id AND x.film_id = ? ORDER BY v.guild_id <> 0, v.name",
            (guild_id, film_id),
        )
        return [(CuratedList(*tuple(row)[:6]), row["note"]) for row in rows]

    async def entries(self, list_id: int) -> list[ListEntry]:
        rows = await self._store.fetchall(
            "SELECT film_id, position, note FROM list_entries WHERE list_id = ? ORDER BY position", (list_id,)
        )
        films = {film.id: film for film in await self._store.films.get_many([row[0] for row in rows])}
        return [ListEntry(films[row[0]], row[1], row[2]) for row in rows]

    async def upsert_bundled(self, tx: Transaction, draft: ListDraft, film_ids: dict[str, int]) -> bool:
        """Write a bundled list under its key, entries in the draft's order; True if anything changed."""
        wanted = [(film_ids[key], position, note) for position, (key, note) in enumerate(draft.entries, 1)]
        row = await tx.fetchone(
            "SELECT id, name, description FROM lists WHERE guild_id = ? AND key = ?", (BUNDLED, draft.key)
        )
        stamp = clock.now_iso()
        if row is None:
            list_id = await tx.execute(
                "INSERT INTO lists (guild_id, key, name, description, created_at, updated_at) "
                "VALUES (?,?,?,?,?,?)",
                (BUNDLED, draft.key, draft.name, draft.description, stamp, stamp),
            )
        else:
            list_id = row[0]
            current = await tx.fetchall(
                "SELECT film_id, position, note FROM list_entries WHERE list_id = ? ORDER BY position",
                (list_id,),
            )
            unchanged = (row[1], row[2]) == (draft.name, draft.description)
            if unchanged and [tuple(entry) for entry in current] == wanted:
                return False
            await tx.execute(
                "UPDATE lists SET name = ?, description = ?, updated_at = ? WHERE id = ?",
                (draft.name, draft.description, stamp, list_id),
            )
            await tx.execute("DELETE FROM list_entries WHERE list_id = ?", (list_id,))
        await tx.executemany(
            "INSERT INTO list_entries (list_id, film_id, position, note, added_at) VALUES (?,?,?,?,?)",
            [(list_id, film_id, position, note, stamp) for film_id, position, note in wanted],
        )
        return True
