"""`kinoclub import imdb DIR`: IMDb's non-commercial datasets into the catalogue, at any size.

1. Every file present has its header checked before anything is written.
2. Each file is streamed (gzip, in chunks of whole lines, converted here or on worker processes:
   see pipeline) into a staging file beside the database, one transaction per chunk that also
   records how far the file has been read. A run that is interrupted resumes at the next chunk
   when started again with the same files and options. Adult titles are left out.
3. One transaction merges the staged rows into the catalogue and rebuilds the search indexes
   (bot.store.imdb), so the bot sees the catalogue before or after, never half-imported.

Memory stays flat whatever the file sizes: a batch of lines, plus two bitmaps of ids (the titles
kept and the people they credit; see rows.IdSet), which grow with the catalogue, not the files.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.catalogue.imdb import rows
from bot.catalogue.imdb.files import (
    AKAS,
    BASICS,
    CREW,
    NAMES,
    PRINCIPALS,
    RATINGS,
    ImdbFileError,
    Spec,
    present,
)
from bot.catalogue.imdb.pipeline import Job, converted
from bot.catalogue.imdb.progress import Progress, Quiet, for_stream
from bot.catalogue.normalise import VERSION as NORMALISER_VERSION
from bot.store import Store
from bot.store.imdb import FileState, ImdbRepository
from bot.store.imdb_merge import MergeCounts

__all__ = ["DEFAULT_TYPES", "ImdbFileError", "ImportReport", "for_stream", "import_imdb"]

DEFAULT_TYPES = ("movie", "tvMovie")
BATCH_BYTES = 4 << 20  # of decompressed lines per chunk and staging transaction: ~45k basics lines
MAX_CAST = 6  # billed actors kept per film: IMDb's principals list about four


@dataclass(frozen=True)
class ImportReport:
    folder: Path
    types: tuple[str, ...]
    files: tuple[FileState, ...]
    merge: MergeCounts
    resumed: bool  # some lines came from an interrupted earlier run
    seconds: float  # this run, all steps

    @property
    def read_seconds(self) -> float:
        return sum(state.seconds for state in self.files)

    def summary(self) -> list[str]:
        out = [f"imported IMDb datasets from {self.folder} (title types: {', '.join(self.types)})"]
        if self.resumed:
            out.append("  resumed an interrupted import: lines staged before were kept")
        out.append(f"  {'file':<24} {'lines':>11} {'kept':>11} {'not wanted':>11} {'malformed':>10} {'lines/s':>9}")
        for state in self.files:
            rate = state.lines / state.seconds if state.seconds else 0
            out.append(f"  {state.name:<24} {state.lines:>11,} {state.kept:>11,} {state.filtered:>11,} "
                       f"{state.skipped:>10,} {rate:>9,.0f}")
            if state.problems:
                unlisted = state.skipped - len(state.problems)
                more = f" (and {unlisted:,} more)" if unlisted else ""
                out.append(f"      skipped {'; '.join(state.problems)}{more}")
        m = self.merge
        out.append(f"  films: {m.films_added:,} added, {m.films_updated:,} updated, {m.films_merged:,} matched films "
                   f"already in the catalogue; IMDb rating changed for {m.ratings_changed:,}")
        out.append(f"  searchable names written: {m.names:,}; credits: {m.credits:,}; genre tags: {m.genres:,}")
        lines = sum(state.lines for state in self.files)
        rate = lines / self.read_seconds if self.read_seconds else 0
        runs = " (all runs)" if self.resumed else ""
        out.append(f"  time: {self.seconds:,.1f} s — reading{runs} {self.read_seconds:,.1f} s ({rate:,.0f} lines/s), "
                   f"catalogue {m.load_seconds:,.1f} s, search indexes {m.index_seconds:,.1f} s, "
                   f"commit {m.commit_seconds:,.1f} s")
        return out


async def import_imdb(store: Store, folder: Path, *, types: Iterable[str] = DEFAULT_TYPES,
                      progress: Progress | None = None) -> ImportReport:
    """Import the IMDb files in `folder`; raises ImdbFileError (nothing written) when one is unusable."""
    started = time.perf_counter()
    types = tuple(dict.fromkeys(types))
    progress = progress or Quiet()
    specs = present(folder)
    fingerprint = _fingerprint(folder, specs, types)
    stop = threading.Event()
    try:
        files, resumed = await asyncio.to_thread(_stage, store.imdb, folder, specs, types, fingerprint,
                                                 progress, stop)
        merge = await store.imdb.merge(_have(specs), progress.phase, max_cast=MAX_CAST)
    except asyncio.CancelledError:
        stop.set()  # the staging thread stops after its current batch; what it staged is kept
        raise
    finally:
        progress.close()
    await asyncio.to_thread(store.imdb.discard_staging)
    return ImportReport(folder, types, tuple(files), merge, resumed, time.perf_counter() - started)


class _Stopped(Exception):
    pass


def _stage(repo: ImdbRepository, folder: Path, specs: list[Spec], types: tuple[str, ...], fingerprint: str,
           progress: Progress, stop: threading.Event) -> tuple[list[FileState], bool]:
    """Stream every file into the staging file; runs on a worker thread."""
    staging = repo.open_staging(fingerprint)
    try:
        kept, people = rows.IdSet(), rows.IdSet()
        # Films already in the catalogue take IMDb's ratings, akas and credits whatever their type.
        kept.update(repo.imdb_ids())
        kept.update(staging.staged_titles())
        people.update(staging.credited_people())
        states, resumed = [], False
        for spec in specs:
            state = staging.state(spec.name)
            states.append(state)
            resumed = resumed or state.lines > 0
            if state.done:
                continue
            table = _TABLES[spec]
            job = Job(spec, types, kept.to_bytes(), people.to_bytes(), CREW in specs)
            progress.start(spec.name, (folder / spec.name).stat().st_size, state.lines)
            began, before = time.perf_counter(), state.seconds
            for batch, position in converted(folder, job, state, BATCH_BYTES):
                # What later files are filtered by: the films kept, the people they credit.
                if table == "titles":
                    kept.update(row[0] for row in batch)
                elif table == "credits":
                    people.update(row[3] for row in batch)
                state.seconds = before + time.perf_counter() - began
                staging.write(table, batch, state)
                progress.advance(spec.name, position, state.lines)
                if stop.is_set():
                    raise _Stopped
            staging.write(table, [], state)  # now marked done: a resumed run skips the file
            progress.finish(spec.name, state)
        return states, resumed
    finally:
        staging.close()


_TABLES = {BASICS: "titles", RATINGS: "ratings", AKAS: "akas", CREW: "credits", PRINCIPALS: "credits", NAMES: "names"}


def _have(specs: list[Spec]) -> frozenset[str]:
    """What the merge may replace, by what was read (see bot.store.imdb.Have)."""
    have = {"titles": BASICS, "ratings": RATINGS, "akas": AKAS, "names": NAMES, "cast": PRINCIPALS}
    found = {key for key, spec in have.items() if spec in specs}
    if CREW in specs or PRINCIPALS in specs:
        found.add("director")
    return frozenset(found)


def _fingerprint(folder: Path, specs: list[Spec], types: tuple[str, ...]) -> str:
    """What a staging file was made from; a resumed run must match it exactly."""
    files = {spec.name: [(folder / spec.name).stat().st_size, (folder / spec.name).stat().st_mtime_ns]
             for spec in specs}
    # Format 2: credits are staged with IMDb's ordering, not a position counted in file order. Keys
    # staged by another normaliser version would not meet today's queries: start afresh then.
    return json.dumps({"format": 2, "normaliser": NORMALISER_VERSION, "folder": str(folder.resolve()),
                       "types": sorted(types), "files": files}, sort_keys=True)
