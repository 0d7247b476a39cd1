"""Films: the shared catalogue, and the candidate look-ups search ranks."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from bot import clock
from bot.store.models import Film, FilmDraft, FilmLabel, FilmReferences, MergeReport, NameHit, Title

if TYPE_CHECKING:
    from bot.store import Store, Transaction

Normalise = Callable[[str], str]

_FILM_COLUMNS = (
    "id, key, title, original_title, year, runtime, synopsis, imdb_id, popularity, source, added_by, "
    "imdb_rating, imdb_votes"
)


class FilmRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    # ------------------------------------------------------------------ reads

    async def get(self, film_id: int) -> Film | None:
        films = await self.get_many([film_id])
        return films[0] if films else None

    async def get_by_key(self, key: str) -> Film | None:
        row = await self._store.fetchone("SELECT id FROM films WHERE key = ?", (key,))
        return None if row is None else await self.get(row[0])

    async def ids_by_key(self, keys: Iterable[str]) -> dict[str, int]:
        keys = list(keys)
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        rows = await self._store.fetchall(f"SELECT key, id FROM films WHERE key IN ({marks})", tuple(keys))
        return {row[0]: row[1] for row in rows}

    async def get_many(self, film_ids: list[int]) -> list[Film]:
        """Films in the order of `film_ids`; unknown ids are left out."""
        return await _load(self._store, film_ids)

    async def labels(self, film_ids: list[int]) -> list[FilmLabel]:
        """Title, year and first director of films, in the order of `film_ids` (unknown ids left out)."""
        if not film_ids:
            return []
        marks = ",".join("?" * len(film_ids))
        rows = await self._store.fetchall(
            "SELECT id, key, title, year, (SELECT name FROM film_credits c WHERE c.film_id = f.id "
            f"AND c.role = 'director' ORDER BY c.position LIMIT 1) FROM films f WHERE id IN ({marks})",
            tuple(film_ids),
        )
        by_id = {row[0]: FilmLabel(row[0], row[1], row[2], row[3], (row[4],) if row[4] else ()) for row in rows}
        return [by_id[film_id] for film_id in film_ids if film_id in by_id]

    async def count(self) -> int:
        row = await self._store.fetchone("SELECT count(*) FROM films")
        return int(row[0])

    async def popular(self, limit: int) -> list[int]:
        rows = await self._store.fetchall(
            "SELECT id FROM films ORDER BY popularity DESC, id LIMIT ?", (limit,)
        )
        return [row[0] for row in rows]

    # ---------------------------------------------------------------- filters
    # Each returns film ids through an index; /film search intersects them.

    async def ids_with_credit(self, role: str, norm: str, limit: int) -> list[int]:
        """Films crediting one person in `role` each of whose name words some word of `norm` begins.

        "tarkovsky", "andrei tark" and "тарковский" all find Andrei Tarkovsky (film_credit_words).
        """
        words = sorted(set(norm.split()), key=len, reverse=True)[:4]
        if not words:
            return []
        joins, params = [], []
        for n, word in enumerate(words[1:], 1):
            joins.append(
                f"JOIN film_credit_words w{n} ON w{n}.film_id = w0.film_id AND w{n}.role = w0.role "
                f"AND w{n}.position = w0.position AND w{n}.word >= ? AND w{n}.word < ?"
            )
            params += [word, word + "\uffff"]
        rows = await self._store.fetchall(
            f"SELECT DISTINCT w0.film_id FROM film_credit_words w0 {' '.join(joins)} "
            "WHERE w0.role = ? AND w0.word >= ? AND w0.word < ? LIMIT ?",
            (*params, role, words[0], words[0] + "\uffff", limit),
        )
        return [row[0] for row in rows]

    async def ids_with_tag(self, kind: str, value: str, limit: int) -> list[int]:
        """Films tagged `value` or a longer tag starting with it as a word ("World War" → "World War II")."""
        rows = await self._store.fetchall(
            "SELECT DISTINCT film_id FROM film_tags WHERE kind = ? AND (value = ? COLLATE NOCASE "
            "OR (value >= ? COLLATE NOCASE AND value < ? COLLATE NOCASE)) LIMIT ?",
            (kind, value, value + " ", value + " \uffff", limit),
        )
        return [row[0] for row in rows]

    async def ids_with_title_words(self, words: list[str], limit: int) -> list[int]:
        hits = await self.names_with_word_prefixes(words, limit)
        return list(dict.fromkeys(hit.film_id for hit in hits))

    async def ids_in_years(self, low: int, high: int, limit: int) -> list[int]:
        rows = await self._store.fetchall(
            "SELECT id FROM films WHERE year BETWEEN ? AND ? ORDER BY popularity DESC, id LIMIT ?",
            (low, high, limit),
        )
        return [row[0] for row in rows]

    # ------------------------------------------------------------- curation

    async def with_names_in_year(self, norms: list[str], year: int) -> list[int]:
        """Films of `year` known by any of the normalised `norms` (film_titles_norm)."""
        marks = ",".join("?" * len(norms))
        rows = await self._store.fetchall(
            f"SELECT DISTINCT t.film_id FROM film_titles t JOIN films f ON f.id = t.film_id "
            f"WHERE t.norm IN ({marks}) AND f.year = ?",
            (*norms, year),
        )
        return [row[0] for row in rows]

    async def by_imdb(self, imdb_id: int) -> Film | None:
        row = await self._store.fetchone("SELECT id FROM films WHERE imdb_id = ?", (imdb_id,))
        return None if row is None else await self.get(row[0])

    async def keys_starting(self, prefix: str) -> set[str]:
        rows = await self._store.fetchall(
            "SELECT key FROM films WHERE key >= ? AND key < ?", (prefix, prefix + "\uffff")
        )
        return {row[0] for row in rows}

    async def references(self, db: _Reader, film_id: int) -> FilmReferences:
        """What in every server points at `film_id`; `db` is the store or the open transaction."""
        counts = []
        for table in ("ratings", "list_entries", "picks"):
            (row,) = await db.fetchall(f"SELECT count(*) FROM {table} WHERE film_id = ?", (film_id,))
            counts.append(int(row[0]))
        # Only an open ballot holds a film back; a closed one keeps its candidates as history.
        (row,) = await db.fetchall(
            "SELECT count(*) FROM candidates c JOIN ballots b ON b.id = c.ballot_id "
            "WHERE c.film_id = ? AND b.status = 'open'",
            (film_id,),
        )
        counts.append(int(row[0]))
        return FilmReferences(*counts)

    async def exists_in(self, tx: Transaction, film_id: int) -> bool:
        """Whether the film is still there as the open transaction sees it."""
        return await tx.fetchone("SELECT 1 FROM films WHERE id = ?", (film_id,)) is not None

    async def delete(self, tx: Transaction, film_id: int) -> None:
        """The film, its names, credits and tags, and every rating, list entry and pick of it."""
        for table in ("ratings", "list_entries", "picks", "candidates"):
            await tx.execute(f"DELETE FROM {table} WHERE film_id = ?", (film_id,))
        await tx.execute("DELETE FROM films WHERE id = ?", (film_id,))

    async def merge(self, tx: Transaction, keep: int, duplicate: int) -> MergeReport:
        """Move what points at `duplicate` to `keep`, then delete `duplicate`.

        A member who rated both keeps the newer rating; an entry on a list that already holds `keep`
        is dropped rather than doubled.
        """
        params = {"keep": keep, "dup": duplicate}
        (both,) = await tx.fetchone(
            "SELECT count(*) FROM ratings d JOIN ratings k ON k.guild_id = d.guild_id AND k.user_id = d.user_id "
            "AND k.film_id = :keep WHERE d.film_id = :dup",
            params,
        )
        await tx.execute(
            "DELETE FROM ratings WHERE film_id = :keep AND EXISTS (SELECT 1 FROM ratings d WHERE "
            "d.film_id = :dup AND d.guild_id = ratings.guild_id AND d.user_id = ratings.user_id "
            "AND d.updated_at > ratings.updated_at)",
            params,
        )
        await tx.execute(
            "DELETE FROM ratings WHERE film_id = :dup AND EXISTS (SELECT 1 FROM ratings k WHERE "
            "k.film_id = :keep AND k.guild_id = ratings.guild_id AND k.user_id = ratings.user_id)",
            params,
        )
        ratings_moved = await _count(tx, "ratings", duplicate)
        await tx.execute("UPDATE ratings SET film_id = :keep WHERE film_id = :dup", params)
        entries = await _count(tx, "list_entries", duplicate)
        await tx.execute(
            "DELETE FROM list_entries WHERE film_id = :dup AND list_id IN "
            "(SELECT list_id FROM list_entries WHERE film_id = :keep)",
            params,
        )
        entries_moved = await _count(tx, "list_entries", duplicate)
        await tx.execute("UPDATE list_entries SET film_id = :keep WHERE film_id = :dup", params)
        picks = await _count(tx, "picks", duplicate)
        await tx.execute("UPDATE picks SET film_id = :keep WHERE film_id = :dup", params)
        # Past ballots follow the film (their votes with them) unless the ballot held both.
        await tx.execute(
            "DELETE FROM candidates WHERE film_id = :dup AND ballot_id IN "
            "(SELECT ballot_id FROM candidates WHERE film_id = :keep)",
            params,
        )
        await tx.execute("UPDATE candidates SET film_id = :keep WHERE film_id = :dup", params)
        # A recorded result names the film by id too; it follows, as its candidacy did (a ballot
        # that held both keeps the kept film's count), so the closed ballot still reads right.
        await tx.execute("UPDATE results SET winner_id = :keep WHERE winner_id = :dup", params)
        await tx.execute(
            "UPDATE results SET counts = (SELECT json_group_array(json_array("
            "  CASE j.value ->> 0 WHEN :dup THEN :keep ELSE j.value ->> 0 END, j.value ->> 1)) "
            "  FROM json_each(results.counts) j WHERE NOT (j.value ->> 0 = :dup AND EXISTS "
            "  (SELECT 1 FROM json_each(results.counts) k WHERE k.value ->> 0 = :keep))) "
            "WHERE EXISTS (SELECT 1 FROM json_each(results.counts) j WHERE j.value ->> 0 = :dup)",
            params,
        )
        await tx.execute("UPDATE nominations SET film_id = :keep WHERE film_id = :dup", params)
        await tx.execute("DELETE FROM films WHERE id = :dup", params)
        return MergeReport(
            ratings_moved=ratings_moved, ratings_older_dropped=both,
            entries_moved=entries_moved, entries_dropped=entries - entries_moved, picks_moved=picks,
        )

    # ------------------------------------------------------- search candidates

    async def names_starting(self, norm: str, limit: int) -> list[NameHit]:
        """Up to `limit` names equal to or starting with `norm` (a B-tree range), then up to `limit`
        in which every word of `norm` begins some word (word index, most popular first).

        One statement, so one thread hop a keystroke instead of two.
        """
        words = " AND ".join(f"{_phrase(word)}*" for word in norm.split())
        return await self._hits(
            "SELECT * FROM (SELECT t.film_id, t.norm, f.popularity FROM film_titles t "
            "JOIN films f ON f.id = t.film_id WHERE t.norm >= ? AND t.norm < ? LIMIT ?) "
            "UNION ALL SELECT * FROM (SELECT t.film_id, t.norm, f.popularity FROM film_titles_words m "
            "JOIN film_titles t ON t.id = m.rowid JOIN films f ON f.id = t.film_id "
            "WHERE film_titles_words MATCH ? ORDER BY m.rowid LIMIT ?)",
            (norm, norm + "\uffff", limit, words, limit),
        )

    async def names_containing(self, norm: str, limit: int) -> list[NameHit]:
        """Names containing `norm` anywhere (trigram index; `norm` must be 3+ characters)."""
        return await self._hits(
            "SELECT t.film_id, t.norm, f.popularity FROM film_titles_trigram m "
            "JOIN film_titles t ON t.id = m.rowid JOIN films f ON f.id = t.film_id "
            "WHERE film_titles_trigram MATCH ? ORDER BY m.rowid LIMIT ?",
            (_phrase(norm), limit),
        )

    async def names_with_word_prefixes(self, words: list[str], limit: int) -> list[NameHit]:
        """Names in which every one of `words` begins some word (word index, any length)."""
        query = " AND ".join(f"{_phrase(word)}*" for word in words)
        return await self._hits(
            "SELECT t.film_id, t.norm, f.popularity FROM film_titles_words m "
            "JOIN film_titles t ON t.id = m.rowid JOIN films f ON f.id = t.film_id "
            "WHERE film_titles_words MATCH ? ORDER BY m.rowid LIMIT ?",
            (query, limit),
        )

    async def vocabulary(self) -> list[str]:
        """Every word of every searchable name, for typo correction."""
        rows = await self._store.fetchall("SELECT term FROM film_titles_vocab")
        return [row[0] for row in rows]

    async def names_mark(self) -> int:
        """Changes whenever a name is added: tells a cached vocabulary it is stale."""
        row = await self._store.fetchone("SELECT max(id) FROM film_titles")
        return row[0] or 0

    async def _hits(self, sql: str, params: tuple) -> list[NameHit]:
        rows = await self._store.fetchall(sql, params)
        return [NameHit(row[0], row[1], row[2]) for row in rows]

    # ----------------------------------------------------------------- writes

    async def upsert(self, tx: Transaction, draft: FilmDraft, normalise: Normalise) -> tuple[int, str]:
        """Write `draft` under its key; returns (film id, "added" | "updated" | "unchanged").

        A film whose stored facts already equal the draft is left untouched, so loading the same
        data twice changes nothing, not even a timestamp.
        """
        row = await tx.fetchone("SELECT id, imdb_votes FROM films WHERE key = ?", (draft.key,))
        if row is None and draft.imdb_id is not None:
            # The film came first from an IMDb import (or a moderator): the draft takes it over, key
            # and all, rather than adding a second film with the same IMDb id.
            row = await tx.fetchone("SELECT id, imdb_votes FROM films WHERE imdb_id = ?", (draft.imdb_id,))
        if row is not None:
            # IMDb's vote count is what search ranks imported films by; a reload must not undo it.
            draft = dataclasses.replace(draft, popularity=max(draft.popularity, row[1] or 0))
            (current,) = await _load(tx, [row[0]])
            if current.draft() == draft:
                return row[0], "unchanged"
        stamp = clock.now_iso()
        values = (
            draft.title, draft.original_title, draft.year, draft.runtime, draft.synopsis, draft.imdb_id,
            draft.popularity, draft.source, draft.added_by,
        )
        if row is None:
            film_id = await tx.execute(
                "INSERT INTO films (title, original_title, year, runtime, synopsis, imdb_id, popularity, "
                "source, added_by, key, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (*values, draft.key, stamp, stamp),
            )
        else:
            film_id = row[0]
            await tx.execute(
                "UPDATE films SET title = ?, original_title = ?, year = ?, runtime = ?, synopsis = ?, "
                "imdb_id = ?, popularity = ?, source = ?, added_by = ?, key = ?, updated_at = ? WHERE id = ?",
                (*values, draft.key, stamp, film_id),
            )
            for table in ("film_titles", "film_credits", "film_credit_words", "film_tags"):
                await tx.execute(f"DELETE FROM {table} WHERE film_id = ?", (film_id,))
        await _write_children(tx, film_id, draft, normalise)
        return film_id, "added" if row is None else "updated"


async def _write_children(tx: Transaction, film_id: int, draft: FilmDraft, normalise: Normalise) -> None:
    names = [(draft.title, None, "title")]
    if draft.original_title:
        names.append((draft.original_title, None, "original"))
    names += [(alias.title, alias.language, "alias") for alias in draft.aliases]
    await tx.executemany(
        "INSERT INTO film_titles (film_id, title, language, kind, norm) VALUES (?,?,?,?,?)",
        [(film_id, title, language, kind, normalise(title)) for title, language, kind in names],
    )
    credits = [("director", i, name) for i, name in enumerate(draft.directors)]
    credits += [("cast", i, name) for i, name in enumerate(draft.cast)]
    await tx.executemany(
        "INSERT INTO film_credits (film_id, role, position, name, norm) VALUES (?,?,?,?,?)",
        [(film_id, role, i, name, normalise(name)) for role, i, name in credits],
    )
    await tx.executemany(
        "INSERT OR IGNORE INTO film_credit_words (role, word, film_id, position) VALUES (?,?,?,?)",
        [(role, word, film_id, i) for role, i, name in credits for word in normalise(name).split()],
    )
    tags = [("country", i, value) for i, value in enumerate(draft.countries)]
    tags += [("genre", i, value) for i, value in enumerate(draft.genres)]
    await tx.executemany(
        "INSERT INTO film_tags (film_id, kind, position, value) VALUES (?,?,?,?)",
        [(film_id, kind, i, value) for kind, i, value in tags],
    )


async def _count(tx: Transaction, table: str, film_id: int) -> int:
    row = await tx.fetchone(f"SELECT count(*) FROM {table} WHERE film_id = ?", (film_id,))
    return int(row[0])


class _Reader(Protocol):
    async def fetchall(self, sql: str, params: tuple = ...) -> list[sqlite3.Row]: ...


async def _load(db: _Reader, film_ids: list[int]) -> list[Film]:
    """Films with their names, credits and tags, in the order of `film_ids`.

    `db` is the store (committed data) or an open transaction (what it is about to change).
    """
    if not film_ids:
        return []
    ids = tuple(dict.fromkeys(film_ids))
    marks = ",".join("?" * len(ids))
    rows = await db.fetchall(f"SELECT {_FILM_COLUMNS} FROM films WHERE id IN ({marks})", ids)
    extra: dict[int, dict[str, list]] = {
        film_id: {"aliases": [], "director": [], "cast": [], "country": [], "genre": []} for film_id in ids
    }
    for film_id, title, language in await db.fetchall(
        f"SELECT film_id, title, language FROM film_titles WHERE kind = 'alias' AND film_id IN ({marks}) "
        "ORDER BY id",
        ids,
    ):
        extra[film_id]["aliases"].append(Title(title, language))
    for film_id, role, name in await db.fetchall(
        f"SELECT film_id, role, name FROM film_credits WHERE film_id IN ({marks}) ORDER BY role, position",
        ids,
    ):
        extra[film_id][role].append(name)
    for film_id, kind, value in await db.fetchall(
        f"SELECT film_id, kind, value FROM film_tags WHERE film_id IN ({marks}) ORDER BY kind, position",
        ids,
    ):
        extra[film_id][kind].append(value)
    by_id = {row["id"]: _film(row, extra[row["id"]]) for row in rows}
    return [by_id[film_id] for film_id in ids if film_id in by_id]


def _film(row: sqlite3.Row, extra: dict[str, list]) -> Film:
    return Film(
        id=row["id"],
        key=row["key"],
        title=row["title"],
        original_title=row["original_title"],
        year=row["year"],
        runtime=row["runtime"],
        synopsis=row["synopsis"],
        imdb_id=row["imdb_id"],
        popularity=row["popularity"],
        source=row["source"],
        added_by=row["added_by"],
        imdb_rating=row["imdb_rating"],
        imdb_votes=row["imdb_votes"],
        directors=tuple(extra["director"]),
        cast=tuple(extra["cast"]),
        countries=tuple(extra["country"]),
        genres=tuple(extra["genre"]),
        aliases=tuple(extra["aliases"]),
    )


def _phrase(text: str) -> str:
    """An FTS5 string literal: the text as one phrase, quotes doubled."""
    return '"' + text.replace('"', '""') + '"'
