"""The weekly service: one supervised loop runs every server's deadlines (RoboDanny's timers).

Deadlines are rows (store.weekly); each transition takes its row in the transaction that makes the
change, so a deadline runs once however often it is attempted. The loop itself never ends on an
error: a failing transition is retried after a growing delay while every other server goes on.
Each server's due deadlines run in a task of their own, one server at a time per server, so a slow
or failing server (a locked database, 1,000 voters to check, a channel that is gone) never holds
another's deadline. Nothing here knows Discord: the `Transitions` it is given do the posting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bot import clock
from bot.club.weekly.calendar import iso, parse_iso

if TYPE_CHECKING:
    from bot.store import Store
    from bot.store.models import Deadline

log = logging.getLogger("kinoclub.weekly")

MAX_SLEEP = 3600.0  # wake at least hourly, so a wall clock that jumped is noticed
FIRST_RETRY = 5.0  # seconds; doubled on each failure in a row
MAX_RETRY = 600.0
TELL_AFTER = 3  # failures in a row of one deadline before the moderators are told in /club log
STOP_GRACE = 10.0  # seconds in-flight transitions get to finish when the bot stops


def retry_delay(failures: int, first: float = FIRST_RETRY, cap: float = MAX_RETRY) -> float:
    """Seconds to wait after the `failures`-th failure in a row (1, 2, …): 5, 10, 20 … capped at 10 min."""
    return min(first * 2 ** max(failures - 1, 0), cap)


class Transitions(Protocol):
    """The Discord side of the weekly cycle, which the service drives."""

    async def run(self, deadline: Deadline) -> None:
        """Carry out a due deadline; raising means it did not happen and is retried."""

    async def catch_up(self) -> None:
        """Post whatever is still owed (after a stop mid-way)."""

    async def failing(self, deadline: Deadline, failures: int, error: BaseException) -> None:
        """The deadline has failed `failures` times in a row: tell the moderators."""


@dataclass
class _Backoff:
    failures: int
    until: datetime


class WeeklyService:
    def __init__(
        self, store: Store, transitions: Transitions, first_retry: float = FIRST_RETRY, max_retry: float = MAX_RETRY
    ) -> None:
        self.store = store
        self.transitions = transitions
        self._retry = (first_retry, max_retry)
        self._woken = False  # set by wake(); the loop looks again before it naps
        self._alarm: asyncio.Future | None = None
        self._task: asyncio.Task | None = None
        self._running: dict[int, asyncio.Task] = {}  # guild id -> the task running its deadlines
        self._backoff: dict[tuple[int, str, str], _Backoff] = {}  # (guild, kind, due_at)
        self._done: set[tuple[int, str, str]] = set()  # ran without error: never run again
        self._loop_failures = 0
        self.stopping = False

    # ------------------------------------------------------------- lifecycle

    def start(self, ready: Callable[[], Awaitable[None]]) -> None:
        """Run the loop once `ready` returns (the bot's connection is up)."""
        if self._task is None:
            self._task = asyncio.create_task(self._main(ready), name="kinoclub-weekly")

    def wake(self) -> None:
        """A deadline changed: look again at which is earliest."""
        self._woken = True
        if self._alarm is not None and not self._alarm.done():
            self._alarm.set_result(None)

    @property
    def alive(self) -> bool:
        return self._task is not None and not self._task.done()

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Let in-flight transitions finish (each is one transaction, then its posts), then end."""
        self.stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        running = list(self._running.values())
        if running:
            _, late = await asyncio.wait(running, timeout=grace)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late)
                log.warning("stopped %d weekly transitions that did not finish in %.0f s", len(late), grace)

    # ------------------------------------------------------------------ loop

    async def _main(self, ready: Callable[[], Awaitable[None]]) -> None:
        await ready()
        try:
            await self.transitions.catch_up()
        except Exception:
            log.exception("catching up the weekly posts failed; the next retry deadline tries again")
        while not self.stopping:
            self._woken = False
            try:
                delay = await self.tick()
                self._loop_failures = 0
            except Exception:
                # Reading the deadlines failed (the database is locked, or worse): try again soon.
                self._loop_failures += 1
                delay = retry_delay(self._loop_failures, *self._retry)
                log.exception("the weekly loop could not read its deadlines; trying again in %.0f s", delay)
            await self._nap(min(max(delay, 0.0), MAX_SLEEP))

    async def _nap(self, seconds: float) -> None:
        """Sleep `seconds`, or until wake(): an asyncio.Event with a timeout, written the way
        asyncio.sleep is (a future and a timer), so test clocks that drive sleeps drive it too."""
        if self._woken:
            return
        loop = asyncio.get_running_loop()
        self._alarm = loop.create_future()
        timer = loop.call_later(seconds, asyncio.futures._set_result_unless_cancelled, self._alarm, None)
        try:
            await self._alarm
        finally:
            timer.cancel()
            self._alarm = None

    async def tick(self) -> float:
        """Start a task for every server with a due deadline; seconds until the loop must look again."""
        now = clock.now()
        due = await self.store.weekly.due(iso(now))
        by_guild: dict[int, list[Deadline]] = {}
        wait_for: list[datetime] = []
        keys = {(d.guild_id, d.kind, d.due_at) for d in due}
        self._backoff = {key: value for key, value in self._backoff.items() if key in keys}
        self._done &= keys
        for deadline in due:
            key = (deadline.guild_id, deadline.kind, deadline.due_at)
            if key in self._done:
                # A transition must take or move its row; one that did not would otherwise run forever.
                continue
            backoff = self._backoff.get(key)
            if backoff is not None and backoff.until > now:
                wait_for.append(backoff.until)
                continue
            by_guild.setdefault(deadline.guild_id, []).append(deadline)
        for guild_id, deadlines in by_guild.items():
            if guild_id not in self._running:
                self._running[guild_id] = asyncio.create_task(
                    self._run_guild(guild_id, deadlines), name=f"kinoclub-weekly-{guild_id}"
                )
        upcoming = await self.store.weekly.next_due(iso(now))
        if upcoming is not None:
            wait_for.append(parse_iso(upcoming))
        if not wait_for:
            return MAX_SLEEP
        return (min(wait_for) - now).total_seconds()

    async def _run_guild(self, guild_id: int, deadlines: list[Deadline]) -> None:
        """A server's due deadlines in order (a close before the next opening); the first failure
        stops the rest until its retry, so they never run out of order."""
        try:
            for deadline in deadlines:
                if not await self._run_one(deadline):
                    break
        finally:
            self._running.pop(guild_id, None)
            self.wake()  # whatever it changed (or a retry) may move the earliest deadline

    async def _run_one(self, deadline: Deadline) -> bool:
        key = (deadline.guild_id, deadline.kind, deadline.due_at)
        try:
            await self.transitions.run(deadline)
        except Exception as error:
            previous = self._backoff.get(key)
            failures = 1 if previous is None else previous.failures + 1
            delay = retry_delay(failures, *self._retry)
            self._backoff[key] = _Backoff(failures, clock.now() + timedelta(seconds=delay))
            log.exception(
                "weekly %s for guild %s (due %s) failed %d time(s); trying again in %.0f s",
                deadline.kind, deadline.guild_id, deadline.due_at, failures, delay,
            )
            if failures == TELL_AFTER:
                try:
                    await self.transitions.failing(deadline, failures, error)
                except Exception:
                    log.warning("could not tell guild %s's moderators about it", deadline.guild_id, exc_info=True)
            return False
        self._backoff.pop(key, None)
        self._done.add(key)
        return True
