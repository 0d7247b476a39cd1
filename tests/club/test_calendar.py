"""Weekly times as instants: daylight saving both ways, strictly-after, ISO weeks across years.

Every expected instant below is written out by hand from the 2026 transition dates:
Europe/Berlin springs forward on Sun 2026-03-29 at 02:00 CET (+01) -> 03:00 CEST (+02) and falls back
on Sun 2026-10-25 at 03:00 CEST -> 02:00 CET; America/New_York springs forward on Sun 2026-03-08 at
02:00 EST (-05) -> 03:00 EDT (-04) and falls back on Sun 2026-11-01 at 02:00 EDT -> 01:00 EST.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.club.weekly.calendar import iso, local_instant, next_occurrence, parse_iso, week_of, weeks_before
from bot.club.weekly.schedule import WeeklyTime, parse_weekly_time

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ------------------------------------------------------------- spring forward


def test_a_skipped_sunday_time_in_berlin_lands_after_the_gap():
    # Saturday noon before the change; 02:30 does not exist on Sunday 2026-03-29 in Berlin.
    at = next_occurrence(parse_weekly_time("sun 02:30"), BERLIN, utc(2026, 3, 28, 12, 0))
    assert at == utc(2026, 3, 29, 1, 30)
    local = at.astimezone(BERLIN)
    assert (local.date().isoformat(), local.hour, local.minute) == ("2026-03-29", 3, 30)
    assert local.utcoffset() == timedelta(hours=2)


def test_a_skipped_sunday_time_in_new_york_lands_after_the_gap():
    at = next_occurrence(parse_weekly_time("sun 02:30"), NEW_YORK, utc(2026, 3, 7, 12, 0))
    assert at == utc(2026, 3, 8, 7, 30)  # 02:30 EST would be 07:30 UTC, shown as 03:30 EDT
    local = at.astimezone(NEW_YORK)
    assert (local.day, local.hour, local.minute) == (8, 3, 30)


def test_the_day_after_a_skipped_time_is_an_ordinary_day():
    # Once the gap is passed the next Sunday is plain CEST: 02:30 local is 00:30 UTC.
    at = next_occurrence(parse_weekly_time("sun 02:30"), BERLIN, utc(2026, 3, 29, 1, 30))
    assert at == utc(2026, 4, 5, 0, 30)


# ------------------------------------------------------------------ fall back


def test_a_repeated_sunday_time_in_berlin_is_its_first_occurrence():
    at = next_occurrence(parse_weekly_time("sun 02:30"), BERLIN, utc(2026, 10, 24, 12, 0))
    assert at == utc(2026, 10, 25, 0, 30)  # 02:30 CEST; the second 02:30 (CET) would be 01:30 UTC
    assert at.astimezone(BERLIN).utcoffset() == timedelta(hours=2)


def test_a_repeated_sunday_time_in_new_york_is_its_first_occurrence():
    at = next_occurrence(parse_weekly_time("sun 01:30"), NEW_YORK, utc(2026, 10, 31, 12, 0))
    assert at == utc(2026, 11, 1, 5, 30)  # 01:30 EDT; 01:30 EST would be 06:30 UTC


def test_between_the_two_occurrences_of_a_repeated_time_the_next_one_is_a_week_later():
    # 00:45 UTC is 02:45 CEST: the first 02:30 has passed and the repeat does not count again.
    at = next_occurrence(parse_weekly_time("sun 02:30"), BERLIN, utc(2026, 10, 25, 0, 45))
    assert at == utc(2026, 11, 1, 1, 30)  # 02:30 CET


# ------------------------------------------------- the Monday after a change


@pytest.mark.parametrize(
    ("zone", "before_change", "after_change", "utc_hour_before", "utc_hour_after"),
    [
        # Berlin: CET (+01) -> CEST (+02) -> CET (+01)
        (BERLIN, utc(2026, 3, 20, 12), utc(2026, 3, 29, 12), 17, 16),
        (BERLIN, utc(2026, 10, 13, 12), utc(2026, 10, 25, 12), 16, 17),
        # New York: EST (-05) -> EDT (-04) -> EST (-05)
        (NEW_YORK, utc(2026, 2, 28, 12), utc(2026, 3, 8, 12), 23, 22),
        (NEW_YORK, utc(2026, 10, 20, 12), utc(2026, 11, 1, 12), 22, 23),
    ],
)
def test_monday_evening_stays_at_18_local_across_a_change(
    zone, before_change, after_change, utc_hour_before, utc_hour_after
):
    monday = parse_weekly_time("mon 18:00")
    first = next_occurrence(monday, zone, before_change)
    second = next_occurrence(monday, zone, after_change)
    for instant in (first, second):
        local = instant.astimezone(zone)
        assert (local.weekday(), local.hour, local.minute) == (0, 18, 0)
    assert (first.hour, second.hour) == (utc_hour_before, utc_hour_after)
    assert first.hour != second.hour
    assert second - first == timedelta(days=7) + timedelta(hours=utc_hour_after - utc_hour_before)


# --------------------------------------------------------------- strictly after


def test_an_occurrence_is_strictly_after():
    friday = parse_weekly_time("fri 20:00")
    exactly = utc(2026, 5, 15, 18, 0)  # Fri 20:00 CEST
    assert next_occurrence(friday, BERLIN, exactly - timedelta(seconds=1)) == exactly
    assert next_occurrence(friday, BERLIN, exactly) == utc(2026, 5, 22, 18, 0)
    assert next_occurrence(friday, BERLIN, exactly + timedelta(seconds=1)) == utc(2026, 5, 22, 18, 0)


def test_strictly_after_holds_on_a_skipped_time_too():
    sunday = parse_weekly_time("sun 02:30")
    landed = utc(2026, 3, 29, 1, 30)
    assert next_occurrence(sunday, BERLIN, landed) == utc(2026, 4, 5, 0, 30)


def test_the_next_occurrence_is_within_a_week():
    at = WeeklyTime(weekday=2, hour=9, minute=15)  # wed 09:15
    start = utc(2026, 6, 1, 0, 0)
    for hours in range(0, 24 * 8, 5):
        after = start + timedelta(hours=hours)
        found = next_occurrence(at, NEW_YORK, after)
        assert after < found <= after + timedelta(days=7)
        local = found.astimezone(NEW_YORK)
        assert (local.weekday(), local.hour, local.minute) == (2, 9, 15)


def test_the_local_date_decides_the_day_not_the_utc_one():
    # 03:30 UTC on Sun 2026-06-07 is still Sat 23:30 in New York: "sat 23:45" is a quarter of an hour
    # away (03:45 UTC on the Sunday), and "sun 10:00" is that same Sunday's morning, not a week on.
    after = utc(2026, 6, 7, 3, 30)
    assert next_occurrence(parse_weekly_time("sat 23:45"), NEW_YORK, after) == utc(2026, 6, 7, 3, 45)
    assert next_occurrence(parse_weekly_time("sun 10:00"), NEW_YORK, after) == utc(2026, 6, 7, 14, 0)


def test_local_instant_of_a_skipped_and_a_repeated_time():
    half_past_two = WeeklyTime(6, 2, 30)
    assert local_instant(utc(2026, 3, 29, 12), half_past_two, BERLIN) == utc(2026, 3, 29, 1, 30)
    assert local_instant(utc(2026, 10, 25, 12), half_past_two, BERLIN) == utc(2026, 10, 25, 0, 30)


def test_iso_is_utc_to_the_second_and_parses_back():
    instant = datetime(2026, 10, 25, 2, 30, 59, 999_000, tzinfo=BERLIN)  # fold 0: CEST
    assert iso(instant) == "2026-10-25T00:30:59+00:00"
    assert parse_iso(iso(instant)) == utc(2026, 10, 25, 0, 30, 59)
    assert parse_iso("2026-10-25T02:30:00+02:00") == utc(2026, 10, 25, 0, 30)
    assert parse_iso("2026-10-25T02:30:00+02:00").tzinfo == UTC


# ---------------------------------------------------------------------- weeks


def test_iso_weeks_around_the_2026_to_2027_boundary():
    # 2026 starts on a Thursday, so it has 53 ISO weeks: W53 runs Mon 2026-12-28 to Sun 2027-01-03.
    assert week_of(utc(2026, 12, 27, 12), ZoneInfo("UTC")) == "2026-W52"
    assert week_of(utc(2026, 12, 28, 0), ZoneInfo("UTC")) == "2026-W53"
    assert week_of(utc(2027, 1, 1, 12), ZoneInfo("UTC")) == "2026-W53"
    assert week_of(utc(2027, 1, 3, 23, 59), ZoneInfo("UTC")) == "2026-W53"
    assert week_of(utc(2027, 1, 4, 0), ZoneInfo("UTC")) == "2027-W01"


def test_an_iso_year_can_begin_in_the_previous_calendar_year():
    # Mon 2025-12-29 is the first day of 2026-W01.
    assert week_of(utc(2025, 12, 28, 12), ZoneInfo("UTC")) == "2025-W52"
    assert week_of(utc(2025, 12, 29, 12), ZoneInfo("UTC")) == "2026-W01"


def test_the_week_follows_the_servers_calendar_not_utc():
    sunday_night_utc = utc(2026, 12, 27, 23, 30)  # Sun in UTC, already Mon 02:30 in Moscow
    assert week_of(sunday_night_utc, ZoneInfo("UTC")) == "2026-W52"
    assert week_of(sunday_night_utc, ZoneInfo("Europe/Moscow")) == "2026-W53"
    monday_morning_utc = utc(2027, 1, 4, 5, 0)  # Mon in UTC, still Sun 21:00 in Los Angeles
    assert week_of(monday_morning_utc, ZoneInfo("UTC")) == "2027-W01"
    assert week_of(monday_morning_utc, ZoneInfo("America/Los_Angeles")) == "2026-W53"


def test_week_labels_sort_as_the_weeks_do():
    labels = [week_of(utc(2026, 12, 20) + timedelta(days=7 * n), ZoneInfo("UTC")) for n in range(4)]
    assert labels == ["2026-W51", "2026-W52", "2026-W53", "2027-W01"]
    assert labels == sorted(labels)


def test_weeks_before_across_a_year_boundary():
    assert weeks_before("2027-W01", 0) == "2027-W01"
    assert weeks_before("2027-W01", 1) == "2026-W53"
    assert weeks_before("2027-W01", 2) == "2026-W52"
    assert weeks_before("2026-W01", 1) == "2025-W52"  # 2025 has 52 weeks
    assert weeks_before("2027-W10", 52) == "2026-W11"  # a 53-week year in between
    assert weeks_before("2026-W10", 52) == "2025-W10"
    # Ten ISO years 2016..2025 hold 521 weeks (2020 has 53), so 520 weeks back is one week on: W04.
    assert weeks_before("2026-W03", 520) == "2016-W04"
