"""How an import shows it is alive: a rich progress bar on a terminal (when rich is installed), plain lines elsewhere.

Progress is measured in compressed bytes read (known in advance, so the ETA is honest) and shown
with the lines/s rate. Calls come from the importer's worker thread; rich serialises its own output.
"""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO

from bot.store.imdb import FileState


class Progress(Protocol):
    def start(self, name: str, size: int, lines: int) -> None: ...

    def advance(self, name: str, position: int, lines: int) -> None: ...

    def finish(self, name: str, state: FileState) -> None: ...

    def phase(self, text: str) -> None: ...

    def close(self) -> None: ...


class Quiet:
    """For tests and library callers: shows nothing."""

    def start(self, name: str, size: int, lines: int) -> None:
        pass

    def advance(self, name: str, position: int, lines: int) -> None:
        pass

    def finish(self, name: str, state: FileState) -> None:
        pass

    def phase(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


def for_stream(stream: TextIO | None = None) -> Progress:
    """Rich bars when `stream` (stderr by default) is a terminal, plain lines otherwise."""
    stream = stream or sys.stderr
    if stream.isatty():
        try:
            return Bars(stream)
        except ImportError:
            # rich comes only with the dev and playground extras; the base install shows plain lines.
            pass
    return Lines(stream)


class Lines:
    """One line per file started and finished, per merge step, and every `every` seconds between."""

    def __init__(self, stream: TextIO, every: float = 10.0) -> None:
        self.stream, self.every = stream, every
        self._size = 0
        self._started = self._shown = 0.0
        self._first = 0

    def _say(self, text: str) -> None:
        print(f"imdb: {text}", file=self.stream, flush=True)

    def start(self, name: str, size: int, lines: int) -> None:
        self._size, self._first = size, lines
        self._started = self._shown = time.monotonic()
        self._say(f"{name}: reading" + (f", resuming after line {lines:,}" if lines > 1 else ""))

    def advance(self, name: str, position: int, lines: int) -> None:
        now = time.monotonic()
        if now - self._shown < self.every:
            return
        self._shown = now
        elapsed = now - self._started
        rate = (lines - self._first) / elapsed if elapsed else 0.0
        share = position / self._size if self._size else 1.0
        left = elapsed * (1 - share) / share if share else 0.0
        self._say(f"{name}: {lines:,} lines, {rate:,.0f} lines/s, {share:.0%}, about {left:,.0f} s left")

    def finish(self, name: str, state: FileState) -> None:
        elapsed = time.monotonic() - self._started
        rate = (state.lines - self._first) / elapsed if elapsed else 0.0
        self._say(f"{name}: {state.lines:,} lines in {elapsed:,.1f} s ({rate:,.0f} lines/s), {state.kept:,} kept, "
                  f"{state.skipped:,} malformed")

    def phase(self, text: str) -> None:
        self._say(f"merging into the catalogue: {text}")

    def close(self) -> None:
        pass


class Bars:
    """rich.progress with a bar per file: bytes done, lines/s and the time left."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        self._bars = Progress(
            TextColumn("{task.description:<24}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[lines]:>12,} lines"),
            TextColumn("{task.fields[rate]:>9,.0f} lines/s"),
            TimeRemainingColumn(),
            console=Console(file=stream),
        )
        self._tasks: dict[str, tuple[int, float, int, int]] = {}  # name → (task, started, first line, size)
        self._bars.start()

    def start(self, name: str, size: int, lines: int) -> None:
        task = self._bars.add_task(name, total=size, lines=lines, rate=0.0)
        self._tasks[name] = (task, time.monotonic(), lines, size)

    def advance(self, name: str, position: int, lines: int) -> None:
        task, started, first, _ = self._tasks[name]
        elapsed = time.monotonic() - started
        self._bars.update(task, completed=position, lines=lines, rate=(lines - first) / elapsed if elapsed else 0.0)

    def finish(self, name: str, state: FileState) -> None:
        task, _, _, size = self._tasks[name]
        self._bars.update(task, completed=size, lines=state.lines)

    def phase(self, text: str) -> None:
        self._bars.console.log(f"merging into the catalogue: {text}")

    def close(self) -> None:
        self._bars.stop()
