"""The weekly service's rules: retry delays, reminder times, and the loop's supervision, against a
real SQLite file. The Discord side is the `Transitions` protocol; here a recorder plays it, so the
rules are seen alone (tests/cogs/test_weekly_service.py drives the real one in SimCord)."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import clock
from bot.club.weekly.reminders import reminder_time
from bot.club.weekly.service import MAX_RETRY, WeeklyService, retry_delay
from bot.store.models import Deadline
from bot.ui.limits import clip_words

NOW = datetime(2026, 6, 8, 18, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def test_retry_delays_grow_and_are_capped():
    assert [retry_delay(n) for n in range(1, 9)] == [5, 10, 20, 40, 80, 160, 320, 600]
    assert retry_delay(50) == MAX_RETRY
    assert retry_delay(3, first=0.1, cap=0.3) == 0.3


def test_a_reminder_keeps_the_servers_wall_clock_across_a_clock_change():
    # Sunday 29 March 2026, 20:00 in Berlin is summer time (18:00 UTC); 24 h before on the club's
    # clock is Saturday 20:00, still winter time: 19:00 UTC, 23 real hours before.
    closes = datetime(2026, 3, 29, 18, 0, tzinfo=UTC)
    assert reminder_time(closes, 24, BERLIN) == datetime(2026, 3, 28, 19, 0, tzinfo=UTC)
    # Autumn: Sunday 25 October 20:00 CET; Saturday 20:00 is CEST, 25 real hours before.
    autumn = datetime(2026, 10, 25, 19, 0, tzinfo=UTC)
    assert reminder_time(autumn, 24, BERLIN) == datetime(2026, 10, 24, 18, 0, tzinfo=UTC)
    # 03:30 CEST on the night the clocks go forward, 1 h before: 02:30 does not exist that night.
    early = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert reminder_time(early, 1, BERLIN) == early - timedelta(hours=1)
    assert reminder_time(closes, 1, ZoneInfo("UTC")) == closes - timedelta(hours=1)


def test_cards_are_cut_at_a_word_end():
    text = "An elderly couple visit their children in a big city and find them a quarrelsome household"
    assert clip_words(text, 80) == "An elderly couple visit their children in a big city and find them a…"
    assert clip_words("short", 80) == "short"
    assert len(clip_words("x" * 300, 100)) == 100  # one long word is still cut, to the limit
    assert all(len(clip_words(text, n)) <= n for n in range(1, 95))


class Recorder:
    """Plays the Discord side: takes each deadline it is given, or fails for the guilds told to."""

    def __init__(self, store, broken: set[int] = frozenset(), slow: dict[int, float] | None = None) -> None:
        self.store = store
        self.broken = set(broken)
        self.slow = slow or {}
        self.ran: list[tuple[int, str, float]] = []
        self.told: list[tuple[int, int]] = []
        self.caught_up = 0

    async def run(self, deadline: Deadline) -> None:
        if deadline.guild_id in self.broken:
            raise RuntimeError(f"guild {deadline.guild_id} is broken")
        await asyncio.sleep(self.slow.get(deadline.guild_id, 0))
        async with self.store.transaction() as tx:
            await self.store.weekly.claim_deadline(tx, deadline.guild_id, deadline.kind, deadline.due_at)
        self.ran.append((deadline.guild_id, deadline.kind, asyncio.get_running_loop().time()))

    async def catch_up(self) -> None:
        self.caught_up += 1

    async def failing(self, deadline: Deadline, failures: int, error: BaseException) -> None:
        self.told.append((deadline.guild_id, failures))


async def _due(store, guild_id: int, kind: str = "open", at: datetime = NOW) -> None:
    async with store.transaction() as tx:
        await store.weekly.set_deadline(tx, guild_id, kind, at.isoformat(timespec="seconds"))


def _service(store, recorder: Recorder) -> WeeklyService:
    return WeeklyService(store, recorder, first_retry=0.05, max_retry=0.2)


async def _ready() -> None:
    return None


def _clock_from(start: datetime) -> None:
    """The bot's clock runs from `start` at the real pace, so retry delays pass."""
    import time

    origin = time.monotonic()
    clock.use(lambda: start + timedelta(seconds=time.monotonic() - origin))


async def test_a_slow_and_a_broken_server_never_hold_a_third(store):
    _clock_from(NOW + timedelta(seconds=1))
    for guild in (1, 2, 3):
        await _due(store, guild)
    recorder = Recorder(store, broken={2}, slow={1: 0.5})
    service = _service(store, recorder)
    started = asyncio.get_running_loop().time()
    service.start(_ready)
    try:
        await asyncio.sleep(0.3)
        # 3 ran at once; 1 is still busy; 2 has failed and been retried, and is told about at 3 failures.
        assert [(g, k) for g, k, _ in recorder.ran] == [(3, "open")]
        assert recorder.ran[0][2] - started < 0.1
        await asyncio.sleep(0.5)
        assert sorted(g for g, _, _ in recorder.ran) == [1, 3]
        assert (2, 3) in recorder.told and service.alive
        assert [d.guild_id for d in await store.weekly.due(clock.now_iso())] == [2]
        recorder.broken.clear()
        await asyncio.sleep(0.4)  # the next retry, at most 0.2 s on, succeeds
        assert sorted(g for g, _, _ in recorder.ran) == [1, 2, 3]
        assert await store.weekly.due(clock.now_iso()) == []
        assert recorder.caught_up == 1
    finally:
        await service.stop()
    assert not service.alive


async def test_the_loop_survives_its_own_reads_failing(store, config):
    _clock_from(NOW + timedelta(seconds=1))
    recorder = Recorder(store)
    service = _service(store, recorder)
    # A real failure of the loop's own query: the deadlines table is not there for a while.
    other = sqlite3.connect(config.database.path, isolation_level=None)
    other.execute("ALTER TABLE deadlines RENAME TO deadlines_away")
    service.start(_ready)
    try:
        await asyncio.sleep(0.3)
        assert service.alive and recorder.ran == []
        other.execute("ALTER TABLE deadlines_away RENAME TO deadlines")
        await _due(store, 7)
        service.wake()
        await asyncio.sleep(0.4)
        assert [g for g, _, _ in recorder.ran] == [7]
    finally:
        other.close()
        await service.stop()


async def test_a_woken_service_sees_a_new_deadline_at_once_and_stop_waits_for_work(store):
    clock.use(lambda: NOW)
    recorder = Recorder(store, slow={5: 0.3})
    service = _service(store, recorder)
    service.start(_ready)
    await asyncio.sleep(0.05)  # asleep: nothing is due (it would sleep an hour)
    await _due(store, 5, at=NOW)
    service.wake()
    await asyncio.sleep(0.1)
    assert recorder.ran == []  # guild 5's transition is under way
    await service.stop(grace=2)  # stopping lets it finish
    assert [(g, k) for g, k, _ in recorder.ran] == [(5, "open")]
    assert await store.weekly.deadline(5, "open") is None


async def test_stop_abandons_work_past_its_grace(store):
    clock.use(lambda: NOW)
    recorder = Recorder(store, slow={6: 30})
    service = _service(store, recorder)
    await _due(store, 6, at=NOW)
    service.start(_ready)
    await asyncio.sleep(0.1)
    await service.stop(grace=0.1)
    assert recorder.ran == [] and not service.alive
    # Abandoned before its transaction: the deadline is still there for the next start.
    assert await store.weekly.deadline(6, "open") == NOW.isoformat(timespec="seconds")
