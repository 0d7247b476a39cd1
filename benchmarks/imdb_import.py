"""IMDb import speed: a generated dataset loaded by `import_imdb`, beside the sqlite3 shell's `.import`.

The import runs in a child process so its peak RSS is its own (not the generator's). Figures:
- basics lines/s: title.basics read, filtered, normalised and staged (the load phase proper), next to
  the sqlite3 shell's `.import` of the same file decompressed (ascii mode: tab fields, no quoting, as
  IMDb writes them) and the ratio of the two;
- all lines/s: every line of the six files staged;
- catalogue s: the merge into films, names, credits, tags; index s: film_titles renumbered in
  popularity order, its B-tree indexes and both FTS5 indexes built and optimised;
- total s and the import process's peak RSS.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.memory import peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ImportFigures:
    films: int
    basics_lines: int
    basics_rate: float  # lines/s
    shell_rate: float | None  # the sqlite3 shell's .import, lines/s (None: no sqlite3 on this machine)
    all_rate: float
    catalogue_seconds: float
    index_seconds: float
    total_seconds: float
    peak_rss_mb: float

    @property
    def ratio(self) -> float | None:
        return self.basics_rate / self.shell_rate if self.shell_rate else None


def measure_import(folder: Path, database: Path) -> ImportFigures:
    """Import the dataset in `folder` into a fresh `database`, then time the shell on its basics file."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.imdb_import", str(folder), str(database)],
                          check=True, capture_output=True, text=True, cwd=ROOT)
    child = json.loads(done.stdout.strip().splitlines()[-1])
    return ImportFigures(
        films=child["films"], basics_lines=child["basics_lines"],
        basics_rate=child["basics_lines"] / child["basics_seconds"],
        shell_rate=_shell_import(folder / "title.basics.tsv.gz", database.parent),
        all_rate=child["lines"] / child["read_seconds"], catalogue_seconds=child["load_seconds"],
        index_seconds=child["index_seconds"], total_seconds=child["seconds"], peak_rss_mb=child["peak_rss_mb"],
    )


def _shell_import(basics: Path, folder: Path) -> float | None:
    """The sqlite3 shell's `.import` of the decompressed basics file, lines/s (None without the shell)."""
    shell = shutil.which("sqlite3")
    if shell is None:
        return None
    plain, target = folder / "title.basics.tsv", folder / "shell.db"
    with gzip.open(basics) as source, open(plain, "wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)
    with open(plain, "rb") as stream:
        lines = sum(1 for _ in stream)
    started = time.perf_counter()
    subprocess.run([shell, str(target), ".mode ascii", '.separator "\\t" "\\n"', f".import {plain} basics"],
                   check=True, capture_output=True)
    rate = lines / (time.perf_counter() - started)
    plain.unlink()
    target.unlink()
    return rate


def _child(folder: Path, database: Path) -> None:
    """Import into a fresh database and print the figures as one JSON line."""
    from bot.catalogue.imdb import import_imdb
    from bot.store import Store

    async def run() -> dict:
        async with Store.open(database) as store:
            await store.migrate()
            report = await import_imdb(store, folder)
        basics = next(state for state in report.files if state.name == "title.basics.tsv.gz")
        return {
            "basics_lines": basics.lines, "basics_seconds": basics.seconds,
            "lines": sum(state.lines for state in report.files), "read_seconds": report.read_seconds,
            "load_seconds": report.merge.load_seconds, "index_seconds": report.merge.index_seconds,
            "seconds": report.seconds, "films": report.merge.films_added,
        }

    figures = asyncio.run(run())
    figures["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(figures))


if __name__ == "__main__":
    _child(Path(sys.argv[1]), Path(sys.argv[2]))
