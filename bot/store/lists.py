"""Curated lists: the bundled ones (guild 0, shared) and each server's own."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
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
        return await _described(self._store, [CuratedList(*row) for row in rows])

    async def get(self, guild_id: int, key: str) -> CuratedList | None:
        row = await self._store.fetchone(f"{_LIST_SELECT} WHERE l.guild_id = ? AND l.key = ?", (guild_id, key))
        return None if row is None else (await _described(self._store, [CuratedList(*row)]))[0]

    async def containing(
        self, guild_id: int, film_id: int
    ) -> list[tuple[CuratedList, str | None, dict[str, str]]]:
        """The lists a server can use that hold `film_id`, each with its curator's note for the film and
        that note in other languages."""
        rows = await self._store.fetchall(
            f"SELECT * FROM ({_LIST_SELECT} WHERE l.guild_id IN (0, ?)) AS v "
            "JOIN list_entries x ON x.list_id = v.id AND x.film_id = ? ORDER BY v.guild_id <> 0, v.name",
            (guild_id, film_id),
        )
        lists = await _described(self._store, [CuratedList(*tuple(row)[:6]) for row in rows])
        notes: dict[int, dict[str, str]] = {curated.id: {} for curated in lists}
        if lists:
            marks = ",".join("?" * len(lists))
            for list_id, language, text in await self._store.fetchall(
                f"SELECT list_id, language, text FROM list_texts WHERE field = 'note' AND film_id = ? "
                f"AND list_id IN ({marks})",
                (film_id, *notes),
            ):
                notes[list_id][language] = text
        return [(curated, row["note"], notes[curated.id]) for curated, row in zip(lists, rows, strict=True)]

    async def entries(self, list_id: int) -> list[ListEntry]:
        rows = await self._store.fetchall(
            "SELECT film_id, position, note FROM list_entries WHERE list_id = ? ORDER BY position", (list_id,)
        )
        films = {film.id: film for film in await self._store.films.get_many([row[0] for row in rows])}
        notes: dict[int, dict[str, str]] = {row[0]: {} for row in rows}
        for film_id, language, text in await self._store.fetchall(
            "SELECT film_id, language, text FROM list_texts WHERE list_id = ? AND field = 'note'", (list_id,)
        ):
            notes[film_id][language] = text
        return [ListEntry(films[row[0]], row[1], row[2], notes[row[0]]) for row in rows]

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

    async def put_bundled_texts(
        self, tx: Transaction, key: str, descriptions: Mapping[str, str], notes: Mapping[int, Mapping[str, str]]
    ) -> bool:
        """A bundled list's description (language → text) and its entries' notes (film id → language →
        text) in other languages become these, once upsert_bundled wrote its entries; True if that changed
        anything."""
        (list_id,) = await tx.fetchone("SELECT id FROM lists WHERE guild_id = ? AND key = ?", (BUNDLED, key))
        wanted = {(None, language, "description", text) for language, text in descriptions.items()}
        wanted |= {(film_id, language, "note", text) for film_id, by in notes.items() for language, text in by.items()}
        rows = await tx.fetchall("SELECT film_id, language, field, text FROM list_texts WHERE list_id = ?", (list_id,))
        if {tuple(row) for row in rows} == wanted:
            return False
        await tx.execute("DELETE FROM list_texts WHERE list_id = ?", (list_id,))
        await tx.executemany(
            "INSERT INTO list_texts (list_id, film_id, language, field, text) VALUES (?,?,?,?,?)",
            [(list_id, *text) for text in sorted(wanted, key=lambda t: (t[0] or 0, t[1], t[2]))],
        )
        await self._touch(tx, list_id)
        return True

    # ------------------------------------------------- a server's own lists

    async def find(self, guild_id: int, key: str) -> CuratedList | None:
        """The list `key` names for a server: its own if it has one, else a bundled one."""
        return await _find(self._store, guild_id, key)

    async def locate(self, tx: Transaction, guild_id: int, key: str) -> CuratedList | None:
        """`find`, inside a transaction, so what is checked is what gets changed."""
        return await _find(tx, guild_id, key)

    async def named(self, guild_id: int, text: str) -> list[CuratedList]:
        """The lists `text` names for a server: the one whose key it is, else every list whose name
        it is in any case and spacing (there may be several: names, unlike keys, need not differ)."""
        return await _named(self._store, guild_id, text)

    async def named_in(self, tx: Transaction, guild_id: int, text: str) -> list[CuratedList]:
        """`named`, inside a transaction, so what is checked is what gets changed."""
        return await _named(tx, guild_id, text)

    async def entry_names(self, list_id: int) -> list[tuple[int, int, str]]:
        """(film id, position, normalised name) for every name of every film on the list, in order.

        A list holds at most a few hundred films, so reading all their names and matching them in
        Python costs less than a search index would, and finds every film, not only popular ones."""
        rows = await self._store.fetchall(
            "SELECT e.film_id, e.position, t.norm FROM list_entries e JOIN film_titles t ON t.film_id = e.film_id "
            "WHERE e.list_id = ? ORDER BY e.position, t.id",
            (list_id,),
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def order(self, tx: Transaction, list_id: int) -> list[tuple[int, str | None]]:
        """(film id, note) of every entry, in the list's order."""
        rows = await tx.fetchall(
            "SELECT film_id, note FROM list_entries WHERE list_id = ? ORDER BY position", (list_id,)
        )
        return [(row[0], row[1]) for row in rows]

    async def create(
        self, tx: Transaction, guild_id: int, key: str, name: str, description: str | None, user_id: int
    ) -> int:
        stamp = clock.now_iso()
        return await tx.execute(
            "INSERT INTO lists (guild_id, key, name, description, created_by, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?)",
            (guild_id, key, name, description, user_id, stamp, stamp),
        )

    async def update(self, tx: Transaction, list_id: int, name: str, description: str | None) -> None:
        await tx.execute(
            "UPDATE lists SET name = ?, description = ?, updated_at = ? WHERE id = ?",
            (name, description, clock.now_iso(), list_id),
        )

    async def delete(self, tx: Transaction, list_id: int) -> bool:
        """Delete a list and its entries (ON DELETE CASCADE); False if it was already gone."""
        if await tx.fetchone("SELECT 1 FROM lists WHERE id = ?", (list_id,)) is None:
            return False
        await tx.execute("DELETE FROM lists WHERE id = ?", (list_id,))
        return True

    async def add_entry(
        self, tx: Transaction, list_id: int, film_id: int, position: int, note: str | None, user_id: int
    ) -> None:
        """Insert at `position` (1-based), moving the entries from there down by one."""
        await tx.execute(
            "UPDATE list_entries SET position = position + 1 WHERE list_id = ? AND position >= ?",
            (list_id, position),
        )
        await tx.execute(
            "INSERT INTO list_entries (list_id, film_id, position, note, added_by, added_at) VALUES (?,?,?,?,?,?)",
            (list_id, film_id, position, note, user_id, clock.now_iso()),
        )
        await self._touch(tx, list_id)

    async def reorder(self, tx: Transaction, list_id: int, film_ids: list[int]) -> None:
        """Number the entries 1..n in the order of `film_ids` (every entry of the list, each once)."""
        await tx.executemany(
            "UPDATE list_entries SET position = ? WHERE list_id = ? AND film_id = ?",
            [(position, list_id, film_id) for position, film_id in enumerate(film_ids, 1)],
        )
        await self._touch(tx, list_id)

    async def remove_entry(self, tx: Transaction, list_id: int, film_id: int) -> None:
        await tx.execute("DELETE FROM list_entries WHERE list_id = ? AND film_id = ?", (list_id, film_id))
        remaining = [entry_film for entry_film, _ in await self.order(tx, list_id)]
        await self.reorder(tx, list_id, remaining)

    async def replace_entries(
        self, tx: Transaction, list_id: int, entries: list[tuple[int, str | None]], user_id: int
    ) -> None:
        """The list's entries become `entries` (film id, note), in that order."""
        stamp = clock.now_iso()
        await tx.execute("DELETE FROM list_entries WHERE list_id = ?", (list_id,))
        await tx.executemany(
            "INSERT INTO list_entries (list_id, film_id, position, note, added_by, added_at) VALUES (?,?,?,?,?,?)",
            [(list_id, film_id, position, note, user_id, stamp) for position, (film_id, note) in enumerate(entries, 1)],
        )
        await self._touch(tx, list_id)

    async def _touch(self, tx: Transaction, list_id: int) -> None:
        await tx.execute("UPDATE lists SET updated_at = ? WHERE id = ?", (clock.now_iso(), list_id))


async def _find(db: Store | Transaction, guild_id: int, key: str) -> CuratedList | None:
    row = await db.fetchone(
        f"{_LIST_SELECT} WHERE l.guild_id IN (0, ?) AND l.key = ? ORDER BY l.guild_id = 0 LIMIT 1", (guild_id, key)
    )
    return None if row is None else (await _described(db, [CuratedList(*row)]))[0]


def fold_name(text: str) -> str:
    """A list name as members may type it: any case, any runs of spaces."""
    return " ".join(text.split()).casefold()


async def _named(db: Store | Transaction, guild_id: int, text: str) -> list[CuratedList]:
    folded = fold_name(text)
    if not folded:
        return []
    by_key = await _find(db, guild_id, folded)  # keys are lower case and have no spaces
    if by_key is not None:
        return [by_key]
    # A server has tens of lists, not thousands: folding names in Python keeps Unicode case right,
    # which SQLite's lower() does only for ASCII.
    rows = await db.fetchall(
        f"{_LIST_SELECT} WHERE l.guild_id IN (0, ?) ORDER BY l.guild_id = 0, l.key", (guild_id,)
    )
    return await _described(db, [CuratedList(*row) for row in rows if fold_name(row[3]) == folded])


async def _described(db: Store | Transaction, lists: list[CuratedList]) -> list[CuratedList]:
    """`lists` with their descriptions in other languages (only bundled lists have any)."""
    if not lists:
        return lists
    marks = ",".join("?" * len(lists))
    found: dict[int, dict[str, str]] = {}
    for list_id, language, text in await db.fetchall(
        f"SELECT list_id, language, text FROM list_texts WHERE film_id IS NULL AND list_id IN ({marks})",
        tuple(curated.id for curated in lists),
    ):
        found.setdefault(list_id, {})[language] = text
    return [dataclasses.replace(curated, descriptions=found[curated.id]) if curated.id in found else curated
            for curated in lists]
