"""Films: the shared catalogue, and the candidate look-ups search ranks."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

from bot import clock
from bot.store import film_merge, film_sources
from bot.store.film_candidates import FilmCandidateQueries
from bot.store.film_filters import FilmFilterQueries
from bot.store.models import Film, FilmDraft, FilmLabel, FilmReferences, MergeReport, Title

if TYPE_CHECKING:
    from bot.store import Store, Transaction

Normalise = Callable[[str], str]

_FILM_COLUMNS = (
    "id, key, title, original_title, year, runtime, synopsis, imdb_id, popularity, source, added_by, "
    "imdb_rating, imdb_votes"
)


class FilmRepository(FilmCandidateQueries, FilmFilterQueries):
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

    async def titles_and_years(self, film_ids: list[int]) -> dict[int, tuple[str, int | None]]:
        """Display title and year of each known film (what search narrows and ranks by)."""
        if not film_ids:
            return {}
        ids = tuple(dict.fromkeys(film_ids))
        marks = ",".join("?" * len(ids))
        rows = await self._store.fetchall(f"SELECT id, title, year FROM films WHERE id IN ({marks})", ids)
        return {row[0]: (row[1], row[2]) for row in rows}

    # ------------------------------------------------------------- curation

    async def with_names_in_year(self, norms: list[str], year: int, db: _Reader | None = None) -> list[int]:
        """Films of `year` known by any of the normalised `norms` (film_titles_norm), as `db` sees them."""
        marks = ",".join("?" * len(norms))
        rows = await (db or self._store).fetchall(
            f"SELECT DISTINCT t.film_id FROM film_titles t JOIN films f ON f.id = t.film_id "
            f"WHERE t.norm IN ({marks}) AND f.year = ?",
            (*norms, year),
        )
        return [row[0] for row in rows]

    async def by_imdb(self, imdb_id: int, db: _Reader | None = None) -> Film | None:
        rows = await (db or self._store).fetchall("SELECT id FROM films WHERE imdb_id = ?", (imdb_id,))
        return None if not rows else await self.get(rows[0][0])

    async def keys_starting(self, prefix: str, db: _Reader | None = None) -> set[str]:
        """Keys from `prefix` that are taken: in use, or retired with a film that is gone (never reused).

        Read inside the transaction that writes the new film, so two servers adding at once never
        pick the same key."""
        rows = await (db or self._store).fetchall(
            "SELECT key FROM films WHERE key >= ?1 AND key < ?2 "
            "UNION SELECT key FROM retired_keys WHERE key >= ?1 AND key < ?2",
            (prefix, prefix + "\uffff"),
        )
        return {row[0] for row in rows}

    async def owner(self, db: _Reader, film_id: int, key: str) -> int | None:
        """The server owning the film with this id and key as `db` sees it; None if none does or it is gone.

        Id and key both: a removed film's id may be given again, its key never is. A film the
        bundle or IMDb took over is no longer a moderator's, so no server owns it.
        """
        rows = await db.fetchall(
            "SELECT owner_guild_id FROM films WHERE id = ? AND key = ? AND source = 'moderator'", (film_id, key)
        )
        return rows[0][0] if rows else None

    async def claim(self, tx: Transaction, film_id: int, guild_id: int) -> None:
        """Make `guild_id` the owner of the film it has just created."""
        await tx.execute("UPDATE films SET owner_guild_id = ? WHERE id = ?", (guild_id, film_id))

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

    async def held_elsewhere(self, db: _Reader, film_id: int, guild_id: int) -> int:
        """Rows of servers other than `guild_id` that removing `film_id` would delete.

        Their members' ratings and rating history, their lists' entries, their picks, ballots and
        nominations: what one server's moderator must never take from another server."""
        (row,) = await db.fetchall(
            "SELECT (SELECT count(*) FROM ratings WHERE film_id = :f AND guild_id <> :g)"
            " + (SELECT count(*) FROM rating_history WHERE film_id = :f AND guild_id <> :g)"
            " + (SELECT count(*) FROM list_entries e JOIN lists l ON l.id = e.list_id"
            "    WHERE e.film_id = :f AND l.guild_id <> :g)"
            " + (SELECT count(*) FROM picks WHERE film_id = :f AND guild_id <> :g)"
            " + (SELECT count(*) FROM candidates c JOIN ballots b ON b.id = c.ballot_id"
            "    WHERE c.film_id = :f AND b.guild_id <> :g)"
            " + (SELECT count(*) FROM nominations WHERE film_id = :f AND guild_id <> :g)",
            {"f": film_id, "g": guild_id},
        )
        return int(row[0])

    async def merge_drops_elsewhere(self, db: _Reader, keep: int, duplicate: int, guild_id: int) -> int:
        """Rows of servers other than `guild_id` that merging `duplicate` into `keep` would drop.

        A merge moves what points at the duplicate; it drops only the older of two ratings by one
        member, an entry on a list already holding `keep`, a candidate on a ballot holding both
        (bot.store.film_merge). Moving another server's rows is harmless; dropping them is not."""
        (row,) = await db.fetchall(
            "SELECT (SELECT count(*) FROM ratings d JOIN ratings k ON k.guild_id = d.guild_id"
            "    AND k.user_id = d.user_id AND k.film_id = :keep WHERE d.film_id = :dup AND d.guild_id <> :g)"
            " + (SELECT count(*) FROM list_entries d JOIN lists l ON l.id = d.list_id"
            "    JOIN list_entries k ON k.list_id = d.list_id AND k.film_id = :keep"
            "    WHERE d.film_id = :dup AND l.guild_id <> :g)"
            " + (SELECT count(*) FROM candidates d JOIN ballots b ON b.id = d.ballot_id"
            "    JOIN candidates k ON k.ballot_id = d.ballot_id AND k.film_id = :keep"
            "    WHERE d.film_id = :dup AND b.guild_id <> :g)",
            {"keep": keep, "dup": duplicate, "g": guild_id},
        )
        return int(row[0])

    async def exists_in(self, tx: Transaction, film_id: int, key: str) -> bool:
        """Whether the film is still there as the open transaction sees it.

        Id and key both: SQLite may give a removed film's id to the next film, never its key.
        """
        return await tx.fetchone("SELECT 1 FROM films WHERE id = ? AND key = ?", (film_id, key)) is not None

    async def delete(self, tx: Transaction, film_id: int) -> None:
        """The film, its names, credits and tags, and every rating, list entry and pick of it."""
        for table in ("ratings", "list_entries", "picks", "candidates"):
            await tx.execute(f"DELETE FROM {table} WHERE film_id = ?", (film_id,))
        await tx.execute("DELETE FROM films WHERE id = ?", (film_id,))

    async def merge(self, tx: Transaction, keep: int, duplicate: int) -> MergeReport:
        """Move what points at `duplicate` to `keep`, then delete `duplicate` (bot.store.film_merge)."""
        return await film_merge.merge(tx, keep, duplicate)

    # ----------------------------------------------------------------- writes

    async def upsert(self, tx: Transaction, draft: FilmDraft, normalise: Normalise) -> tuple[int, str]:
        """Write `draft` under its key; returns (film id, "added" | "updated" | "unchanged").

        A film whose stored facts already equal the draft is left untouched, so loading the same
        data twice changes nothing, not even a timestamp. The draft is compared with, and replaces,
        only the names, credits and tags of its own origin: what another source gave the film stays
        (film_sources, which also says which source wins a field).
        """
        row = await tx.fetchone("SELECT id, imdb_votes FROM films WHERE key = ?", (draft.key,))
        if row is None and draft.imdb_id is not None:
            # The film came first from an IMDb import (or a moderator): the draft takes it over, key
            # and all, rather than adding a second film with the same IMDb id.
            row = await tx.fetchone("SELECT id, imdb_votes FROM films WHERE imdb_id = ?", (draft.imdb_id,))
        if row is not None:
            # IMDb's vote count is what search ranks imported films by; a reload must not undo it.
            draft = dataclasses.replace(draft, popularity=max(draft.popularity, row[1] or 0))
            (current,) = await _load(tx, [row[0]], origin=film_sources.origin_of(draft))
            if draft.source == "bundled":
                # A year or runtime the bundle does not give is what an import filled in: keep it.
                draft = dataclasses.replace(draft, year=_given(draft.year, current.year),
                                            runtime=_given(draft.runtime, current.runtime))
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
        await film_sources.write_own(tx, film_id, draft, normalise)
        return film_id, "added" if row is None else "updated"

    async def put_synopses(self, tx: Transaction, film_id: int, synopses: Mapping[str, str]) -> bool:
        """The film's synopsis in other languages becomes `synopses` (language → text), those not
        given dropped as an English synopsis left out is; True if that changed anything."""
        rows = await tx.fetchall(
            "SELECT language, text FROM film_texts WHERE film_id = ? AND field = 'synopsis'", (film_id,)
        )
        if {row[0]: row[1] for row in rows} == dict(synopses):
            return False
        await tx.execute("DELETE FROM film_texts WHERE film_id = ? AND field = 'synopsis'", (film_id,))
        await tx.executemany(
            "INSERT INTO film_texts (film_id, language, field, text) VALUES (?, ?, 'synopsis', ?)",
            [(film_id, language, text) for language, text in sorted(synopses.items())],
        )
        await tx.execute("UPDATE films SET updated_at = ? WHERE id = ?", (clock.now_iso(), film_id))
        return True


def _given(value: int | None, stored: int | None) -> int | None:
    return stored if value is None else value


class _Reader(Protocol):
    async def fetchall(self, sql: str, params: tuple = ...) -> list[sqlite3.Row]: ...


async def _load(db: _Reader, film_ids: list[int], origin: str | None = None) -> list[Film]:
    """Films with their names, credits and tags, in the order of `film_ids`.

    `db` is the store (committed data) or an open transaction (what it is about to change). With
    `origin`, only the names, credits and tags that source gave (what upsert compares a draft with).
    """
    if not film_ids:
        return []
    ids = tuple(dict.fromkeys(film_ids))
    marks = ",".join("?" * len(ids))
    rows = await db.fetchall(f"SELECT {_FILM_COLUMNS} FROM films WHERE id IN ({marks})", ids)
    only, children = ("", ids) if origin is None else (" AND origin = ?", (*ids, origin))
    extra: dict[int, dict[str, list]] = {
        film_id: {"aliases": [], "director": [], "cast": [], "country": [], "genre": []} for film_id in ids
    }
    for film_id, title, language in await db.fetchall(
        f"SELECT film_id, title, language FROM film_titles WHERE kind = 'alias' AND film_id IN ({marks}){only} "
        "ORDER BY id",
        children,
    ):
        extra[film_id]["aliases"].append(Title(title, language))
    for film_id, role, name in await db.fetchall(
        f"SELECT film_id, role, name FROM film_credits WHERE film_id IN ({marks}){only} ORDER BY role, position",
        children,
    ):
        extra[film_id][role].append(name)
    for film_id, kind, value in await db.fetchall(
        f"SELECT film_id, kind, value FROM film_tags WHERE film_id IN ({marks}){only} ORDER BY kind, position",
        children,
    ):
        extra[film_id][kind].append(value)
    synopses: dict[int, dict[str, str]] = {film_id: {} for film_id in ids}
    for film_id, language, text in await db.fetchall(
        f"SELECT film_id, language, text FROM film_texts WHERE field = 'synopsis' AND film_id IN ({marks})", ids
    ):
        synopses[film_id][language] = text
    by_id = {row["id"]: _film(row, extra[row["id"]], synopses[row["id"]]) for row in rows}
    return [by_id[film_id] for film_id in ids if film_id in by_id]


def _film(row: sqlite3.Row, extra: dict[str, list], synopses: dict[str, str]) -> Film:
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
        synopses=synopses,
    )
