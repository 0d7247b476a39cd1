"""IMDb import speed: a generated dataset loaded by `import_imdb`, beside the sqlite3 shell's `.import`.

The import runs in a child process so its peak RSS is its own (not the generator's). Figures:
- basics lines/s: title.basics read, filtered, normalised and staged (the load phase proper), next to
  the sqlite3 shell's `.import` of the same file decompressed (ascii mode: tab fields, no quoting, as
  IMDb writes them) and the ratio of the two;
- all lines/s: every line of the six files staged;
- catalogue s: the merge into films, names, credits, tags; index s: film_titles renumbered in
  popularity order, its B-tree indexes and both FTS5 indexes built and optimised;
- total s and the import process's peak RSS;
- for the full-size run (benchmarks/__main__.py `--imdb-full`): each file's read time, the commit,
  the wall time as the parent saw it, the peak RSS of the importer with its worker processes, and,
  given the generator's samples, how their casts came out: billed as IMDb numbers them (numeric
  `ordering`, each person once) or not.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
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
    wall_seconds: float = 0.0  # the import process from start to exit, as the parent saw it
    files: tuple[tuple[str, int, float], ...] = ()  # (file, lines, seconds read)
    commit_seconds: float = 0.0
    billing: tuple[int, int, int] | None = None  # samples with a cast: (checked, billed right, with a repeat)
    error: str | None = None  # the import failed: its last words
    tree_rss_mb: float = 0.0  # the importer with its worker processes, summed, sampled every 0.25 s

    @property
    def ratio(self) -> float | None:
        return self.basics_rate / self.shell_rate if self.shell_rate else None


def measure_import(folder: Path, database: Path, samples: list | None = None, check: bool = True) -> ImportFigures:
    """Import the dataset in `folder` into a fresh `database`, then time the shell on its basics file.

    `samples` (benchmarks.imdb_data.Sample): their stored casts are compared with the billing they
    should have. `check=False`: a failed import is returned (`error`) instead of raised.
    """
    command = [sys.executable, "-m", "benchmarks.imdb_import", str(folder), str(database)]
    if samples:
        wanted = database.parent / "billing.json"
        wanted.write_text(json.dumps({s.key: list(s.cast) for s in samples if s.cast}))
        command.append(str(wanted))
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, text=True, cwd=ROOT)
        tree_peak = 0.0
        while child.poll() is None:  # the importer and its worker processes together, four times a second
            tree_peak = max(tree_peak, _tree_rss_mb(child.pid))
            time.sleep(0.25)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(command, child.returncode, out.read(), err.read())
    if done.returncode:
        if check:
            done.check_returncode()
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        return ImportFigures(0, 0, 0.0, _shell_import(folder / "title.basics.tsv.gz", database.parent), 0.0, 0.0,
                             0.0, wall, 0.0, wall_seconds=wall, error=f"exit {done.returncode}: {last[:200]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return ImportFigures(
        films=figures["films"], basics_lines=figures["basics_lines"],
        basics_rate=figures["basics_lines"] / figures["basics_seconds"],
        shell_rate=_shell_import(folder / "title.basics.tsv.gz", database.parent),
        all_rate=figures["lines"] / figures["read_seconds"], catalogue_seconds=figures["load_seconds"],
        index_seconds=figures["index_seconds"], total_seconds=figures["seconds"], peak_rss_mb=figures["peak_rss_mb"],
        wall_seconds=wall, files=tuple(tuple(f) for f in figures["files"]), commit_seconds=figures["commit_seconds"],
        billing=tuple(figures["billing"]) if figures.get("billing") else None, tree_rss_mb=tree_peak,
    )


def _tree_rss_mb(pid: int) -> float:
    """Resident MB of `pid` and all its descendants now (0 when it has just exited)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return round(total / 1024, 1)


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


def _child(folder: Path, database: Path, wanted: Path | None) -> None:
    """Import into a fresh database and print the figures as one JSON line."""
    from bot.catalogue.imdb import import_imdb
    from bot.store import Store

    async def run() -> dict:
        async with Store.open(database) as store:
            await store.migrate()
            report = await import_imdb(store, folder)
            billing = await _billing(store, json.loads(wanted.read_text())) if wanted else None
        basics = next(state for state in report.files if state.name == "title.basics.tsv.gz")
        return {
            "basics_lines": basics.lines, "basics_seconds": basics.seconds,
            "lines": sum(state.lines for state in report.files), "read_seconds": report.read_seconds,
            "load_seconds": report.merge.load_seconds, "index_seconds": report.merge.index_seconds,
            "seconds": report.seconds, "films": report.merge.films_added,
            "files": [(state.name, state.lines, state.seconds) for state in report.files],
            "commit_seconds": report.merge.commit_seconds, "billing": billing,
        }

    figures = asyncio.run(run())
    figures["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(figures))


async def _billing(store, wanted: dict[str, list[str]]) -> list[int]:
    """(films checked, cast billed as IMDb numbers it, cast naming someone twice) over the samples."""
    from bot.catalogue.imdb import MAX_CAST

    checked = right = repeated = 0
    for key, cast in wanted.items():
        film = await store.films.get_by_key(key)
        if film is None:
            continue
        checked += 1
        right += tuple(film.cast) == tuple(cast[:MAX_CAST])
        # Two people can share a generated name; a repeat counts only when the billing has none.
        repeated += len(set(film.cast)) < len(film.cast) and len(set(cast[:MAX_CAST])) == len(cast[:MAX_CAST])
    return [checked, right, repeated]


if __name__ == "__main__":
    _child(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]) if len(sys.argv) > 3 else None)
