"""Weekly times in a server's time zone, turned into instants: daylight saving handled here, once.

A wall-clock time that does not exist (the hour skipped when clocks go forward) happens at the
same distance after the gap — 02:30 on that night is 03:30 — and one that happens twice (clocks
going back) happens the first time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.club.weekly.schedule import WeeklyTime


def iso(instant: datetime) -> str:
    """How instants are stored: UTC, to the second, so stored texts sort as the instants do."""
    return instant.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def local_instant(day: datetime, at: WeeklyTime, zone: ZoneInfo) -> datetime:
    """`at`'s hour and minute on the local calendar date of `day`, as a UTC instant."""
    # fold=0 with zoneinfo: a skipped time takes the offset from before the gap (so it lands after
    # it); a repeated time is its first occurrence.
    wall = datetime(day.year, day.month, day.day, at.hour, at.minute, tzinfo=zone, fold=0)
    return wall.astimezone(UTC)


def next_occurrence(at: WeeklyTime, zone: ZoneInfo, after: datetime) -> datetime:
    """The first instant strictly after `after` whose local weekday and time are `at`."""
    local = after.astimezone(zone)
    for days in range(8):
        date = local + timedelta(days=days)
        if date.weekday() != at.weekday:
            continue
        instant = local_instant(date, at, zone)
        if instant > after:
            return instant
    raise AssertionError("eight consecutive days hold every weekday after `after`")


def week_of(instant: datetime, zone: ZoneInfo) -> str:
    """The ISO week `instant` falls in on the server's calendar: "2026-W48"."""
    year, week, _ = instant.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"


def weeks_before(week: str, count: int) -> str:
    """The label `count` weeks before `week`, for the no-repeat window."""
    year, number = week.split("-W")
    monday = datetime.fromisocalendar(int(year), int(number), 1)
    earlier = (monday - timedelta(weeks=count)).isocalendar()
    return f"{earlier[0]}-W{earlier[1]:02d}"
