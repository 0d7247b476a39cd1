"""Loop-lag probe: how long the event loop was stalled while a block ran.

async with LoopLag() as lag:
    await attack()
assert lag.worst_ms <= 100

`collector_ms` is the longest full (generation 2) garbage collection that ran meanwhile, in any
thread: CPython's collector holds the GIL for all of it, so it stalls the loop wherever it runs,
and its length depends on everything alive in the process rather than on the code under test.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time


class LoopLag:
    """A task sleeps `interval` in a loop; the largest overshoot is the worst stall."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.worst_ms = 0.0
        self.collector_ms = 0.0
        self._task: asyncio.Task[None] | None = None
        self._collecting_since = 0.0

    async def _probe(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.interval)
            overshoot = (time.perf_counter() - before - self.interval) * 1000
            self.worst_ms = max(self.worst_ms, overshoot)

    def _on_collection(self, phase: str, info: dict) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._collecting_since = time.perf_counter()
        elif self._collecting_since:
            self.collector_ms = max(self.collector_ms, (time.perf_counter() - self._collecting_since) * 1000)

    async def __aenter__(self) -> LoopLag:
        gc.callbacks.append(self._on_collection)
        self._task = asyncio.create_task(self._probe())
        # Let the probe take its first timestamp before the measured block starts.
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        # One more tick so a stall at the very end of the block is still seen.
        await asyncio.sleep(self.interval)
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        gc.callbacks.remove(self._on_collection)
