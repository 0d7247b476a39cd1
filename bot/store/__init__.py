"""All of kinoclub's SQL lives in this package.

One SQLite file in WAL mode, two connections: writes go through one connection under a lock, each
inside an explicit transaction, so a half-done change is never visible; reads use the other, which
in WAL mode only ever sees committed data.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.store.audit import AuditRepository
from bot.store.enrichment import EnrichmentRepository
from bot.store.films import FilmRepository
from bot.store.imdb import ImdbRepository
from bot.store.imports import ImportRepository
from bot.store.lists import ListRepository
from bot.store.ratings import RatingRepository
from bot.store.settings import SettingsRepository
from bot.store.weekly import WeeklyRepository

BUSY_TIMEOUT_MS = 5000

# What a failed read or write raises, for callers that must tell a member their change was not saved
# without knowing which database sits behind the store.
DatabaseError = sqlite3.Error
# Seconds between tries of a write that waits for another process's lock (Store.transaction).
LOCK_RETRY = 0.5


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) for every file in migrations/, in order."""
    found = []
    for entry in resources.files("bot.store").joinpath("migrations").iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [version for version, _, _ in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration files must be numbered 1..n without gaps, found {versions}")
    return found


class MigrationError(Exception):
    pass


class DatabaseUnusable(Exception):
    """The database file cannot be opened or written; the message says why and what to do."""


class Transaction:
    """The write connection while a transaction is open; repositories take it to write."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn

    async def execute(self, sql: str, params: tuple | dict = ()) -> int | None:
        """Run one statement; returns the new row's id for an INSERT."""
        async with self.conn.execute(sql, params) as cursor:
            return cursor.lastrowid

    async def changes(self, sql: str, params: tuple | dict = ()) -> int:
        """Run one UPDATE or DELETE; returns how many rows it changed."""
        async with self.conn.execute(sql, params) as cursor:
            return cursor.rowcount

    async def executemany(self, sql: str, rows: list) -> None:
        await self.conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        return await _fetchone(self.conn, sql, params)

    async def fetchall(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return await _fetchall(self.conn, sql, params)


class Store:
    def __init__(self, path: Path, write: aiosqlite.Connection, read: aiosqlite.Connection) -> None:
        self.path = path
        self._write = write
        self._read = read
        self._lock = asyncio.Lock()
        # Transactions this process committed: a cache of what the database holds may check this
        # for free on every use and the database itself only now and then (another process writes).
        self.commits = 0
        self.films = FilmRepository(self)
        self.lists = ListRepository(self)
        self.ratings = RatingRepository(self)
        self.settings = SettingsRepository(self)
        self.audit = AuditRepository(self)
        self.imports = ImportRepository(self)
        self.imdb = ImdbRepository(self)
        self.weekly = WeeklyRepository(self)
        self.enrichment = EnrichmentRepository(self)

    @classmethod
    @asynccontextmanager
    async def open(cls, path: Path | str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> AsyncIterator[Store]:
        """`busy_timeout_ms`: how long a write waits for another connection's lock before it fails."""
        path = Path(path)
        _check_writable(path)
        try:
            write = await _connect(path, busy_timeout_ms)
        except sqlite3.Error as exc:
            raise DatabaseUnusable(unusable_reason(path, exc)) from None
        try:
            await _run(write, "PRAGMA journal_mode = WAL")
            # Reading the schema is what tells a database from any file that happens to have the name.
            await _run(write, "SELECT count(*) FROM sqlite_master")
            read = await _connect(path, busy_timeout_ms)
        except BaseException as exc:
            await write.close()
            if isinstance(exc, sqlite3.Error):
                raise DatabaseUnusable(unusable_reason(path, exc)) from None
            raise
        try:
            yield cls(path, write, read)
        finally:
            await read.close()
            await write.close()

    # ------------------------------------------------------------------ schema

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0])

    async def migrate(self) -> list[str]:
        """Apply the migrations the file has not seen yet, each in its own transaction.

        Returns the names of the files applied (none when the file is up to date).
        """
        applied = []
        async with self._lock:
            async with self._write.execute("PRAGMA user_version") as cursor:
                current = (await cursor.fetchone())[0]
            known = migrations()
            if current > len(known):
                raise MigrationError(
                    f"{self.path} is at schema version {current}, newer than this kinoclub knows "
                    f"({len(known)}); upgrade kinoclub before opening it"
                )
            for version, name, sql in known[current:]:
                try:
                    await self._write.executescript(f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};")
                    await _run(self._write, "COMMIT")
                except sqlite3.Error as exc:
                    if self._write.in_transaction:
                        await _run(self._write, "ROLLBACK")
                    raise MigrationError(f"migration {name} failed and was rolled back: {exc}") from exc
                applied.append(name)
        return applied

    # ----------------------------------------------------------------- access

    @asynccontextmanager
    async def transaction(
        self, patience: float = 0.0, on_wait: Callable[[], Awaitable[None]] | None = None
    ) -> AsyncIterator[Transaction]:
        """One atomic write: everything inside commits together or not at all.

        Another process holding the write lock (an IMDb import merging) makes BEGIN wait up to the
        busy timeout and then fail. With `patience`, BEGIN is tried again for that many seconds
        more (safe: nothing was done yet), and `on_wait` is awaited once, the first time it waits,
        so whoever is waiting can be told."""
        async with self._lock:
            await self._begin(patience, on_wait)
            try:
                yield Transaction(self._write)
            except BaseException:
                await _run(self._write, "ROLLBACK")
                raise
            else:
                await _run(self._write, "COMMIT")
                self.commits += 1

    async def _begin(self, patience: float, on_wait: Callable[[], Awaitable[None]] | None) -> None:
        deadline = time.monotonic() + patience
        while True:
            try:
                await _run(self._write, "BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                    raise
            if on_wait is not None:
                waiting, on_wait = on_wait, None
                await waiting()
            await asyncio.sleep(LOCK_RETRY)

    async def fetchone(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        """One row of committed data."""
        return await _fetchone(self._read, sql, params)

    async def fetchall(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        """All rows of committed data."""
        return await _fetchall(self._read, sql, params)

    async def check(self) -> list[str]:
        """SQLite's own integrity and foreign-key checks; an empty list means the file is sound."""
        problems = [row[0] for row in await self.fetchall("PRAGMA integrity_check") if row[0] != "ok"]
        for row in await self.fetchall("PRAGMA foreign_key_check"):
            problems.append(f"{row[0]} row {row[1]} points at a missing {row[2]}")
        return problems

    async def counts(self) -> dict[str, int]:
        """Rows per table, for `kinoclub db check` and tests."""
        tables = [
            row[0]
            for row in await self.fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'film_titles_%' ORDER BY name"
            )
        ]
        counts = {}
        for table in tables:
            row = await self.fetchone(f'SELECT count(*) FROM "{table}"')
            counts[table] = int(row[0])
        return counts


async def _connect(path: Path, busy_timeout_ms: int) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        await _run(conn, f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        await _run(conn, "PRAGMA foreign_keys = ON")
        # NORMAL is durable across application crashes in WAL mode and twice as fast as FULL.
        await _run(conn, "PRAGMA synchronous = NORMAL")
    except BaseException:
        # aiosqlite's worker thread is not a daemon: left open, it keeps the process alive for ever.
        await conn.close()
        raise
    return conn


def _check_writable(path: Path) -> None:
    """Refuse, before SQLite half-opens it, a database kinoclub could read but never save to."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseUnusable(f"cannot create the folder {folder} for the database ({exc.strerror})") from None
    if path.is_dir():
        raise DatabaseUnusable(f"{path} is a folder; database.path must name a file")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseUnusable(
            f"{path} is read-only for this user; kinoclub must write to it (check its owner and mode)"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseUnusable(
            f"the folder {folder} is read-only for this user; SQLite keeps its write-ahead log beside the "
            "database, so kinoclub must be able to create files there"
        )


def unusable_reason(path: Path, exc: sqlite3.Error) -> str:
    """A sentence for an admin out of SQLite's error, which names neither the file nor the remedy."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_NOTADB:
        return f"{path} is not a SQLite database; point database.path at the club's database or restore a backup"
    if code == sqlite3.SQLITE_CORRUPT:
        return f"{path} is damaged (SQLite: {exc}); restore it from a backup"
    if code == sqlite3.SQLITE_READONLY:
        return f"{path} cannot be written ({exc}); check the file's and its folder's owner and mode"
    if code == sqlite3.SQLITE_BUSY:
        return f"{path} is locked by another program; is another kinoclub using it?"
    if code == sqlite3.SQLITE_CANTOPEN:
        return f"cannot open {path} ({exc}); check that its folder exists and may be written"
    return f"cannot use {path} ({exc})"


async def _run(conn: aiosqlite.Connection, sql: str) -> None:
    """Execute and close at once: an open cursor would hold a read lock on the file."""
    async with conn.execute(sql):
        pass


# One thread hop per read (aiosqlite's execute_fetchall) instead of three (execute, fetch, close):
# a hop costs about 0.1 ms, which at three reads a keystroke was half of autocomplete's budget.
async def _fetchone(conn: aiosqlite.Connection, sql: str, params: tuple | dict) -> sqlite3.Row | None:
    rows = await conn.execute_fetchall(sql, params)
    return rows[0] if rows else None


async def _fetchall(conn: aiosqlite.Connection, sql: str, params: tuple | dict) -> list[sqlite3.Row]:
    return list(await conn.execute_fetchall(sql, params))
