"""A server's own films, kept in memory for search: what ranks them above catalogue namesakes.

A server's films are the bundled ones, those on its lists (or a bundled list), and those rated or
picked there: a few hundred names for most clubs, against a million in the catalogue. Looking
them up in memory costs a keystroke nothing; reading them costs what the server holds, so they
are read again only after this process wrote something (a rating, a list entry, a pick) and at
most every `REFRESH` seconds, and every `RECHECK` seconds in any case (another process may write).
Being a moment out of date only changes an order of suggestions, never what is stored.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass, field

from bot.store import Store
from bot.store.models import NameHit

REFRESH = 2.0
RECHECK = 60.0
# Up to this many names, a server's own films are also matched word by word in memory (~0.5 ms).
SCANNED = 2000


@dataclass
class _Names:
    rows: list[tuple[str, int, int, int | None, str]]  # sorted by name
    ids: frozenset[int]
    commits: int
    read_at: float
    norms: list[str] = field(default_factory=list)


class ClubFilms:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._by_guild: dict[int, _Names] = {}

    async def ids(self, guild_id: int) -> frozenset[int]:
        return (await self._names(guild_id)).ids

    async def matching(self, guild_id: int, norm: str, limit: int) -> list[NameHit]:
        """The server's own names equal to or starting with `norm` (a binary search), and for a
        server of up to `SCANNED` names also those in which each word of `norm` begins a word."""
        names = await self._names(guild_id)
        at = bisect.bisect_left(names.norms, norm)
        rows = []
        for row in names.rows[at : at + limit]:
            if not row[0].startswith(norm):
                break
            rows.append(row)
        if len(names.rows) <= SCANNED:
            words = norm.split()
            rows += [
                row
                for row in names.rows
                if not row[0].startswith(norm) and all(any(w.startswith(q) for w in row[0].split()) for q in words)
            ][:limit]
        return [
            NameHit(film_id, name, popularity, True, year, title) for name, film_id, popularity, year, title in rows
        ]

    async def _names(self, guild_id: int) -> _Names:
        now, commits = time.monotonic(), self._store.commits
        names = self._by_guild.get(guild_id)
        if names is not None:
            age = now - names.read_at
            if age < REFRESH or (names.commits == commits and age < RECHECK):
                return names
        rows = sorted(await self._store.films.club_names(guild_id))
        names = _Names(rows, frozenset(row[1] for row in rows), commits, now, [row[0] for row in rows])
        self._by_guild[guild_id] = names
        return names
