"""The second step of an IMDb import: one transaction that merges the staging file into the catalogue.

See bot.store.imdb for why the import stages first. Everything here runs on one plain sqlite3
connection on a worker thread, with the staging file attached as `imdb`.
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
    films_updated: int  # IMDb's facts changed (title, year, runtime) for a film already there
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


def merge_staging(conn: sqlite3.Connection, staging: Path, have: Have, on_phase: Callable[[str], None]) -> MergeCounts:
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
        conn.execute("DETACH DATABASE imdb")
    return replace(counts, commit_seconds=time.perf_counter() - started)


def _merge_in_transaction(conn: sqlite3.Connection, have: Have, on_phase: Callable[[str], None]) -> MergeCounts:
    started = time.perf_counter()
    now = clock.now_iso()
    # The FTS triggers would index every deleted and inserted name one by one, in the wrong order;
    # _index_names builds the FTS tables whole instead, and the triggers come back before COMMIT.
    triggers = _drop(conn, "film_titles", "trigger")
    (before,) = conn.execute("SELECT count(*) FROM main.films").fetchone()
    on_phase("films")
    with _indexes_dropped(conn, "films"):
        changed = _films(conn, now) if "titles" in have else 0
        ratings = _ratings(conn, now) if "ratings" in have else 0
    (after,) = conn.execute("SELECT count(*) FROM main.films").fetchone()
    # Every film IMDb knows, by tconst: what the staged rows join through. imdb = 0 for a film
    # from the bundle or a moderator, whose own title, credits and tags IMDb only adds to.
    conn.execute("CREATE TEMP TABLE imdb_film (tconst INTEGER PRIMARY KEY, film_id INTEGER NOT NULL, "
                 "imdb INTEGER NOT NULL)")
    conn.execute("INSERT INTO imdb_film SELECT imdb_id, id, source = 'imdb' FROM main.films "
                 "WHERE imdb_id IS NOT NULL ORDER BY imdb_id")
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
    conn.execute("DROP TABLE temp.imdb_film")
    return MergeCounts(
        films_added=after - before, films_updated=changed - (after - before), films_merged=merged,
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


def _films(conn: sqlite3.Connection, now: str) -> int:
    """Insert new films, update IMDb's facts of known ones; returns rows inserted or changed.

    A film from the bundle or a moderator keeps its id, key, titles and source (its ratings and list
    entries stay attached); IMDb corrects its year and runtime. Unchanged rows are not written.
    """
    conn.execute(
        "INSERT INTO main.films (key, title, original_title, year, runtime, imdb_id, imdb_rating, imdb_votes, "
        "popularity, source, created_at, updated_at) "
        "SELECT printf('tt%07d', t.tconst), t.title, t.original, t.year, t.runtime, t.tconst, r.rating, r.votes, "
        "coalesce(r.votes, 0), 'imdb', :now, :now FROM imdb.titles t LEFT JOIN imdb.ratings r USING (tconst) "
        "WHERE true ORDER BY t.tconst "
        "ON CONFLICT (imdb_id) DO UPDATE SET "
        "title = iif(source = 'imdb', excluded.title, title), "
        "original_title = iif(source = 'imdb', excluded.original_title, original_title), "
        "year = coalesce(excluded.year, year), runtime = coalesce(excluded.runtime, runtime), updated_at = :now "
        "WHERE (source = 'imdb' AND (title IS NOT excluded.title OR original_title IS NOT excluded.original_title)) "
        "OR year IS NOT coalesce(excluded.year, year) OR runtime IS NOT coalesce(excluded.runtime, runtime) "
        # A key taken by a film without this IMDb id (never made by kinoclub itself): leave both alone.
        "ON CONFLICT DO NOTHING",
        {"now": now},
    )
    return conn.execute("SELECT changes()").fetchone()[0]


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


def _collect_names(conn: sqlite3.Connection, have: Have) -> int:
    """Collect the names this import gives (temp.name_new) and drop the IMDb names they replace.

    IMDb films get their title/original rows replaced when title.basics was read and their alias
    rows when title.akas was; other films only gain names they do not have yet. One row per
    (film, normalised name), the form search matches on: the original title was dropped while
    staging when it normalises like the title, and akas repeating another aka of their film; an aka
    repeating the title or original title is dropped here by one primary-key probe each.
    """
    conn.execute("CREATE TEMP TABLE name_new (film_id INTEGER, title TEXT, language TEXT, kind TEXT, norm TEXT, "
                 "rank INTEGER)")
    if "titles" in have:
        conn.execute(
            "INSERT INTO name_new SELECT m.film_id, t.title, NULL, iif(m.imdb, 'title', 'alias'), t.norm, 0 "
            "FROM imdb.titles t JOIN imdb_film m USING (tconst) WHERE t.norm <> ''"
        )
        conn.execute(
            "INSERT INTO name_new SELECT m.film_id, t.original, NULL, iif(m.imdb, 'original', 'alias'), "
            "t.original_norm, 1 FROM imdb.titles t JOIN imdb_film m USING (tconst) "
            "WHERE t.original_norm IS NOT NULL AND t.original_norm <> ''"
        )
        conn.execute("DELETE FROM main.film_titles WHERE kind IN ('title', 'original') AND film_id IN "
                     "(SELECT m.film_id FROM imdb.titles JOIN imdb_film m USING (tconst) WHERE m.imdb)")
    if "akas" in have:
        # rank keeps akas in file order after the title and original title.
        conn.execute(
            "INSERT INTO name_new SELECT m.film_id, a.title, a.language, 'alias', a.norm, 2 + a.rowid "
            "FROM imdb.akas a JOIN imdb_film m USING (tconst) WHERE NOT EXISTS (SELECT 1 FROM imdb.titles t "
            "WHERE t.tconst = a.tconst AND a.norm IN (t.norm, t.original_norm))"
        )
        conn.execute("DELETE FROM main.film_titles WHERE kind = 'alias' AND film_id IN "
                     "(SELECT film_id FROM imdb_film WHERE imdb)")
    # What is left of film_titles now is every name IMDb does not replace: only add what it lacks.
    conn.execute("DELETE FROM name_new WHERE EXISTS (SELECT 1 FROM main.film_titles x "
                 "WHERE x.norm = name_new.norm AND x.film_id = name_new.film_id)")
    return conn.execute("SELECT count(*) FROM name_new").fetchone()[0]


def _write_names(conn: sqlite3.Connection) -> list[str]:
    """Write film_titles anew in popularity order; returns its index SQL, dropped for _index_names.

    The search reads `ORDER BY rowid LIMIT k` from the FTS tables, so the best-known films must
    have the lowest ids (SEARCH-NOTES); new ids continue after the highest old one so that a running
    bot's cached word list (keyed on max(id)) notices the change.
    """
    indexes = _drop(conn, "film_titles", "index")
    (base,) = conn.execute("SELECT coalesce(max(id), 0) FROM main.film_titles").fetchone()
    # Rows already there keep their order within a film (their old id) ahead of the new ones.
    conn.execute(
        "CREATE TEMP TABLE name_all AS SELECT film_id, title, language, kind, norm, id AS seq FROM main.film_titles "
        "UNION ALL SELECT film_id, title, language, kind, norm, 4611686018427387904 + rank FROM name_new"
    )
    conn.execute("DROP TABLE name_new")
    conn.execute("DELETE FROM main.film_titles")
    # A placeholder row at `base` makes SQLite number the ordered insert base+1, base+2, … with no
    # window function (which costs a second sort); it goes again before anything can see it.
    conn.execute("INSERT INTO main.film_titles (id, film_id, title, kind, norm) VALUES (?, 0, '', 'title', '')",
                 (base,))
    conn.execute(
        "INSERT INTO main.film_titles (film_id, title, language, kind, norm) "
        "SELECT a.film_id, a.title, a.language, a.kind, a.norm FROM name_all a JOIN main.films f ON f.id = a.film_id "
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


def _credits(conn: sqlite3.Connection, have: Have) -> int:
    """Directors and billed actors (positions and the cast limit come staged), named through name.basics.

    A role is replaced for IMDb films when a file giving it was read ("director": title.crew or
    title.principals, "cast": title.principals); a film from elsewhere keeps any credits it has.
    """
    roles = [role for role in ("director", "cast") if role in have]
    if "names" not in have or not roles:
        return 0
    marks = ",".join("?" * len(roles))
    conn.execute(f"DELETE FROM main.film_credits WHERE role IN ({marks}) AND film_id IN "
                 "(SELECT film_id FROM imdb_film WHERE imdb)", roles)
    staged = ("SELECT m.film_id, c.role, c.position, n.name, n.norm FROM imdb.credits c "
              "JOIN imdb_film m USING (tconst) JOIN imdb.names n USING (nconst) ")
    with _indexes_dropped(conn, "film_credits"):
        # Staged in file order, which is film order for films this import added: the rows append
        # without a sort. OR IGNORE: a resumed run may stage a credit twice (rows.Principals).
        conn.execute(f"INSERT OR IGNORE INTO main.film_credits {staged} WHERE m.imdb")
        count = conn.execute("SELECT changes()").fetchone()[0]
        # Kept apart: a statement that reads film_credits while inserting into it makes SQLite
        # buffer its whole result first, which the few films from elsewhere can afford.
        conn.execute(f"INSERT OR IGNORE INTO main.film_credits {staged} WHERE NOT m.imdb AND NOT EXISTS "
                     "(SELECT 1 FROM main.film_credits x WHERE x.film_id = m.film_id AND x.role = c.role)")
        count += conn.execute("SELECT changes()").fetchone()[0]
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
    """IMDb's genres (staged as a JSON array) as genre tags; a film from elsewhere keeps any it has."""
    conn.execute("DELETE FROM main.film_tags WHERE kind = 'genre' AND film_id IN "
                 "(SELECT m.film_id FROM imdb.titles JOIN imdb_film m USING (tconst) WHERE m.imdb)")
    staged = ("SELECT m.film_id, 'genre', g.key, g.value FROM imdb.titles t JOIN imdb_film m USING (tconst), "
              "json_each(t.genres) g WHERE t.genres IS NOT NULL ")
    with _indexes_dropped(conn, "film_tags"):
        conn.execute(f"INSERT INTO main.film_tags (film_id, kind, position, value) {staged} AND m.imdb")
        count = conn.execute("SELECT changes()").fetchone()[0]
        conn.execute(f"INSERT INTO main.film_tags (film_id, kind, position, value) {staged} AND NOT m.imdb AND "
                     "NOT EXISTS (SELECT 1 FROM main.film_tags x WHERE x.film_id = m.film_id AND x.kind = 'genre')")
        return count + conn.execute("SELECT changes()").fetchone()[0]
