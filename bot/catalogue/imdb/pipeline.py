"""Chunks of lines → rows to stage, in file order: inline, or on worker processes for big files.

Parsing and normalising a basics line costs ~8 µs in Python and staging its row ~4 µs, all on one
core. Converting chunks on worker processes while this process stages them can use a second core,
for ~1.2x the CPU in all (pickling rows back): measured on a 1M-title basics file, 104k lines/s
inline and 163k with two workers on an idle 2-core machine, but slower than inline when another
program keeps a core busy. So workers are used when a core is idle as a file starts, and only for
files big enough to repay starting them. A worker is a plain `python -c` child on pipes
(serve), not multiprocessing: it never imports the caller's main module (multiprocessing's spawn
re-runs an unguarded script), and in its own session Ctrl-C reaches only the importer, which
stops it by closing its pipes.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bot.catalogue.imdb import rows
from bot.catalogue.imdb.files import Spec, Truncated, chunks
from bot.store.imdb import MAX_PROBLEMS, FileState

WORKERS: int | None = None  # None: decide per file from the machine (spare_cores)
MIN_POOL_BYTES = 8 << 20  # compressed; IMDb's real files are 10–700 MB

# (rows, lines, well-formed lines not wanted, the first few problems as (line in chunk, reason), malformed lines)
Result = tuple[list, int, int, list[tuple[int, str]], int]


@dataclass(frozen=True)
class Job:
    """What converting one file needs, small enough to send to each worker once."""

    spec: Spec
    types: tuple[str, ...]
    kept: bytes  # rows.IdSet bitmaps
    people: bytes
    crew: bool  # title.crew is read, so principals give no directors

    def converter(self) -> rows.Convert:
        kept, people = rows.IdSet.from_bytes(self.kept), rows.IdSet.from_bytes(self.people)
        return rows.converter(self.spec.name, self.types, kept, people, self.crew)


def converted(folder: Path, job: Job, state: FileState, size: int,
              workers: int | None = None) -> Iterator[tuple[list, int]]:
    """(rows, compressed bytes read) per chunk after line `state.lines`, with `state` counted as each is yielded."""
    source = chunks(folder, job.spec, state.lines, size)
    big = (folder / job.spec.name).stat().st_size >= MIN_POOL_BYTES
    workers = (workers or WORKERS or spare_cores()) if big else 1
    results = _pooled(job, source, workers) if workers > 1 else _inline(job, source)
    state.lines = max(state.lines, 1)
    try:
        for result, position in results:
            _count(state, result)
            yield result[0], position
    except Truncated as exc:
        state.problem(state.lines + 1, f"the file ends early, the rest is lost ({exc})")
    state.done = True


def spare_cores() -> int:
    """2 when another core is idle right now (others' programs, not ours: checked between files), else 1."""
    cores = os.cpu_count() or 1
    if cores < 2:
        return 1
    idle = _idle_cores(cores)
    if idle is None:  # no /proc/stat: the load average, which lags a minute, will do
        with contextlib.suppress(OSError):
            idle = cores - os.getloadavg()[0]
    return 2 if idle is None or idle >= 0.8 else 1


def _idle_cores(cores: int, seconds: float = 0.25) -> float | None:
    """How many cores sat idle over the next `seconds`, from Linux's /proc/stat; None elsewhere."""
    try:
        before = _cpu_times()
        time.sleep(seconds)
        after = _cpu_times()
    except (OSError, ValueError):
        return None
    total = sum(after) - sum(before)
    idle = (after[3] + after[4]) - (before[3] + before[4])  # idle, iowait
    return cores * idle / total if total else None


def _cpu_times() -> list[int]:
    with open("/proc/stat") as stat:
        return [int(field) for field in stat.readline().split()[1:]]


def _count(state: FileState, result: Result) -> None:
    found, lines, filtered, problems, skipped = result
    for offset, reason in problems:
        if len(state.problems) < MAX_PROBLEMS:
            state.problems.append(f"line {state.lines + offset}: {reason}")
    state.lines += lines
    state.kept += len(found)
    state.filtered += filtered
    state.skipped += skipped


def _inline(job: Job, source: Iterator[tuple[bytes, int]]) -> Iterator[tuple[Result, int]]:
    convert, width = job.converter(), len(job.spec.columns)
    for data, position in source:
        yield convert_chunk(convert, width, data), position


def _pooled(job: Job, source: Iterator[tuple[bytes, int]], workers: int) -> Iterator[tuple[Result, int]]:
    """Chunks dealt round-robin to `workers` processes, results taken back in the same order.

    One chunk at a time per worker: a worker writing a result nobody reads while being sent its
    next chunk would deadlock the pipes. With two workers one converts while the other is fed.
    """
    started = [_Worker(job) for _ in range(workers)]
    waiting: deque[tuple[_Worker, int]] = deque()
    try:
        for data, position in source:
            if len(waiting) == workers:
                worker, at = waiting.popleft()
                yield worker.result(), at
                worker.send(data)
                waiting.append((worker, position))
            else:
                worker = started[len(waiting)]
                worker.send(data)
                waiting.append((worker, position))
        while waiting:
            worker, at = waiting.popleft()
            yield worker.result(), at
    finally:
        for worker in started:
            worker.stop()


class _Worker:
    COMMAND = (sys.executable, "-c", "from bot.catalogue.imdb.pipeline import serve; serve()")

    def __init__(self, job: Job) -> None:
        root = str(Path(__file__).resolve().parents[3])  # where `bot` is importable from, installed or not
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
        self._process = subprocess.Popen(self.COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                         start_new_session=True)
        _put(self._process.stdin, job)

    def send(self, data: bytes) -> None:
        _put(self._process.stdin, data)

    def result(self) -> Result:
        found = _take(self._process.stdout)
        if found is None:
            raise RuntimeError(f"an IMDb import worker stopped (exit status {self._process.wait()})")
        return found

    def stop(self) -> None:
        """Closing both pipes ends a worker whether it waits for a chunk or writes a result."""
        for stream in (self._process.stdin, self._process.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def _put(stream: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "little") + data)
    stream.flush()


def _take(stream: IO[bytes]) -> Any:
    size = stream.read(8)
    if len(size) < 8:
        return None
    return pickle.loads(stream.read(int.from_bytes(size, "little")))


def serve() -> None:
    """A worker's life: read the job, then convert each chunk sent until the input closes."""
    job = _take(sys.stdin.buffer)
    convert, width = job.converter(), len(job.spec.columns)
    with contextlib.suppress(BrokenPipeError):  # the importer stopped early and closed the pipe
        while (data := _take(sys.stdin.buffer)) is not None:
            _put(sys.stdout.buffer, convert_chunk(convert, width, data))


def convert_chunk(convert: rows.Convert, width: int, data: bytes) -> Result:
    """Split, decode and convert whole lines; a malformed line is counted with its number and skipped."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    found: list = []
    filtered = skipped = 0
    problems: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        try:
            fields = line.decode("utf-8").rstrip("\r").split("\t")
            if len(fields) != width:
                raise ValueError(f"{len(fields)} columns, expected {width}")
            if convert(fields, found) is False:
                filtered += 1
        except UnicodeDecodeError as exc:
            skipped += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append((number, f"not UTF-8 (byte {exc.start + 1})"))
        except ValueError as exc:
            skipped += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append((number, str(exc)))
    return found, len(lines), filtered, problems, skipped
