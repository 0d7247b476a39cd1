"""Online backups with SQLite's backup API: a consistent copy while the bot keeps writing."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


class BackupError(Exception):
    pass


def backup(source: Path, target: Path) -> dict[str, int]:
    """Copy the database at `source` to `target` and verify the copy; returns rows per table.

    The copy is made in one step, inside one read transaction, so it is a single consistent
    snapshot of everything committed when it began, whatever the bot writes meanwhile. It is
    written beside `target` first and renamed into place only once SQLite has checked it.
    """
    if not source.exists():
        raise BackupError(f"{source}: no database there")
    if target.exists() and target.samefile(source):
        raise BackupError("the backup must go to another file than the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
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
            counts = {table: dst.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(partial, target)
    return counts
