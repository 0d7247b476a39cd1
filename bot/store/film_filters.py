"""/film search's filters and the person and year look-ups search narrows by: every filter in one
statement, so a page and its total are exact at any size. A part of FilmRepository (a mixin), kept
apart so each file stays readable."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.store import Store


@dataclasses.dataclass(frozen=True)
class FilmFilters:
    """/film search's filters, already checked and normalised (bot.catalogue.finder); None: not given."""

    title_words: tuple[str, ...] = ()
    director: str | None = None
    cast: str | None = None
    years: tuple[int, int] | None = None
    country: str | None = None
    genre: str | None = None


def _filter_sql(filters: FilmFilters) -> tuple[str, tuple]:
    """The WHERE clause over `films f` for every filter given; "1" when none is."""
    clauses: list[str] = []
    params: list = []
    if filters.title_words:
        # Every word begins some word of one name (the FTS5 word index), as autocomplete reads them.
        clauses.append(
            "f.id IN (SELECT t.film_id FROM film_titles_words m JOIN film_titles t ON t.id = m.rowid "
            "WHERE film_titles_words MATCH ?)"
        )
        params.append(" AND ".join(f"{_phrase(word)}*" for word in filters.title_words))
    for role, norm in (("director", filters.director), ("cast", filters.cast)):
        if norm is not None:
            sql, more = _credit_sql(role, norm)
            # A name with no words matches no one, not everyone.
            clauses.append(f"f.id IN ({sql})" if sql else "0")
            params += more
    for kind, value in (("country", filters.country), ("genre", filters.genre)):
        if value is not None:
            # The tag itself or a longer one starting with it as a word ("World War" → "World War II").
            # Two index searches, not one OR, which SQLite answers by reading every tag of the kind.
            clauses.append(
                "f.id IN (SELECT film_id FROM film_tags WHERE kind = ? AND value = ? COLLATE NOCASE UNION ALL "
                "SELECT film_id FROM film_tags WHERE kind = ? AND value >= ? COLLATE NOCASE "
                "AND value < ? COLLATE NOCASE)"
            )
            params += [kind, value, kind, value + " ", value + " \uffff"]
    if filters.years is not None:
        clauses.append("f.year BETWEEN ? AND ?")
        params += list(filters.years)
    return " AND ".join(clauses) or "1", tuple(params)


def _credit_sql(role: str, norm: str) -> tuple[str, tuple]:
    """SELECT of the films crediting one person in `role` whose name words the words of `norm` begin
    (film_credit_words, the four longest words); "" when `norm` has no words."""
    words = sorted(set(norm.split()), key=len, reverse=True)[:4]
    if not words:
        return "", ()
    joins, params = [], []
    for n, word in enumerate(words[1:], 1):
        joins.append(
            f"JOIN film_credit_words w{n} ON w{n}.film_id = w0.film_id AND w{n}.role = w0.role "
            f"AND w{n}.position = w0.position AND w{n}.word >= ? AND w{n}.word < ?"
        )
        params += [word, word + "\uffff"]
    sql = (
        f"SELECT DISTINCT w0.film_id FROM film_credit_words w0 {' '.join(joins)} "
        "WHERE w0.role = ? AND w0.word >= ? AND w0.word < ?"
    )
    return sql, (*params, role, words[0], words[0] + "\uffff")


class FilmFilterQueries:
    _store: Store

    async def search_page(self, filters: FilmFilters, limit: int, offset: int = 0) -> tuple[list[int], int]:
        """Ids of the films matching every filter from `offset`, and how many match in all. Each filter
        is an `IN (subquery)` SQLite answers once, through its index. Most popular first; ties go to the
        older film (as before: a director's early film first), then the lower id, so pages never shift."""
        where, params = _filter_sql(filters)
        (row,) = await self._store.fetchall(f"SELECT count(*) FROM films f WHERE {where}", params)
        rows = await self._store.fetchall(
            f"SELECT f.id FROM films f WHERE {where} ORDER BY f.popularity DESC, f.year, f.id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [r[0] for r in rows], int(row[0])

    async def ids_with_credit(self, role: str, norm: str, limit: int) -> list[int]:
        """Films crediting one person in `role` each of whose name words some word of `norm` begins.

        "tarkovsky", "andrei tark" and "тарковский" all find Andrei Tarkovsky (film_credit_words).
        """
        sql, params = _credit_sql(role, norm)
        if not sql:
            return []
        rows = await self._store.fetchall(f"{sql} LIMIT ?", (*params, limit))
        return [row[0] for row in rows]

    async def ids_crediting(self, norm: str, years: tuple[int, int] | None, limit: int) -> list[int]:
        """Most popular first, films crediting one director or actor whose name words the words of
        `norm` begin (film_credit_words), of `years` when given. One statement."""
        parts = [_credit_sql(role, norm) for role in ("director", "cast")]
        if not parts[0][0]:
            return []
        where, params = "", ()
        if years is not None:
            where, params = " AND f.year BETWEEN ? AND ?", years
        rows = await self._store.fetchall(
            f"SELECT f.id FROM films f WHERE f.id IN ({parts[0][0]} UNION {parts[1][0]}){where} "
            "ORDER BY f.popularity DESC, f.id LIMIT ?",
            (*parts[0][1], *parts[1][1], *params, limit),
        )
        return [row[0] for row in rows]

    async def ids_in_years(self, years: tuple[int, int], limit: int) -> list[int]:
        """Most popular first, films of `years` (films_year index)."""
        rows = await self._store.fetchall(
            "SELECT id FROM films WHERE year BETWEEN ? AND ? ORDER BY popularity DESC, id LIMIT ?",
            (*years, limit),
        )
        return [row[0] for row in rows]


def _phrase(text: str) -> str:
    """An FTS5 string literal: the text as one phrase, quotes doubled."""
    return '"' + text.replace('"', '""') + '"'
