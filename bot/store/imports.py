"""Bulk reads and writes for importing a member's ratings from another site (Letterboxd).

Single ratings still go through `store.ratings.put`, which keeps the history; this adds only what
an import needs in bulk: catalogue look-ups by name, IMDb id and Letterboxd link, the member's
ratings as the open transaction sees them, and each rating's Letterboxd link (so an export can
name the very film Letterboxd knows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.store.models import Rating

if TYPE_CHECKING:
    from bot.store import Store, Transaction

_CHUNK = 500  # well under SQLite's limit on bound parameters


@dataclass(frozen=True)
class FilmName:
    """One name of one film, with what a matcher weighs: which kind of name it is, and how known the film is."""

    norm: str
    film_id: int
    title: str  # the name as written
    own: bool  # the film's own title or original title, not an alternative one
    year: int | None
    votes: int  # IMDb's vote count, or the bundle's popularity when higher (both rank the better known)
    film_title: str  # the film's own title, for showing a candidate


class ImportRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def names(self, norms: set[str]) -> list[FilmName]:
        """Every name whose normalised form is one of `norms` (film_titles_norm), with its film's year and votes."""
        ordered = sorted(norms)
        found: list[FilmName] = []
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = await self._store.fetchall(
                "SELECT t.norm, t.film_id, t.title, t.kind != 'alias', f.year, "
                "max(coalesce(f.imdb_votes, 0), f.popularity), f.title FROM film_titles t "
                f"JOIN films f ON f.id = t.film_id WHERE t.norm IN ({marks}) ORDER BY t.film_id, t.id",
                tuple(chunk),
            )
            found += [FilmName(row[0], row[1], row[2], bool(row[3]), row[4], int(row[5]), row[6]) for row in rows]
        return found

    async def films_by_imdb(self, imdb_ids: set[int]) -> dict[int, int]:
        """Film id per IMDb id (tt0050634 as 50634), for the ids the catalogue holds."""
        ordered = sorted(imdb_ids)
        found: dict[int, int] = {}
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = await self._store.fetchall(f"SELECT imdb_id, id FROM films WHERE imdb_id IN ({marks})", tuple(chunk))
            found.update({row[0]: row[1] for row in rows})
        return found

    async def films_by_link(self, guild_id: int, user_id: int, links: set[str]) -> dict[str, int]:
        """Film id per Letterboxd link this member's ratings here already carry."""
        ordered = sorted(links)
        found: dict[str, int] = {}
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = await self._store.fetchall(
                "SELECT letterboxd_uri, film_id FROM ratings WHERE guild_id = ? AND user_id = ? "
                f"AND letterboxd_uri IN ({marks})",
                (guild_id, user_id, *chunk),
            )
            found.update({row[0]: row[1] for row in rows})
        return found

    async def links_of(self, guild_id: int, user_id: int) -> dict[int, str]:
        """The Letterboxd link of each of a member's ratings here that has one, by film id."""
        rows = await self._store.fetchall(
            "SELECT film_id, letterboxd_uri FROM ratings WHERE guild_id = ? AND user_id = ? "
            "AND letterboxd_uri IS NOT NULL",
            (guild_id, user_id),
        )
        return {row[0]: row[1] for row in rows}

    async def set_link(self, tx: Transaction, guild_id: int, user_id: int, film_id: int, link: str) -> None:
        """Remember the Letterboxd film a rating came from; a link is not a score, so no history row."""
        await tx.execute(
            "UPDATE ratings SET letterboxd_uri = ? WHERE guild_id = ? AND user_id = ? AND film_id = ? "
            "AND letterboxd_uri IS NOT ?",
            (link, guild_id, user_id, film_id, link),
        )

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
