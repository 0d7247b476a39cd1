"""`python -m benchmarks`: the whole suite, measured in one run, printed as one table.

    python -m benchmarks                   # 10k, 100k and 1M films; about 15 minutes on 2 cores
    python -m benchmarks --quick           # 2,000 films, 100 members, 200 voters: what CI runs (< 1 minute)
    python -m benchmarks --sizes 10000 --members 300 --voters 500

For each size, in ascending order: a seeded IMDb-shaped dataset is generated (nothing is
downloaded), imported by `import_imdb` in a child process (beside the sqlite3 shell's `.import` of
the same basics file), and searched by query class (benchmarks/search.py). On the largest
database the bot itself then runs in the simulated Discord in a fresh process
(benchmarks/simulated.py): start-up, /film show, a rating and a vote burst, and its peak RSS.
Last, in another fresh process, two servers' ballots close at the same instant, one with 1,000
voters (200 with --quick), some of whom left the server (benchmarks/weekly_close.py).

Each row shows its target and "ok" or "MISSED"; the table is Markdown, ready for the README.
The exit status is 0 whenever the suite ran to the end, met or not.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import simulated, weekly_close
from benchmarks.imdb_data import write_dataset
from benchmarks.imdb_import import ImportFigures, measure_import
from benchmarks.search import TARGETS, SearchRow, measure_search

FULL = (10_000, 100_000, 1_000_000)
QUICK = (2_000,)
Row = tuple[str, str, str, str]  # measure, value, target, "ok" / "MISSED" / ""

IMPORT_RATE = 80_000  # basics lines/s
SHELL_SHARE = 0.60
INDEX_SECONDS = 20.0  # at 1M films


def _status(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def import_rows(figures: ImportFigures) -> list[Row]:
    where = f"import {figures.films:,} films"
    rows: list[Row] = [
        (f"{where}: title.basics load ({figures.basics_lines:,} lines)", f"{figures.basics_rate:,.0f} lines/s",
         f"≥ {IMPORT_RATE:,}", _status(figures.basics_rate >= IMPORT_RATE)),
    ]
    if figures.shell_rate:
        rows.append((f"{where}: sqlite3 shell `.import` of the same file", f"{figures.shell_rate:,.0f} lines/s "
                     f"(ours {figures.ratio:.0%})", f"≥ {SHELL_SHARE:.0%} of the shell",
                     _status(figures.ratio >= SHELL_SHARE)))
    else:
        rows.append((f"{where}: sqlite3 shell `.import`", "no sqlite3 on this machine", "", ""))
    big = figures.films >= 1_000_000
    rows += [
        (f"{where}: all six files read", f"{figures.all_rate:,.0f} lines/s", "", ""),
        (f"{where}: merge into the catalogue", f"{figures.catalogue_seconds:.1f} s", "", ""),
        (f"{where}: index build", f"{figures.index_seconds:.1f} s", f"≤ {INDEX_SECONDS:g} s at 1M" if big else "",
         _status(figures.index_seconds <= INDEX_SECONDS) if big else ""),
        (f"{where}: total, peak RSS of the importer", f"{figures.total_seconds:.1f} s, "
         f"{figures.peak_rss_mb:.0f} MB", "", ""),
    ]
    return rows


def search_rows(rows: list[SearchRow], vocabulary_ms: float) -> list[Row]:
    out: list[Row] = []
    for row in rows:
        target = TARGETS[row.kind]
        where = f"autocomplete {row.films:,} films, {row.kind} ({row.queries})"
        ok = row.p95_ms <= target.p95_ms
        out.append((f"{where}: p50 / p95 / max", f"{row.p50_ms:.1f} / {row.p95_ms:.1f} / {row.max_ms:.1f} ms",
                    f"p95 ≤ {target.p95_ms:g} ms", _status(ok)))
        crowded = (f" ({row.found_distinct:.1%} of the {1 - row.crowded:.1%} whose title ≤ 25 films share)"
                   if row.found_distinct is not None else "")
        out.append((f"{where}: intended film in the top 25", f"{row.found:.1%}{crowded}",
                    f"≥ {target.found:.0%}" if target.found else "", _status(row.found >= target.found)
                    if target.found else ""))
    films = rows[0].films if rows else 0
    out.append((f"autocomplete {films:,} films: word list for typos, first load", f"{vocabulary_ms:.0f} ms", "", ""))
    return out


def format_table(rows: list[Row]) -> str:
    widths = [max(len(row[i]) for row in [("measure", "value", "target", ""), *rows]) for i in range(4)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join([line(("measure", "value", "target", "")), line(tuple("-" * w for w in widths)),
                      *(line(row) for row in rows)])


def _say(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


def run(sizes: list[int], members: int, lookups: int, voters: int, workdir: Path | None) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(dir=workdir, prefix="kinoclub-bench-") as folder:
        database = None
        for size in sorted(sizes):
            here = Path(folder) / str(size)
            started = time.perf_counter()
            data = write_dataset(here / "imdb", films=size)
            _say(f"{size:,} films generated in {time.perf_counter() - started:.1f} s; importing")
            if database is not None:
                database.unlink()  # only the largest is kept, for the simulated run
            database = here / "kinoclub.db"
            figures = measure_import(data.folder, database)
            rows += import_rows(figures)
            _say(f"{size:,} films imported in {figures.total_seconds:.1f} s; searching")
            # The import leaves a gigabyte of dirty pages at 1M films, and their write-back would
            # compete with the searches; a running bot searches long after its import.
            os.sync()
            found, vocabulary_ms = asyncio.run(measure_search(database, list(data.samples)))
            rows += search_rows(found, vocabulary_ms)
            for path in data.folder.iterdir():
                path.unlink()
        _say(f"the bot in the simulated Discord: {members:,} members, {lookups} lookups")
        rows += simulated.table_rows(simulated.run_in_subprocess(database, members, lookups))
    _say(f"weekly close in the simulated Discord: {voters:,} voters beside a small server")
    rows += weekly_close.table_rows(weekly_close.run_in_subprocess(voters))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 films, 100 members, 50 lookups, 200 voters (CI)")
    parser.add_argument("--sizes", help=f"films per dataset, comma-separated (default {','.join(map(str, FULL))})")
    parser.add_argument("--members", type=int, help="members in each burst (default 1000)")
    parser.add_argument("--lookups", type=int, help="/film show calls (default 200)")
    parser.add_argument("--voters", type=int, help="voters on the large ballot of the weekly close (default 1000)")
    parser.add_argument("--workdir", type=Path, help="where datasets and databases go (default: the system's temp)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")] if args.sizes else list(QUICK if args.quick else FULL)
    members = args.members or (100 if args.quick else 1000)
    lookups = args.lookups or (50 if args.quick else 200)
    voters = args.voters or (200 if args.quick else 1000)
    started = time.perf_counter()
    rows = run(sizes, members, lookups, voters, args.workdir)
    print(format_table(rows))
    print(f"\n{len(sizes)} dataset(s), {os.cpu_count()} cores, {time.perf_counter() - started:.0f} s; "
          f"{sum(row[3] == 'MISSED' for row in rows)} target(s) missed")


if __name__ == "__main__":
    main()
