"""The candidate names search ranks: index look-ups only, as few statements as a keystroke allows.

A part of FilmRepository (a mixin), kept apart so each file stays readable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.store.film_filters import _credit_sql, _phrase
from bot.store.models import NameHit

if TYPE_CHECKING:
    from bot.store import Store

_RANGE = "SELECT film_id, norm FROM film_titles WHERE norm >= :low{n} AND norm < :high{n}"
_WORDS = (
    "SELECT t.film_id, t.norm FROM film_titles_words m JOIN film_titles t ON t.id = m.rowid "
    "WHERE film_titles_words MATCH :words{n}"
)
# Names looked through for a year beyond the exact namesakes: each costs a look-up of its film.
YEAR_SCAN = 2000
# Names looked through for a person's short name: each costs a look-up of its film's credits.
CREDIT_SCAN = 3000
_IN_YEARS = " AND EXISTS (SELECT 1 FROM films y WHERE y.id = {film} AND y.year BETWEEN :first AND :last)"


class FilmCandidateQueries:
    _store: Store

    async def names_starting(
        self,
        norms: str | list[str],
        limit: int,
        crediting: str | None = None,
        years: tuple[int, int] | None = None,
    ) -> list[NameHit]:
        """In one statement, for each of `norms`: up to `limit` names equal to or starting with it
        (a B-tree range) and up to `limit` in which each of its words begins some word (the word
        index). With `crediting`, only films crediting a director or actor those normalised words
        name (of `years`, when given), so a common surname's thousands of films are never read."""
        params: dict = {"limit": limit}
        filters = ("", "")
        if crediting is not None:
            people, more = _crediting(crediting)
            params |= more
            filters = (f" AND film_id IN ({people})", f" AND t.film_id IN ({people})")
            if years is not None:
                params |= {"first": years[0], "last": years[1]}
                filters = (
                    filters[0] + _IN_YEARS.format(film="film_id"),
                    filters[1] + _IN_YEARS.format(film="t.film_id"),
                )
        parts = []
        for n, norm in enumerate([norms] if isinstance(norms, str) else norms):
            params |= _norm_params(norm, n)
            parts += [
                f"{_RANGE.format(n=n)}{filters[0]} LIMIT :limit",
                f"{_WORDS.format(n=n)}{filters[1]} ORDER BY m.rowid LIMIT :limit",
            ]
        return await self._hits(_union(parts), params)

    async def names_credited(
        self, norm: str, limit: int, person: str, years: tuple[int, int] | None = None
    ) -> list[NameHit]:
        """Like `names_starting` with `crediting`, for a person named by short words ("wu", "lee"):
        those begin thousands of names, so instead of the person's films, the first `CREDIT_SCAN`
        names of the title words are read and each film's own credits looked at."""
        credited, params = _credited_here(person, "h.film_id")
        params |= {"limit": limit, **_norm_params(norm, 0)}
        if years is not None:
            params |= {"first": years[0], "last": years[1]}
            credited += _IN_YEARS.format(film="h.film_id")
        scans = (
            f"{_RANGE.format(n=0)} LIMIT {CREDIT_SCAN}",
            f"{_WORDS.format(n=0)} ORDER BY m.rowid LIMIT {CREDIT_SCAN}",
        )
        parts = [f"SELECT * FROM ({scan}) h WHERE {credited} LIMIT :limit" for scan in scans]
        return await self._hits(_union(parts), params)

    async def names_in_years(self, norm: str, limit: int, years: tuple[int, int]) -> list[NameHit]:
        """`names_starting` kept to films of `years` inside the statement: what it may have cut off
        when its lists were full (a year finds its film among thousands of namesakes). Every exact
        namesake is looked at; of longer names and the word index, the first `YEAR_SCAN` only."""
        params = {"limit": limit, "first": years[0], "last": years[1], **_norm_params(norm, 0)}
        in_years = _IN_YEARS.format(film="h.film_id")
        parts = [
            f"SELECT film_id, norm FROM film_titles h WHERE norm = :low0{in_years} LIMIT :limit",
            f"SELECT * FROM ({_RANGE.format(n=0)} AND norm > :low0 LIMIT {YEAR_SCAN}) h WHERE 1{in_years} LIMIT :limit",
            f"SELECT * FROM ({_WORDS.format(n=0)} ORDER BY m.rowid LIMIT {YEAR_SCAN}) h WHERE 1{in_years} LIMIT :limit",
        ]
        return await self._hits(_union(parts), params)

    async def names_containing(self, norm: str, limit: int) -> list[NameHit]:
        """Names containing `norm` anywhere (trigram index; `norm` must be 3+ characters)."""
        return await self._hits(
            "SELECT t.film_id, t.norm FROM film_titles_trigram m JOIN film_titles t ON t.id = m.rowid "
            "WHERE film_titles_trigram MATCH :phrase ORDER BY m.rowid LIMIT :limit",
            {"phrase": _phrase(norm), "limit": limit},
        )

    async def club_names(self, guild_id: int) -> list[tuple[str, int, int, int | None, str]]:
        """(name, film id, popularity, year, title) of every name of this server's own films: the
        bundled ones (films_bundled), those on its lists or a bundled list, rated or picked there.
        Read through those indexes, never the catalogue: the cost follows the server, not IMDb."""
        rows = await self._store.fetchall(
            "WITH club(id) AS (SELECT e.film_id FROM lists l JOIN list_entries e ON e.list_id = l.id "
            "WHERE l.guild_id IN (0, :guild) UNION SELECT film_id FROM ratings WHERE guild_id = :guild "
            "UNION SELECT film_id FROM picks WHERE guild_id = :guild AND film_id IS NOT NULL "
            "UNION SELECT id FROM films WHERE source = 'bundled') "
            "SELECT t.norm, t.film_id, f.popularity, f.year, f.title FROM club c CROSS JOIN films f ON f.id = c.id "
            "CROSS JOIN film_titles t ON t.film_id = c.id",
            {"guild": guild_id},
        )
        return [(row[0], row[1], row[2], row[3], row[4]) for row in rows]

    async def vocabulary(self) -> list[str]:
        """Every word of every searchable name, for typo correction."""
        rows = await self._store.fetchall("SELECT term FROM film_titles_vocab")
        return [row[0] for row in rows]

    async def names_mark(self) -> int:
        """Changes whenever a name is added: tells a cached vocabulary it is stale."""
        row = await self._store.fetchone("SELECT max(id) FROM film_titles")
        return row[0] or 0

    async def _hits(self, names_sql: str, params: dict) -> list[NameHit]:
        """`names_sql`'s (film id, name) rows with the film's popularity, year and title (what
        search ranks and narrows by, so it asks no second statement)."""
        rows = await self._store.fetchall(
            f"SELECT h.film_id, h.norm, f.popularity, f.year, f.title FROM ({names_sql}) h "
            "JOIN films f ON f.id = h.film_id",
            params,
        )
        return [NameHit(row[0], row[1], row[2], False, row[3], row[4]) for row in rows]


def _crediting(norm: str) -> tuple[str, dict]:
    """The films crediting one director or actor named by the words of `norm` (film_filters'
    credit look-up), with named parameters so it fits in a statement that uses them."""
    parts = [_credit_sql(role, norm) for role in ("director", "cast")]
    if not parts[0][0]:
        return "SELECT NULL WHERE 0", {}
    sql, pieces, params = f"{parts[0][0]} UNION {parts[1][0]}", [], {}
    for n, piece in enumerate(sql.split("?")):
        pieces.append(piece if n == 0 else f":person{n - 1}{piece}")
    for n, value in enumerate((*parts[0][1], *parts[1][1])):
        params[f"person{n}"] = value
    return "".join(pieces), params


def _norm_params(norm: str, n: int) -> dict:
    words = " AND ".join(f"{_phrase(word)}*" for word in norm.split())
    return {f"low{n}": norm, f"high{n}": norm + "\uffff", f"words{n}": words}


def _union(parts: list[str]) -> str:
    return " UNION ALL ".join(f"SELECT * FROM ({part})" for part in parts)


def _credited_here(norm: str, film: str) -> tuple[str, dict]:
    """An EXISTS true when the film `film` names credits one person (director or actor) whose name
    words the words of `norm` begin (the four longest), through film_credit_words' film index."""
    words = sorted(set(norm.split()), key=len, reverse=True)[:4]
    if not words:
        return "0", {}
    joins, params = [], {}
    for n, word in enumerate(words):
        params |= {f"credit{n}": word, f"credit_end{n}": word + "\uffff"}
        if n:
            joins.append(
                f"JOIN film_credit_words w{n} ON w{n}.film_id = w0.film_id AND w{n}.role = w0.role "
                f"AND w{n}.position = w0.position AND w{n}.word >= :credit{n} AND w{n}.word < :credit_end{n}"
            )
    return (
        f"EXISTS (SELECT 1 FROM film_credit_words w0 {' '.join(joins)} WHERE w0.film_id = {film} "
        "AND w0.word >= :credit0 AND w0.word < :credit_end0)",
        params,
    )
