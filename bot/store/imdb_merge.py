"""The second step of an IMDb import: one transaction that merges the staging file into the catalogue.

See bot.store.imdb for why the import stages first. Everything here runs on one plain sqlite3
connection on a worker thread, with the staging file attached as `imdb`.

A member's /rate or vote waits for the transaction's write lock (up to the bot's busy timeout, 5 s),
so what reads only the staging file is done before the lock is taken, into a temp table (which
locks nothing): billing the credits, half the merge's time at 100,000 films
(benchmarks/rate_during_merge.py measures the longest hold).
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from bot import clock


@dataclass(frozen=True)
class MergeCounts:
    films_added: int
    films_updated: int  # films already there whose IMDb facts, names, credits or genres this import changed
    films_merged: int  # staged films that were already in the catalogue from the bundle or a moderator
    ratings_changed: int  # films whose IMDb rating, votes or popularity changed
    names: int  # searchable names written from this import (titles and akas)
    credits: int
    genres: int
    load_seconds: float  # films, names (written in popularity order), credits, tags
    index_seconds: float  # film_titles' B-tree indexes and both FTS5 indexes built from it
    commit_seconds: float  # writing the transaction out: WAL frames and one fsync


# What this import read: "titles", "ratings", "akas", "director", "cast", "names". Only what was
# read is replaced; a run with title.ratings alone updates ratings and leaves the rest.
Have = frozenset[str]


def merge_staging(conn: sqlite3.Connection, staging: Path, have: Have, on_phase: Callable[[str], None],
                  max_cast: int = 6) -> MergeCounts:
    conn.execute("PRAGMA busy_timeout = 5000")
    # The merge's SQL only writes rows for films it has just read, so the per-row foreign key
    # look-ups would check nothing. Sorts (index builds, ordered inserts) may use a helper thread.
    # Measured at 1M films: 16 MB caches with the helper thread merge as fast as 64 MB ones
    # (53 s) in 125 MB of RSS instead of 420 MB; 2 MB (the default) thrashes.
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA threads = 2")
    conn.execute("ATTACH DATABASE ? AS imdb", (str(staging),))
    for schema in ("main", "temp", "imdb"):
        conn.execute(f"PRAGMA {schema}.cache_size = -16384")  # KiB
    try:
        on_phase("billing the credits")
        _bill(conn, have, max_cast)
        conn.execute("BEGIN IMMEDIATE")
        try:
            counts = _merge_in_transaction(conn, have, on_phase)
            started = time.perf_counter()
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("DROP TABLE IF EXISTS temp.billing")
        conn.execute("DETACH DATABASE imdb")
    return replace(counts, commit_seconds=time.perf_counter() - started)


def _merge_in_transaction(conn: sqlite3.Connection, have: Have, on_phase: Callable[[str], None]) -> MergeCounts:
    started = time.perf_counter()
    now = clock.now_iso()
    # The FTS triggers would index every deleted and inserted name one by one, in the wrong order;
    # _index_names builds the FTS tables whole instead, and the triggers come back before COMMIT.
    triggers = _drop(conn, "film_titles", "trigger")
    (before, last_id) = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM main.films").fetchone()
    on_phase("films")
    # The films already there that this import changes, whatever it changes of them (the summary).
    conn.execute("CREATE TEMP TABLE changed_film (film_id INTEGER PRIMARY KEY)")
    with _indexes_dropped(conn, "films"):
        if "titles" in have:
            _films(conn, now)
        ratings = _ratings(conn, now) if "ratings" in have else 0
    (after,) = conn.execute("SELECT count(*) FROM main.films").fetchone()
    # Every film IMDb knows, by tconst: what the staged rows join through. imdb = 0 for a film
    # from the bundle or a moderator, whose own title, credits and tags IMDb only adds to.
    conn.execute("CREATE TEMP TABLE imdb_film (tconst INTEGER PRIMARY KEY, film_id INTEGER NOT NULL, "
                 "imdb INTEGER NOT NULL)")
    conn.execute("INSERT INTO imdb_film SELECT imdb_id, id, source = 'imdb' FROM main.films "
                 "WHERE imdb_id IS NOT NULL ORDER BY imdb_id")
    _covered(conn, last_id)
    merged = 0
    if "titles" in have:
        (merged,) = conn.execute(
            "SELECT count(*) FROM imdb.titles JOIN imdb_film USING (tconst) WHERE NOT imdb"
        ).fetchone()
    on_phase("names")
    names = _collect_names(conn, have)
    indexes = _write_names(conn)
    on_phase("credits")
    credits = _credits(conn, have)
    genres = _genres(conn) if "titles" in have else 0
    loaded = time.perf_counter()
    on_phase("search indexes")
    _index_names(conn, indexes)
    for sql in triggers:
        conn.execute(sql)
    conn.execute(f"INSERT OR IGNORE INTO changed_film SELECT c.film_id FROM covered c WHERE c.sig IS NOT {_SIGNATURE}")
    (updated,) = conn.execute("SELECT count(*) FROM changed_film").fetchone()
    for table in ("imdb_film", "covered", "changed_film"):
        conn.execute(f"DROP TABLE temp.{table}")
    return MergeCounts(
        films_added=after - before, films_updated=updated, films_merged=merged,
        ratings_changed=ratings, names=names, credits=credits, genres=genres,
        load_seconds=loaded - started, index_seconds=time.perf_counter() - loaded, commit_seconds=0.0,
    )


@contextlib.contextmanager
def _indexes_dropped(conn: sqlite3.Connection, table: str) -> Iterator[None]:
    """Bulk writes with `table`'s secondary indexes dropped, then built once from sorted data."""
    indexes = _drop(conn, table, "index")
    yield
    for sql in indexes:
        conn.execute(sql)


def _drop(conn: sqlite3.Connection, table: str, kind: str) -> list[str]:
    """Drop the indexes or triggers of `table`; returns their SQL to recreate them exactly."""
    found = conn.execute(
        "SELECT name, sql FROM main.sqlite_master WHERE tbl_name = ? AND type = ? AND sql IS NOT NULL",
        (table, kind),
    ).fetchall()
    for name, _ in found:
        conn.execute(f'DROP {kind.upper()} main."{name}"')
    return [sql for _, sql in found]


# A known film's facts after the import: IMDb's own film takes IMDb's, a film from the bundle or a
# moderator keeps what they set and takes IMDb's year and runtime only where it has none. In SQL
# over the film's current columns (`f`, the row an upsert updates) and the staged ones (`t`).
_TITLE = "iif(f.source = 'imdb', t.title, f.title)"
_ORIGINAL = "iif(f.source = 'imdb', t.original, f.original_title)"
_YEAR = "iif(f.source = 'imdb', coalesce(t.year, f.year), coalesce(f.year, t.year))"
_RUNTIME = "iif(f.source = 'imdb', coalesce(t.runtime, f.runtime), coalesce(f.runtime, t.runtime))"
_FACTS_CHANGE = (f"f.title IS NOT {_TITLE} OR f.original_title IS NOT {_ORIGINAL} OR f.year IS NOT {_YEAR} "
                 f"OR f.runtime IS NOT {_RUNTIME}")


def _upserted(expression: str) -> str:
    """An expression over `f` and `t` as an upsert's DO UPDATE writes it: the row unqualified, `excluded`."""
    return (expression.replace("f.original_title", "original_title").replace("f.", "")
            .replace("t.original", "excluded.original_title").replace("t.", "excluded."))


def _films(conn: sqlite3.Connection, now: str) -> None:
    """Insert new films, update IMDb's facts of known ones (recorded in temp.changed_film).

    A film from the bundle or a moderator keeps its id, key, titles and source (its ratings and list
    entries stay attached), and what they set of its year and runtime. Unchanged rows are not written.
    """
    conn.execute(f"INSERT INTO changed_film SELECT f.id FROM imdb.titles t JOIN main.films f ON f.imdb_id = t.tconst "
                 f"WHERE {_FACTS_CHANGE}")
    conn.execute(
        "INSERT INTO main.films (key, title, original_title, year, runtime, imdb_id, imdb_rating, imdb_votes, "
        "popularity, source, created_at, updated_at) "
        "SELECT printf('tt%07d', t.tconst), t.title, t.original, t.year, t.runtime, t.tconst, r.rating, r.votes, "
        "coalesce(r.votes, 0), 'imdb', :now, :now FROM imdb.titles t LEFT JOIN imdb.ratings r USING (tconst) "
        "WHERE true ORDER BY t.tconst "
        f"ON CONFLICT (imdb_id) DO UPDATE SET title = {_upserted(_TITLE)}, "
        f"original_title = {_upserted(_ORIGINAL)}, year = {_upserted(_YEAR)}, runtime = {_upserted(_RUNTIME)}, "
        f"updated_at = :now WHERE {_upserted(_FACTS_CHANGE)} "
        # A key taken by a film without this IMDb id (never made by kinoclub itself): leave both alone.
        "ON CONFLICT DO NOTHING",
        {"now": now},
    )


def _ratings(conn: sqlite3.Connection, now: str) -> int:
    """IMDb's rating and votes, and the popularity search ranks by (the vote count)."""
    conn.execute(
        "UPDATE main.films SET imdb_rating = r.rating, imdb_votes = r.votes, "
        "popularity = iif(source = 'imdb', r.votes, max(popularity, r.votes)), updated_at = :now "
        "FROM imdb.ratings r WHERE films.imdb_id = r.tconst AND (imdb_rating IS NOT r.rating "
        "OR imdb_votes IS NOT r.votes OR popularity IS NOT iif(source = 'imdb', r.votes, max(popularity, r.votes)))",
        {"now": now},
    )
    return conn.execute("SELECT changes()").fetchone()[0]


# What IMDb has given a film (rows of origin 'imdb'), as one text per film: compared before and
# after the merge, it tells which films the import really changed.
_SIGNATURE = (
    "(coalesce((SELECT group_concat(x, '|') FROM (SELECT kind || ' ' || title || ' ' || coalesce(language, '') AS x "
    "FROM main.film_titles WHERE film_id = c.film_id AND origin = 'imdb' ORDER BY 1)), '') || '#' || "
    "coalesce((SELECT group_concat(x, '|') FROM (SELECT role || ' ' || position || ' ' || name AS x "
    "FROM main.film_credits WHERE film_id = c.film_id AND origin = 'imdb' ORDER BY role, position)), '') || '#' || "
    "coalesce((SELECT group_concat(x, '|') FROM (SELECT kind || ' ' || position || ' ' || value AS x "
    "FROM main.film_tags WHERE film_id = c.film_id AND origin = 'imdb' ORDER BY kind, position)), ''))"
)


def _covered(conn: sqlite3.Connection, last_id: int) -> None:
    """temp.covered: the films already there that this import's files speak of, with their signature.

    Only these films' IMDb rows are replaced: a folder holding some films leaves the others as they
    were, whatever the files it lacks (a partial folder is a normal thing to import).
    """
    conn.execute("CREATE TEMP TABLE covered (film_id INTEGER PRIMARY KEY, sig TEXT)")
    conn.execute(
        "INSERT OR IGNORE INTO covered (film_id) SELECT m.film_id FROM imdb_film m WHERE m.film_id <= ? "
        "AND m.tconst IN (SELECT tconst FROM imdb.titles UNION ALL SELECT tconst FROM imdb.akas "
        "UNION ALL SELECT tconst FROM imdb.credits)",
        (last_id,),
    )
    conn.execute(f"UPDATE covered AS c SET sig = {_SIGNATURE}")


def _collect_names(conn: sqlite3.Connection, have: Have) -> int:
    """Collect the names this import gives (temp.name_new) and drop the IMDb names they replace.

    Of the films this import covers, IMDb's own rows (origin 'imdb') are replaced: title and
    original title when title.basics was read, alternative titles when title.akas was. A name the
    bundle or a moderator gave stays, and IMDb's same name is not added beside it. One row per
    (film, normalised name), the form search matches on: the primary key keeps the first of
    repeated spellings (title, then original title, then akas in file order), wherever in the
    files they were, so akas of a title split across the file are not doubled either.
    """
    conn.execute("CREATE TEMP TABLE name_new (film_id INTEGER, norm TEXT, title TEXT, language TEXT, kind TEXT, "
                 "rank INTEGER, PRIMARY KEY (film_id, norm))")
    if "titles" in have:
        conn.execute(
            "INSERT OR IGNORE INTO name_new SELECT m.film_id, t.norm, t.title, NULL, iif(m.imdb, 'title', 'alias'), 0 "
            "FROM imdb.titles t JOIN imdb_film m USING (tconst) WHERE t.norm <> ''"
        )
        conn.execute(
            "INSERT OR IGNORE INTO name_new SELECT m.film_id, t.original_norm, t.original, NULL, "
            "iif(m.imdb, 'original', 'alias'), 1 FROM imdb.titles t JOIN imdb_film m USING (tconst) "
            "WHERE t.original_norm IS NOT NULL AND t.original_norm <> ''"
        )
        conn.execute("DELETE FROM main.film_titles WHERE origin = 'imdb' AND kind IN ('title', 'original') AND "
                     "film_id IN (SELECT m.film_id FROM imdb.titles JOIN imdb_film m USING (tconst) WHERE m.imdb)")
    if "akas" in have:
        # rank keeps akas in file order after the title and original title.
        conn.execute(
            "INSERT OR IGNORE INTO name_new SELECT m.film_id, a.norm, a.title, a.language, 'alias', 2 + a.rowid "
            "FROM imdb.akas a JOIN imdb_film m USING (tconst) ORDER BY a.rowid"
        )
        conn.execute("DELETE FROM main.film_titles WHERE origin = 'imdb' AND kind = 'alias' AND film_id IN "
                     "(SELECT film_id FROM covered)")
    # What is left of film_titles is every name this import does not replace: only add what it lacks.
    conn.execute("DELETE FROM name_new WHERE EXISTS (SELECT 1 FROM main.film_titles x "
                 "WHERE x.norm = name_new.norm AND x.film_id = name_new.film_id)")
    return conn.execute("SELECT count(*) FROM name_new").fetchone()[0]


def _write_names(conn: sqlite3.Connection) -> list[str]:
    """Write film_titles anew in popularity order; returns its index SQL, dropped for _index_names.

    The search reads `ORDER BY rowid LIMIT k` from the FTS tables, so the best-known films must
    have the lowest ids (an early stop at the limit); new ids continue after the highest old one so that a running
    bot's cached word list (keyed on max(id)) notices the change.
    """
    indexes = _drop(conn, "film_titles", "index")
    (base,) = conn.execute("SELECT coalesce(max(id), 0) FROM main.film_titles").fetchone()
    # Rows already there keep their order within a film (their old id) ahead of the new ones.
    conn.execute(
        "CREATE TEMP TABLE name_all AS SELECT film_id, title, language, kind, norm, origin, id AS seq "
        "FROM main.film_titles UNION ALL "
        "SELECT film_id, title, language, kind, norm, 'imdb', 4611686018427387904 + rank FROM name_new"
    )
    conn.execute("DROP TABLE name_new")
    conn.execute("DELETE FROM main.film_titles")
    # A placeholder row at `base` makes SQLite number the ordered insert base+1, base+2, … with no
    # window function (which costs a second sort); it goes again before anything can see it.
    conn.execute("INSERT INTO main.film_titles (id, film_id, title, kind, norm) VALUES (?, 0, '', 'title', '')",
                 (base,))
    conn.execute(
        "INSERT INTO main.film_titles (film_id, title, language, kind, norm, origin) "
        "SELECT a.film_id, a.title, a.language, a.kind, a.norm, a.origin FROM name_all a "
        "JOIN main.films f ON f.id = a.film_id "
        "ORDER BY f.popularity DESC, f.id, a.seq"
    )
    conn.execute("DELETE FROM main.film_titles WHERE id = ?", (base,))
    conn.execute("DROP TABLE name_all")
    return indexes


def _index_names(conn: sqlite3.Connection, indexes: list[str]) -> None:
    """film_titles' B-tree indexes, then both FTS5 indexes fed in rowid order.

    Measured at 144k names: 0.6 s per FTS index fed by `INSERT … SELECT … ORDER BY id` after
    'delete-all', 2.9–4.3 s through FTS5's own 'rebuild' command on the same rows.
    """
    for sql in indexes:
        conn.execute(sql)
    for table in ("film_titles_trigram", "film_titles_words"):
        conn.execute(f"INSERT INTO main.{table} ({table}) VALUES ('delete-all')")
        conn.execute(f"INSERT INTO main.{table} (rowid, norm) SELECT id, norm FROM main.film_titles ORDER BY id")
        # One segment instead of the ~10 a bulk feed leaves: 1.4 s at 1M films, and trigram
        # queries twice as fast (p50 11.5 → 5.7 ms for whole titles).
        conn.execute(f"INSERT INTO main.{table} ({table}) VALUES ('optimize')")


def _credit_roles(have: Have) -> list[str]:
    """The roles this import credits: none without name.basics, which names the people."""
    return [role for role in ("director", "cast") if role in have] if "names" in have else []


def _bill(conn: sqlite3.Connection, have: Have, max_cast: int) -> None:
    """temp.billing: each staged title's credits as billed, from the staging file alone (no lock).

    GROUP BY person: one credit each, at the lowest position (a resumed run may also have staged a
    line twice); row_number() turns IMDb's ordering into positions 0, 1, …. A title is one film;
    which films take IMDb's credits, _credits decides inside the transaction.
    """
    conn.execute("DROP TABLE IF EXISTS temp.billing")
    conn.execute("CREATE TEMP TABLE billing (tconst INTEGER NOT NULL, role TEXT NOT NULL, position INTEGER NOT NULL, "
                 "name TEXT NOT NULL, norm TEXT NOT NULL, PRIMARY KEY (tconst, role, position)) WITHOUT ROWID")
    roles = _credit_roles(have)
    if not roles:
        return
    marks = ",".join("?" * len(roles))
    conn.execute(
        "INSERT INTO temp.billing SELECT tconst, role, position, name, norm FROM (SELECT c.tconst, c.role, n.name, "
        "n.norm, row_number() OVER (PARTITION BY c.tconst, c.role ORDER BY min(c.position), c.nconst) - 1 AS position "
        f"FROM imdb.credits c JOIN imdb.names n USING (nconst) WHERE c.role IN ({marks}) "
        "GROUP BY c.tconst, c.role, c.nconst) WHERE role <> 'cast' OR position < ? ORDER BY tconst, role, position",
        (*roles, max_cast),
    )


def _credits(conn: sqlite3.Connection, have: Have) -> int:
    """Directors and billed actors of the films the files cover, named through name.basics.

    Billing follows the staged positions (title.crew's list order, title.principals' numeric
    ordering, which the file lists sorted as text): a person is credited once per role, at their
    lowest position, and the cast keeps the `max_cast` first. IMDb's credits of a role are replaced
    for a film the files cover (in title.basics or given credits of that role here); a role the
    bundle or a moderator filled keeps theirs, and IMDb's are not added to it.
    """
    roles = _credit_roles(have)
    if not roles:
        return 0
    marks = ",".join("?" * len(roles))
    conn.execute("CREATE TEMP TABLE credit_film (film_id INTEGER NOT NULL, role TEXT NOT NULL, "
                 "PRIMARY KEY (film_id, role)) WITHOUT ROWID")
    if "titles" in have:
        values = " UNION ALL ".join(["SELECT ? AS role"] * len(roles))
        conn.execute(f"INSERT OR IGNORE INTO credit_film SELECT m.film_id, r.role FROM imdb.titles "
                     f"JOIN imdb_film m USING (tconst), ({values}) r", roles)
    conn.execute(f"INSERT OR IGNORE INTO credit_film SELECT m.film_id, c.role FROM imdb.credits c "
                 f"JOIN imdb_film m USING (tconst) WHERE c.role IN ({marks})", roles)
    conn.execute("DELETE FROM main.film_credits WHERE origin = 'imdb' AND (film_id, role) IN "
                 "(SELECT film_id, role FROM credit_film)")
    # Decided here, not while inserting: a statement that reads film_credits while inserting into it
    # makes SQLite buffer its whole result first.
    conn.execute("DELETE FROM credit_film WHERE EXISTS (SELECT 1 FROM main.film_credits x "
                 "WHERE x.film_id = credit_film.film_id AND x.role = credit_film.role)")
    with _indexes_dropped(conn, "film_credits"):
        conn.execute(
            "INSERT OR IGNORE INTO main.film_credits (film_id, role, position, name, norm, origin) "
            "SELECT m.film_id, b.role, b.position, b.name, b.norm, 'imdb' FROM temp.billing b "
            "JOIN imdb_film m USING (tconst) JOIN credit_film USING (film_id, role) "
            "ORDER BY m.film_id, b.role, b.position"
        )
        count = conn.execute("SELECT changes()").fetchone()[0]
    conn.execute("DROP TABLE temp.credit_film")
    # film_credit_words is a function of film_credits (one row per word of each name): rewritten
    # whole and in key order, which beats deleting and inserting millions of rows in place. A
    # normalised name is lower-case letters, digits and single spaces, so it becomes a JSON array
    # by text replacement and json_each yields its words without a Python round trip.
    with _indexes_dropped(conn, "film_credit_words"):
        conn.execute("DELETE FROM main.film_credit_words")
        conn.execute(
            "INSERT OR IGNORE INTO main.film_credit_words (role, word, film_id, position) "
            "SELECT c.role, w.value, c.film_id, c.position FROM main.film_credits c, "
            "json_each('[\"' || replace(c.norm, ' ', '\",\"') || '\"]') w WHERE w.value <> '' ORDER BY 1, 2, 3, 4"
        )
    return count


def _genres(conn: sqlite3.Connection) -> int:
    """IMDb's genres (staged as a JSON array) as genre tags of the films in title.basics.

    A film whose genres the bundle or a moderator set keeps them, and IMDb's are not added.
    """
    conn.execute("DELETE FROM main.film_tags WHERE origin = 'imdb' AND kind = 'genre' AND film_id IN "
                 "(SELECT m.film_id FROM imdb.titles JOIN imdb_film m USING (tconst))")
    staged = ("SELECT m.film_id, 'genre', g.key, g.value, 'imdb' FROM imdb.titles t JOIN imdb_film m USING (tconst), "
              "json_each(t.genres) g WHERE t.genres IS NOT NULL ")
    columns = "main.film_tags (film_id, kind, position, value, origin)"
    with _indexes_dropped(conn, "film_tags"):
        # IMDb's own films hold no one else's genres; the few others are checked apart, since a
        # statement reading film_tags while inserting into it makes SQLite buffer its result.
        conn.execute(f"INSERT INTO {columns} {staged} AND m.imdb")
        count = conn.execute("SELECT changes()").fetchone()[0]
        conn.execute(f"INSERT INTO {columns} {staged} AND NOT m.imdb AND "
                     "NOT EXISTS (SELECT 1 FROM main.film_tags x WHERE x.film_id = m.film_id AND x.kind = 'genre')")
        return count + conn.execute("SELECT changes()").fetchone()[0]
