"""Bulk reads and writes for importing a member's ratings from another site (Letterboxd).

Single ratings still go through `store.ratings.put`, which keeps the history; this adds only what
an import needs in bulk: catalogue look-ups by (name, year) and the member's ratings as the open
transaction sees them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.store.models import Rating

if TYPE_CHECKING:
    from bot.store import Store, Transaction

_CHUNK = 500  # well under SQLite's limit on bound parameters


class ImportRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def films_named(self, pairs: set[tuple[str, int]]) -> dict[tuple[str, int], set[int]]:
        """For each (normalised name, year), the films of that year known by that name (film_titles_norm)."""
        norms = sorted({norm for norm, _ in pairs})
        found: dict[tuple[str, int], set[int]] = {}
        for start in range(0, len(norms), _CHUNK):
            chunk = norms[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = await self._store.fetchall(
                f"SELECT DISTINCT t.norm, f.year, t.film_id FROM film_titles t JOIN films f ON f.id = t.film_id "
                f"WHERE t.norm IN ({marks})",
                tuple(chunk),
            )
            for norm, year, film_id in rows:
                if (norm, year) in pairs:
                    found.setdefault((norm, year), set()).add(film_id)
        return found

    async def ratings_of(self, tx: Transaction, guild_id: int, user_id: int) -> dict[int, Rating]:
        """A member's ratings in one server by film id, read inside the import's own transaction."""
        rows = await tx.fetchall(
            "SELECT guild_id, user_id, film_id, score, review, spoiler, watched_on, created_at, updated_at "
            "FROM ratings WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return {
            row[2]: Rating(
                guild_id=row[0], user_id=row[1], film_id=row[2], score=row[3], review=row[4],
                spoiler=bool(row[5]), watched_on=row[6], created_at=row[7], updated_at=row[8],
            )
            for row in rows
        }

    async def set_watched(self, tx: Transaction, guild_id: int, user_id: int, film_id: int, watched_on: str) -> None:
        """Record a later watched date without touching the score, so no history row is added."""
        await tx.execute(
            "UPDATE ratings SET watched_on = ? WHERE guild_id = ? AND user_id = ? AND film_id = ?",
            (watched_on, guild_id, user_id, film_id),
        )
