"""Weekly times such as "fri 20:00", as the club's settings write them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.i18n import _

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKLY = re.compile(r"([a-z]+)\s+(\d{1,2}):(\d{2})")


@dataclass(frozen=True, order=True)
class WeeklyTime:
    weekday: int  # 0 = Monday, as datetime.weekday()
    hour: int
    minute: int

    def __str__(self) -> str:
        return f"{DAYS[self.weekday]} {self.hour:02d}:{self.minute:02d}"


def parse_weekly_time(text: str) -> WeeklyTime:
    """Parse "DAY HH:MM" (mon…sun or the full English day name); ValueError says what is wrong."""
    match = _WEEKLY.fullmatch(text.strip().lower()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(_('expected "DAY HH:MM", got "{text}"').format(text=text))
    day, hour, minute = match.group(1), int(match.group(2)), int(match.group(3))
    if day in DAYS:
        weekday = DAYS.index(day)
    elif day in _FULL_DAYS:
        weekday = _FULL_DAYS.index(day)
    else:
        raise ValueError(
            _('expected "DAY HH:MM" with DAY one of {days}, got "{text}"').format(days=", ".join(DAYS), text=text)
        )
    if hour > 23 or minute > 59:
        raise ValueError(_('expected "DAY HH:MM" with a time from 00:00 to 23:59, got "{text}"').format(text=text))
    return WeeklyTime(weekday, hour, minute)
