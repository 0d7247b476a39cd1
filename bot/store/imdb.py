"""IMDb datasets in bulk: a staging file the importer streams into, then one merge into the catalogue.

Why two steps. The importer parses millions of lines in Python; writing them straight into `films`
and `film_titles` would fire the FTS triggers once per row, in IMDb's order rather than popularity
order, and would expose a half-loaded catalogue for the minutes a Ctrl-C can fall into. So lines go
first into a separate SQLite file next to the database (`<db>.imdb-staging`, plain tables without
indexes, one transaction per batch that also records how many lines of each file it holds, so an
interrupted run resumes at the next batch). Then one transaction on the database merges the staged
rows with set-based SQL, renumbers `film_titles` in popularity order and rebuilds its FTS indexes
with their triggers dropped and recreated inside that same transaction: the bot either sees the
catalogue before the import or after it, never between, and a failure leaves nothing to repair.

Both steps use their own plain sqlite3 connections on a worker thread (the aiosqlite connections of
the store hop threads per statement, which is fine for a member's write and slow for millions of
rows). Their PRAGMAs apply to that connection only and end with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot.store.imdb_merge import Have, MergeCounts, merge_staging

if TYPE_CHECKING:
    from bot.store import Store

STAGING_SUFFIX = ".imdb-staging"
MAX_PROBLEMS = 5  # line numbers kept per file for the report; the count is always exact

_STAGING_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY, lines INTEGER NOT NULL, done INTEGER NOT NULL, kept INTEGER NOT NULL,
    filtered INTEGER NOT NULL, skipped INTEGER NOT NULL, problems TEXT NOT NULL, seconds REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS titles (
    tconst INTEGER PRIMARY KEY, title TEXT NOT NULL, original TEXT, year INTEGER, runtime INTEGER,
    genres TEXT, norm TEXT NOT NULL, original_norm TEXT
);
CREATE TABLE IF NOT EXISTS ratings (tconst INTEGER PRIMARY KEY, rating REAL NOT NULL, votes INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS akas (tconst INTEGER NOT NULL, title TEXT NOT NULL, language TEXT, norm TEXT NOT NULL);
-- position: title.crew's list order, or title.principals' ordering; billing is chosen at the merge.
CREATE TABLE IF NOT EXISTS credits (tconst INTEGER NOT NULL, role TEXT NOT NULL, position INTEGER NOT NULL,
                                    nconst INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS names (nconst INTEGER PRIMARY KEY, name TEXT NOT NULL, norm TEXT NOT NULL);
"""

# Column order is the order of the tuples the importer hands over. OR REPLACE: a dump that repeats
# an id keeps its last line rather than failing the batch.
_INSERT = {
    "titles": "INSERT OR REPLACE INTO titles VALUES (?,?,?,?,?,?,?,?)",
    "ratings": "INSERT OR REPLACE INTO ratings VALUES (?,?,?)",
    "akas": "INSERT INTO akas VALUES (?,?,?,?)",
    "credits": "INSERT INTO credits VALUES (?,?,?,?)",
    "names": "INSERT OR REPLACE INTO names VALUES (?,?,?)",
}


@dataclass
class FileState:
    """How far the staging file has got through one IMDb file."""

    name: str
    lines: int = 0  # lines consumed, header included: a resumed run skips this many
    done: bool = False
    kept: int = 0  # rows staged
    filtered: int = 0  # well-formed lines not wanted (other title types, people in no kept film)
    skipped: int = 0  # malformed lines
    problems: list[str] = field(default_factory=list)  # "line 17: 8 columns, expected 9", the first few
    seconds: float = 0.0  # spent staging this file, over every run

    def problem(self, line: int, reason: str) -> None:
        self.skipped += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"line {line}: {reason}")


class Staging:
    """The staging file. Used from one worker thread: sqlite3 connections stay on their thread."""

    def __init__(self, path: Path, fingerprint: str) -> None:
        self.path = path
        self._conn = _staging_for(path, fingerprint)

    def state(self, name: str) -> FileState:
        row = self._conn.execute(
            "SELECT lines, done, kept, filtered, skipped, problems, seconds FROM files WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            return FileState(name)
        lines, done, kept, filtered, skipped, problems, seconds = row
        return FileState(name, lines, bool(done), kept, filtered, skipped, json.loads(problems), seconds)

    def write(self, table: str, rows: list[tuple], state: FileState) -> None:
        """Stage one batch and how far through its file it reaches, in one transaction."""
        self._conn.execute("BEGIN")
        try:
            self._conn.executemany(_INSERT[table], rows)
            self._conn.execute(
                "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?)",
                (state.name, state.lines, int(state.done), state.kept, state.filtered, state.skipped,
                 json.dumps(state.problems, ensure_ascii=False), state.seconds),
            )
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def staged_titles(self) -> Iterator[int]:
        """The tconst of every staged film, for the importer's set of films to keep."""
        yield from (row[0] for row in self._conn.execute("SELECT tconst FROM titles"))

    def credited_people(self) -> Iterator[int]:
        yield from (row[0] for row in self._conn.execute("SELECT DISTINCT nconst FROM credits"))

    def close(self) -> None:
        self._conn.close()


def _staging_for(path: Path, fingerprint: str) -> sqlite3.Connection:
    """The staging file at `path` if it was made for `fingerprint`, else a new empty one."""
    try:
        conn = _open_staging(path)
        (found,) = conn.execute("SELECT coalesce(max(value), '') FROM meta WHERE key = 'fingerprint'").fetchone()
        if found == fingerprint:
            return conn
        conn.close()
    except sqlite3.DatabaseError:  # damaged by a crash of the machine (no fsync): start again
        pass
    # Other files or other options than the interrupted run: its rows cannot be reused.
    _remove(path)
    conn = _open_staging(path)
    conn.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
    return conn


def _open_staging(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    # Appends journal almost nothing in rollback mode, where WAL would write every page twice; and a
    # staging file lost to a power cut costs a re-run, not data, so no fsync per batch either.
    conn.execute("PRAGMA journal_mode = TRUNCATE")
    conn.execute("PRAGMA synchronous = OFF")
    conn.executescript(_STAGING_SCHEMA)
    return conn


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


class ImdbRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def staging_path(self) -> Path:
        return self._store.path.with_name(self._store.path.name + STAGING_SUFFIX)

    def open_staging(self, fingerprint: str) -> Staging:
        """The staging file, kept if it was made from the same files and options (call on a worker thread)."""
        return Staging(self.staging_path, fingerprint)

    def discard_staging(self) -> None:
        """Delete the staging file once its rows are in the catalogue."""
        _remove(self.staging_path)

    def imdb_ids(self) -> Iterator[int]:
        """The IMDb id of every film in the catalogue (call on a worker thread; streams, holds no list)."""
        conn = sqlite3.connect(f"file:{self._store.path}?mode=ro", uri=True)
        try:
            yield from (row[0] for row in conn.execute("SELECT imdb_id FROM films WHERE imdb_id IS NOT NULL"))
        finally:
            conn.close()

    async def merge(self, have: Have, on_phase: Callable[[str], None], max_cast: int = 6) -> MergeCounts:
        """Merge the staging file into the catalogue in one transaction on a worker thread.

        Cancelling (Ctrl-C) interrupts the running statement or stops at the next step; the
        transaction rolls back and the staging file stays for the next run.
        """
        stop = threading.Event()

        def phase(name: str) -> None:
            if stop.is_set():
                raise sqlite3.OperationalError("interrupted")
            on_phase(name)

        conn = sqlite3.connect(self._store.path, isolation_level=None, check_same_thread=False)
        try:
            task = asyncio.ensure_future(asyncio.to_thread(merge_staging, conn, self.staging_path, have, phase,
                                                                   max_cast))
            try:
                return await asyncio.shield(task)
            except asyncio.CancelledError:
                stop.set()
                conn.interrupt()
                with contextlib.suppress(Exception):  # it rolled back; the cancellation is what matters
                    await task
                raise
        finally:
            conn.close()
