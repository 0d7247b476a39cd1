"""Online backups with SQLite's backup API: a consistent copy while the bot keeps writing."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path

from bot.store import unusable_reason

# What SQLite writes at the start of a database file and of a write-ahead log (either byte order).
SQLITE_HEADER = b"SQLite format 3\x00"
WAL_HEADERS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
# The files SQLite keeps beside a database while it is open: replacing one under a running bot
# silently throws away writes it has already confirmed.
COMPANIONS = ("-wal", "-shm", "-journal")


class BackupError(Exception):
    pass


def target_in(source: Path, target: Path) -> Path:
    """`target`, or inside it a file named for the database and the time when `target` is a folder."""
    if not target.is_dir():
        return target
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = f"{source.stem}-{stamp}.db"
    for n in range(2, 100):
        # Two backups in one second: the second gets a number rather than refusing to run.
        if not (target / name).exists():
            break
        name = f"{source.stem}-{stamp}-{n}.db"
    return target / name


def backup(source: Path, target: Path, *, force: bool = False) -> dict[str, int]:
    """Copy the database at `source` to `target` and verify the copy; returns rows per table.

    The copy is made in one step, inside one read transaction, so it is a single consistent
    snapshot of everything committed when it began, whatever the bot writes meanwhile. It is
    written beside `target` first and renamed into place only once SQLite has checked it.
    `force` allows replacing another SQLite database; the source's own files are never replaced.
    """
    if not source.exists():
        raise BackupError(f"{source}: no database there")
    if source.is_dir():
        raise BackupError(f"{source} is a folder; database.path must name the database file")
    check_target(source, target, force=force)
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(target.parent, os.W_OK | os.X_OK):
            # SQLite would only say "unable to open database file", naming neither file nor folder.
            raise BackupError(f"cannot write {target}: the folder {target.parent} is read-only for this user")
        partial.unlink(missing_ok=True)
        counts = _copy(source, partial)
        os.replace(partial, target)
    except KeyboardInterrupt:
        _discard(partial)
        raise
    except OSError as exc:
        _discard(partial)
        raise BackupError(f"cannot write {exc.filename or target} ({exc.strerror or exc})") from None
    except sqlite3.Error as exc:
        _discard(partial)
        raise BackupError(f"{unusable_reason(source, exc)}; {target} was left as it was") from None
    except BackupError:
        _discard(partial)
        raise
    return counts


def _discard(partial: Path) -> None:
    # Cleaning up must not hide the error that made it necessary.
    with contextlib.suppress(OSError):
        partial.unlink(missing_ok=True)


def check_target(source: Path, target: Path, *, force: bool = False) -> None:
    """Refuse a target whose replacement would lose data: the database's own files, or another database."""
    real_source = source.resolve()
    own = {real_source, *(real_source.with_name(real_source.name + suffix) for suffix in COMPANIONS)}
    real_target = target.resolve()
    if real_target in own or (target.exists() and target.samefile(source)):
        raise BackupError(
            f"{target} is one of the database's own files; replacing it would lose the club's data. "
            "Write the backup to another file, such as club-backup.db"
        )
    if real_target.name.endswith(COMPANIONS):
        # Another database's working file: replacing it corrupts that database, so not even --force may.
        raise BackupError(f"{target} is named as a SQLite database's working file; give the backup another name")
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the backup a file name inside it")
    if not target.exists():
        return
    try:
        with target.open("rb") as existing:
            header = existing.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise BackupError(f"cannot read {target} ({exc.strerror})") from None
    if header[:4] in WAL_HEADERS:
        raise BackupError(f"{target} is a SQLite database's write-ahead log; give the backup another name")
    if force:
        return
    if header == SQLITE_HEADER:
        raise BackupError(f"{target} is already a SQLite database; add --force to replace it with the backup")
    raise BackupError(f"{target} already exists; add --force to replace it with the backup")


def _copy(source: Path, partial: Path) -> dict[str, int]:
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
            problems = [row[0] for row in dst.execute("PRAGMA integrity_check") if row[0] != "ok"]
            if problems:
                raise BackupError(f"the copy failed its integrity check: {'; '.join(problems[:5])}")
            tables = [
                row[0]
                for row in dst.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                    "AND name NOT LIKE 'film_titles_%' ORDER BY name"
                )
            ]
            return {table: dst.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
        finally:
            dst.close()
    finally:
        src.close()
