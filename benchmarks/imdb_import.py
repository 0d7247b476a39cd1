"""IMDb import speed: generated datasets loaded by `import_imdb`, beside the sqlite3 shell's `.import`.

    python -m benchmarks.imdb_import --sizes 100000,1000000

Each import runs in a child process so its peak RSS is its own (not the generator's). Columns:
- basics lines/s: title.basics read, filtered, normalised and staged (the load phase proper),
  next to the sqlite3 shell's `.import` of the same file decompressed (ascii mode: tab fields, no
  quoting, as IMDb writes them) and the ratio of the two;
- all lines/s: every line of the six files staged;
- catalogue s: the merge into films, names, credits, tags; index s: film_titles renumbered in
  popularity order, its B-tree indexes and both FTS5 indexes built;
- total s and the import process's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from benchmarks.imdb_data import write_dataset

COLUMNS = ("films", "basics lines", "basics lines/s", "shell lines/s", "ratio", "all lines/s", "catalogue s",
           "index s", "total s", "peak RSS MB")
TARGETS = "targets: basics ≥ 80,000 lines/s and ≥ 60 % of the shell; index build ≤ 20 s at 1M films"


def measure_import(sizes: Iterable[int], seed: int = 1957, workdir: Path | None = None) -> list[tuple]:
    """One row per size (see COLUMNS); the datasets are generated into a temporary folder and removed."""
    out = []
    for size in sizes:
        with tempfile.TemporaryDirectory(dir=workdir, prefix="kinoclub-imdb-") as folder:
            folder = Path(folder)
            data = write_dataset(folder / "imdb", films=size, seed=seed)
            result = _import_in_child(data.folder, folder / "bench.db")
            shell = _shell_import(data.folder / "title.basics.tsv.gz", folder)
            basics = result["basics_lines"] / result["basics_seconds"]
            out.append((
                size, result["basics_lines"], basics, shell, basics / shell if shell else None,
                result["lines"] / result["read_seconds"], result["load_seconds"], result["index_seconds"],
                result["seconds"], result["peak_rss_mb"],
            ))
    return out


def format_table(rows: list[tuple]) -> list[str]:
    lines = ["  ".join(f"{name:>14}" for name in COLUMNS)]
    for row in rows:
        cells = [f"{row[0]:>14,}", f"{row[1]:>14,}", f"{row[2]:>14,.0f}",
                 f"{row[3]:>14,.0f}" if row[3] else f"{'(no sqlite3)':>14}",
                 f"{row[4]:>13.0%} " if row[4] else f"{'':>14}",
                 f"{row[5]:>14,.0f}", f"{row[6]:>14.1f}", f"{row[7]:>14.1f}", f"{row[8]:>14.1f}", f"{row[9]:>14.0f}"]
        lines.append("  ".join(cells))
    return [*lines, TARGETS]


def _import_in_child(folder: Path, database: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.imdb_import", "--one", str(folder), str(database)],
                          check=True, capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _shell_import(basics: Path, folder: Path) -> float | None:
    """The sqlite3 shell's `.import` of the decompressed basics file, lines/s (None without the shell)."""
    shell = shutil.which("sqlite3")
    if shell is None:
        return None
    plain = folder / "title.basics.tsv"
    with gzip.open(basics) as source, open(plain, "wb") as target:
        shutil.copyfileobj(source, target, 1 << 20)
    with open(plain, "rb") as stream:
        lines = sum(1 for _ in stream)
    started = time.perf_counter()
    subprocess.run([shell, str(folder / "shell.db"), ".mode ascii", '.separator "\\t" "\\n"',
                    f".import {plain} basics"], check=True, capture_output=True)
    return lines / (time.perf_counter() - started)


def _one(folder: Path, database: Path) -> None:
    """In the child: import into a fresh database and print the figures as one JSON line."""
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
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.imdb_import")
    parser.add_argument("--sizes", default="10000,100000", help="films per dataset, comma-separated")
    parser.add_argument("--one", nargs=2, metavar=("FOLDER", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        _one(Path(args.one[0]), Path(args.one[1]))
        return
    rows = measure_import(int(size) for size in args.sizes.split(","))
    print("\n".join(format_table(rows)))


if __name__ == "__main__":
    main()
