"""The candidate names search ranks: index look-ups only, as few statements as a keystroke allows.

A part of FilmRepository (a mixin), kept apart so each file stays readable. Every candidate says
whether its film is the asking server's own (`CLUB`), so ranking needs no second statement.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.store.film_filters import _phrase
from bot.store.models import NameHit

if TYPE_CHECKING:
    from bot.store import Store

# A server's own films: bundled with the bot, on one of its lists (or a bundled list), rated or
# picked there. Index look-ups per film (list_entries_film, ratings_film, picks_film).
CLUB = (
    "(f.source = 'bundled' OR EXISTS (SELECT 1 FROM list_entries e JOIN lists l ON l.id = e.list_id "
    "WHERE e.film_id = f.id AND l.guild_id IN (0, :guild)) "
    "OR EXISTS (SELECT 1 FROM ratings r WHERE r.guild_id = :guild AND r.film_id = f.id) "
    "OR EXISTS (SELECT 1 FROM picks p WHERE p.guild_id = :guild AND p.film_id = f.id))"
)
# How many names of a prefix's B-tree range are looked through for the server's own films: every
# exact namesake of a real title (IMDb has ~300 "Mother"s), without reading a whole letter's range.
CLUB_SCAN = 3000

_RANGE = "SELECT film_id, norm FROM film_titles WHERE norm >= :low AND norm < :high"
_WORDS = (
    "SELECT t.film_id, t.norm FROM film_titles_words m JOIN film_titles t ON t.id = m.rowid "
    "WHERE film_titles_words MATCH :words"
)
_IN_YEARS = " AND EXISTS (SELECT 1 FROM films y WHERE y.id = {film} AND y.year BETWEEN :first AND :last)"


class FilmCandidateQueries:
    _store: Store

    async def names_starting(
        self, norm: str, limit: int, years: tuple[int, int] | None = None, guild_id: int | None = None
    ) -> list[NameHit]:
        """In one statement: up to `limit` names equal to or starting with `norm` (a B-tree range)
        and up to `limit` in which every word of `norm` begins some word (the word index); with
        `years`, as many again of those years (a year finds its film among thousands of namesakes);
        with `guild_id`, that server's own films among the range's first `CLUB_SCAN` names."""
        words = " AND ".join(f"{_phrase(word)}*" for word in norm.split())
        params = {"low": norm, "high": norm + "\uffff", "words": words, "limit": limit, "guild": guild_id}
        parts = [f"{_RANGE} LIMIT :limit", f"{_WORDS} ORDER BY m.rowid LIMIT :limit"]
        if years is not None:
            params |= {"first": years[0], "last": years[1]}
            parts += [
                f"{_RANGE}{_IN_YEARS.format(film='film_id')} LIMIT :limit",
                f"{_WORDS}{_IN_YEARS.format(film='t.film_id')} ORDER BY m.rowid LIMIT :limit",
            ]
        if guild_id is not None:
            parts.append(
                f"SELECT h.film_id, h.norm FROM ({_RANGE} LIMIT {CLUB_SCAN}) h JOIN films f ON f.id = h.film_id "
                f"WHERE {CLUB} LIMIT :limit"
            )
        union = " UNION ALL ".join(f"SELECT * FROM ({part})" for part in parts)
        return await self._hits(union, params, guild_id)

    async def names_containing(self, norm: str, limit: int, guild_id: int | None = None) -> list[NameHit]:
        """Names containing `norm` anywhere (trigram index; `norm` must be 3+ characters)."""
        return await self._hits(
            "SELECT t.film_id, t.norm FROM film_titles_trigram m JOIN film_titles t ON t.id = m.rowid "
            "WHERE film_titles_trigram MATCH :phrase ORDER BY m.rowid LIMIT :limit",
            {"phrase": _phrase(norm), "limit": limit, "guild": guild_id},
            guild_id,
        )

    async def club_ids(self, guild_id: int, film_ids: Iterable[int]) -> set[int]:
        """Which of `film_ids` are this server's own films (`CLUB`)."""
        rows = await self._store.fetchall(
            f"SELECT f.id FROM json_each(:ids) j JOIN films f ON f.id = j.value WHERE {CLUB}",
            {"ids": json.dumps(sorted(set(film_ids))), "guild": guild_id},
        )
        return {row[0] for row in rows}

    async def vocabulary(self) -> list[str]:
        """Every word of every searchable name, for typo correction."""
        rows = await self._store.fetchall("SELECT term FROM film_titles_vocab")
        return [row[0] for row in rows]

    async def names_mark(self) -> int:
        """Changes whenever a name is added: tells a cached vocabulary it is stale."""
        row = await self._store.fetchone("SELECT max(id) FROM film_titles")
        return row[0] or 0

    async def _hits(self, names_sql: str, params: dict, guild_id: int | None) -> list[NameHit]:
        """`names_sql`'s (film id, name) rows with the film's popularity and whether it is the server's."""
        club = "0" if guild_id is None else CLUB
        rows = await self._store.fetchall(
            f"SELECT h.film_id, h.norm, f.popularity, {club} FROM ({names_sql}) h JOIN films f ON f.id = h.film_id",
            params,
        )
        return [NameHit(row[0], row[1], row[2], bool(row[3])) for row in rows]
