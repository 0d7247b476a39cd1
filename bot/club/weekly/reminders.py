"""Reminders before the ballot closes and before the screening, and the week's rating window.

Each is a deadline row like every other transition, set in the transaction that creates what it
is about (the ballot, the pick) and moved or dropped with it. One is taken (its row deleted) before
it is posted, so it is sent at most once; a post Discord refused is put back for a retry while it
is still useful. A reminder that comes due after downtime is sent late only while the thing it
announces is still ahead; otherwise it is skipped, and the skip is written to /club log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.club.weekly.calendar import iso, parse_iso
from bot.club.weekly.problems import BOT
from bot.i18n import _

if TYPE_CHECKING:
    from bot.store import Store, Transaction
    from bot.store.models import Ballot, Deadline, Pick

REMIND_CLOSE, REMIND_SCREENING, RATING = "remind_close", "remind_screening", "rating"


def reminder_time(target: datetime, hours: int, zone: ZoneInfo) -> datetime:
    """`hours` before `target` on the server's clock: a reminder 24 h before Sunday 20:00 comes on
    Saturday at 20:00 even when the clocks change in between."""
    wall = target.astimezone(zone).replace(tzinfo=None) - timedelta(hours=hours)
    at = wall.replace(tzinfo=zone).astimezone(target.tzinfo)
    # A wall time in the hour skipped when clocks go forward lands after the gap, which for a short
    # reminder can be the target itself: then it comes `hours` of real time before instead.
    return at if at < target else target - timedelta(hours=hours)


async def schedule_close_reminder(
    store: Store, tx: Transaction, ballot_id: int, guild_id: int, closes: datetime, hours: int, zone: ZoneInfo,
    now: datetime,
) -> None:
    """Set (or move, or drop) the reminder before a ballot's close."""
    at = reminder_time(closes, hours, zone) if hours else None
    if at is None or at <= now:
        await store.weekly.clear_deadline(tx, guild_id, REMIND_CLOSE)
    else:
        await store.weekly.set_deadline(tx, guild_id, REMIND_CLOSE, iso(at), ballot_id)


async def schedule_after_pick(
    store: Store, tx: Transaction, pick_id: int, guild_id: int, screening: str | None, hours: int,
    zone: ZoneInfo, now: datetime,
) -> None:
    """A film was picked: the reminder before its screening, and its rating window (which opens
    after the screening, or at once when there is none)."""
    await store.weekly.clear_deadline(tx, guild_id, REMIND_CLOSE)
    start = None if screening is None else parse_iso(screening)
    at = None if start is None or not hours else reminder_time(start, hours, zone)
    if at is None or at <= now:
        await store.weekly.clear_deadline(tx, guild_id, REMIND_SCREENING)
    else:
        await store.weekly.set_deadline(tx, guild_id, REMIND_SCREENING, iso(at), pick_id)
    await store.weekly.set_deadline(tx, guild_id, RATING, iso(max(start or now, now)), pick_id)


@dataclass(frozen=True)
class CloseReminder:
    ballot: Ballot
    voters: int  # members who have voted so far


@dataclass(frozen=True)
class ScreeningReminder:
    pick: Pick


async def take(store: Store, deadline: Deadline, now: datetime) -> CloseReminder | ScreeningReminder | Pick | None:
    """Take a due reminder or rating window; what to post, or None when there is nothing (any more).

    A reminder whose moment has passed (the ballot closed, the screening began) is dropped and the
    skip recorded for the moderators."""
    async with store.transaction() as tx:
        if not await store.weekly.claim_deadline(tx, deadline.guild_id, deadline.kind, deadline.due_at):
            return None
        if deadline.kind == REMIND_CLOSE:
            ballot = await store.weekly.ballot(deadline.subject or 0, tx)
            if ballot is None or ballot.status != "open":
                return None
            if parse_iso(ballot.closes_at) <= now:
                await _skipped(store, tx, deadline, f"ballot {ballot.week}", _("the ballot had closed"))
                return None
            return CloseReminder(ballot, len(await store.weekly.voters(ballot.id, tx)))
        pick = await store.weekly.pick(deadline.subject or 0, tx)
        if pick is None or pick.film_id is None:
            return None
        if deadline.kind == RATING:
            return pick
        if pick.screening_at is None or parse_iso(pick.screening_at) <= now:
            await _skipped(store, tx, deadline, f"film of the week {pick.week}", _("the screening had begun"))
            return None
        return ScreeningReminder(pick)


async def _skipped(store: Store, tx: Transaction, deadline: Deadline, target: str, why: str) -> None:
    if deadline.kind == REMIND_CLOSE:
        problem = _(
            "The reminder before the close (due {due}) was not sent: the bot was down until after it, and {why}."
        )
    else:
        problem = _(
            "The reminder before the screening (due {due}) was not sent: the bot was down until after it, and {why}."
        )
    problem = problem.format(due=deadline.due_at, why=why)
    await store.audit.record(tx, deadline.guild_id, BOT, "week.reminder_skipped", target, None, problem)


async def put_back(store: Store, deadline: Deadline, retry_at: datetime, before: datetime | None) -> bool:
    """Discord refused the post: due again at `retry_at`, while that is still before `before`."""
    if before is not None and retry_at >= before:
        return False
    async with store.transaction() as tx:
        if await store.weekly.deadline(deadline.guild_id, deadline.kind, tx) is not None:
            return False  # a newer reminder took its place meanwhile
        await store.weekly.set_deadline(tx, deadline.guild_id, deadline.kind, iso(retry_at), deadline.subject)
    return True
