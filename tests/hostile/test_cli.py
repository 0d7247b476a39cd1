"""`kinoclub` against a database an operator got wrong: a sentence and exit 1, never a traceback or a hang.

Every command runs as a child process, as an admin runs it, against real files: the hang these tests
guard against (aiosqlite's worker thread kept alive) only shows in a real process.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GhK3mZ.abcdefghijklmnopqrstuvwxyz0123456789AB"
# Python starts, imports discord.py and fails in well under this; a hang never ends.
WITHIN = 5.0
# Root ignores file modes; without these capabilities it obeys them as any other user does.
AS_AN_ORDINARY_USER = (
    ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.name == "posix" and os.geteuid() == 0 else []
)


def kinoclub(*argv: str, cwd: Path, prefix: list[str] | None = None) -> tuple[subprocess.CompletedProcess, float]:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("KINOCLUB_")}
    environ["PYTHONPATH"] = str(ROOT)
    environ["KINOCLUB_TOKEN"] = TOKEN  # so that `run` gets as far as the database, and no further
    started = time.monotonic()
    done = subprocess.run(
        [*(prefix or []), sys.executable, "-m", "bot", *argv, "--config", str(cwd / "config.yaml")],
        cwd=cwd, env=environ, capture_output=True, text=True, timeout=WITHIN, stdin=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    return done, time.monotonic() - started


def assert_one_sentence(done: subprocess.CompletedProcess, *needles: str) -> str:
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output, output
    assert TOKEN not in output
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kinoclub: "), output
    for needle in needles:
        assert needle in lines[0], output
    return lines[0]


def settings(folder: Path, database: Path) -> None:
    (folder / "config.yaml").write_text(
        f"database:\n  path: {database}\ncatalogue:\n  load_on_start: true\n", encoding="utf-8"
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A club database holding the bundled films and lists, built once by the CLI itself."""
    folder = tmp_path_factory.mktemp("template")
    settings(folder, folder / "club.db")
    assert main(["import", "lists", "--config", str(folder / "config.yaml")]) == 0
    return folder / "club.db"


@pytest.fixture
def club_db(tmp_path: Path, template: Path) -> Path:
    database = tmp_path / "club.db"
    shutil.copyfile(template, database)
    settings(tmp_path, database)
    return database


# ------------------------------------------------------------------- backups

WRITER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode = WAL")
db.execute("CREATE TABLE IF NOT EXISTS h4_acks (id INTEGER PRIMARY KEY, note TEXT)")
n = 0
while True:
    n += 1
    db.execute("INSERT INTO h4_acks (id, note) VALUES (?, ?)", (n, "acknowledged"))
    print(n, flush=True)  # printed only once committed: an acknowledged write
    if n % 50 == 0 and sys.stdin.readline() == "":
        break
db.close()
"""


def test_backup_onto_the_live_database_files_is_refused_and_loses_nothing(club_db, tmp_path):
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(club_db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
    )  # fmt: skip
    acknowledged = 0
    try:
        while acknowledged < 200:
            acknowledged = int(writer.stdout.readline())
            if acknowledged % 50 == 0:
                writer.stdin.write("more\n")
        assert Path(f"{club_db}-wal").exists()
        (tmp_path / "link-to-wal").symlink_to(f"{club_db}-wal")
        targets = [
            f"{club_db}-wal", "club.db-wal", "./club.db-shm", f"{club_db}-journal", str(club_db),
            str(tmp_path / "sub" / ".." / "club.db-wal"), str(tmp_path / "link-to-wal"),
        ]  # fmt: skip
        for target in targets:
            done, _ = kinoclub("db", "backup", target, "--force", cwd=tmp_path)
            assert_one_sentence(done, "one of the database's own files")
            writer.stdin.write("more\n")
        # The writer kept writing through all of it; a backup under a fresh name still works meanwhile.
        done, _ = kinoclub("db", "backup", str(tmp_path / "copy.db"), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    finally:
        writer.stdin.close()
        rest = writer.stdout.read().split()
        writer.wait(WITHIN)
    acknowledged = int(rest[-1]) if rest else acknowledged
    with contextlib.closing(sqlite3.connect(club_db)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("SELECT count(*), max(id) FROM h4_acks").fetchone() == (acknowledged, acknowledged)
        assert db.execute("SELECT count(*) FROM films").fetchone()[0] == 16
    assert not Path(f"{club_db}-journal").exists()


def test_backup_onto_another_database_needs_force(club_db, tmp_path):
    other = tmp_path / "other.db"
    with contextlib.closing(sqlite3.connect(other)) as db:
        db.execute("CREATE TABLE precious (note TEXT)")
        db.execute("INSERT INTO precious VALUES ('keep me')")
        db.commit()
    before = other.read_bytes()
    done, _ = kinoclub("db", "backup", str(other), cwd=tmp_path)
    assert_one_sentence(done, "already a SQLite database", "--force")
    assert other.read_bytes() == before
    assert not Path(f"{other}.partial").exists()

    done, _ = kinoclub("db", "backup", str(other), "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with contextlib.closing(sqlite3.connect(other)) as db:
        assert db.execute("SELECT count(*) FROM films").fetchone()[0] == 16


def test_backup_onto_a_write_ahead_log_of_another_database_is_refused_even_with_force(club_db, tmp_path):
    log = tmp_path / "elsewhere.log"
    log.write_bytes(b"\x37\x7f\x06\x82" + bytes(60))
    done, _ = kinoclub("db", "backup", str(log), "--force", cwd=tmp_path)
    assert_one_sentence(done, "write-ahead log")
    done, _ = kinoclub("db", "backup", str(tmp_path / "elsewhere.db-wal"), "--force", cwd=tmp_path)
    assert_one_sentence(done, "working file")
    assert not (tmp_path / "elsewhere.db-wal").exists()


# ------------------------------------------------------------ damaged files


def _random(good: bytes) -> bytes:
    return os.urandom(len(good))


def _text(good: bytes) -> bytes:
    return b"club notes, not a database\n" * 100


def _truncated(good: bytes) -> bytes:
    return good[: len(good) // 4096 // 2 * 4096]


COMMANDS = [("db", "check"), ("db", "migrate"), ("search", "cranes"), ("run",), ("db", "backup", "copy.db")]


@pytest.mark.parametrize("damage", [_random, _text, _truncated], ids=["random-bytes", "text", "truncated"])
@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(argv[:2]) for argv in COMMANDS])
def test_a_damaged_database_gets_a_sentence_and_exit_1_at_once(club_db, tmp_path, damage, argv):
    club_db.write_bytes(damage(club_db.read_bytes()))
    before = club_db.read_bytes()
    done, took = kinoclub(*argv, cwd=tmp_path)
    line = assert_one_sentence(done, str(club_db))
    assert "damaged" in line or "not a SQLite database" in line, line
    assert took < WITHIN
    assert club_db.read_bytes() == before
    assert not (tmp_path / "copy.db").exists()


def _damage_films(database: Path) -> None:
    """Zero the films table's first page, leaving the schema readable: the damage `db check` must find."""
    with contextlib.closing(sqlite3.connect(database)) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'films'").fetchone()[0]
    with database.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(bytes(page_size))


@pytest.mark.parametrize("argv", [("db", "check"), ("search", "cranes")], ids=["db check", "search"])
def test_damage_in_the_middle_is_reported_in_a_sentence(club_db, tmp_path, argv):
    _damage_films(club_db)
    done, _ = kinoclub(*argv, cwd=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output, output
    first = done.stderr.strip().splitlines()[0]
    assert first.startswith("kinoclub: ") and ("damaged" in first or "problems" in first or "failed" in first)


# ---------------------------------------------------------------- read-only


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("argv", [("db", "migrate"), ("search", "cranes"), ("run",)], ids=["migrate", "search", "run"])
@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_is_named_at_start(club_db, tmp_path, argv, what):
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "club.db"
    shutil.move(club_db, database)
    settings(tmp_path, database)
    locked = database if what == "file" else folder
    locked.chmod(0o444 if what == "file" else 0o555)
    try:
        done, took = kinoclub(*argv, cwd=tmp_path, prefix=AS_AN_ORDINARY_USER)
    finally:
        locked.chmod(0o755 if what == "folder" else 0o644)
    assert_one_sentence(done, "read-only")
    assert took < WITHIN
    assert not Path(f"{database}-wal").exists()
