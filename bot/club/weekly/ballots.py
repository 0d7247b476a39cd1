"""The film of the week: opening a ballot, closing it, and what moderators may do in between.

Every transition is one transaction that also takes (deletes) the deadline that triggered it, so a
transition runs once however many times it is attempted: after a restart, or when the schedule and
a moderator race. Posting to Discord comes after the commit and is owed until it succeeds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.club.weekly import calendar, reminders
from bot.club.weekly import settings as weekly_settings
from bot.club.weekly.calendar import iso, next_occurrence, week_of
from bot.club.weekly.draw import Entry, Pool, draw
from bot.club.weekly.settings import WeeklySettings
from bot.club.weekly.tally import Decided, count, decide
from bot.errors import UserError
from bot.i18n import _, counted
from bot.store.models import Ballot, BallotResult, Candidate, Film
from bot.store.weekly import Taken

if TYPE_CHECKING:
    from bot.config import Config
    from bot.store import Store, Transaction

MIN_OPEN = timedelta(hours=1)  # a ballot opened by hand just before the closing time runs another week
MAX_EXTEND_HOURS = 168
NOMINATIONS = "members' nominations"
LEFT_THE_SERVER = "left the server"


class AlreadyDone(Exception):
    """The deadline was taken by another run of the same transition; there is nothing to do."""


class WeekTaken(UserError):
    """The week has its ballot or its film already."""


@dataclass(frozen=True)
class Closed:
    ballot: Ballot
    result: BallotResult
    pick_id: int


def decided(result: BallotResult) -> Decided:
    return Decided[result.decided.upper()]


@dataclass(frozen=True)
class Ended:
    """A ballot a moderator cancelled, or replaced by choosing the film or skipping the week."""

    ballot: Ballot | None
    pick_id: int | None


def _turned_on(settings: WeeklySettings) -> int:
    if settings.channel_id is None:
        raise UserError(
            _("The film of the week is not set up here yet: a moderator chooses its channel with /club weekly channel:")
        )
    return settings.channel_id


# --------------------------------------------------------------------- open


async def open_ballot(
    store: Store,
    config: Config,
    guild_id: int,
    now: datetime,
    *,
    opened_by: int | None = None,
    due_at: str | None = None,
    seed: int | None = None,
) -> Ballot:
    """Draw the candidates and open this week's ballot. `due_at`: the schedule's deadline being run."""
    settings = await weekly_settings.load(store, config, guild_id)
    channel_id = _turned_on(settings)
    zone = settings.zone
    week = week_of(now, zone)
    taken = await store.weekly.pick_of_week(guild_id, week)
    if taken is not None:
        if taken.film_id is None:
            raise WeekTaken(_("This week ({week}) already has its film of the week (skipped).").format(week=week))
        raise WeekTaken(_("This week ({week}) already has its film of the week.").format(week=week))
    if await store.weekly.open_ballot(guild_id) is not None:
        raise WeekTaken(_("A ballot is open already: /week show to see it, /week close to close it."))
    seed = random.SystemRandom().randrange(2**62) if seed is None else seed
    drawn = await _draw(store, settings, guild_id, week, seed)
    if len(drawn) < 2:
        raise UserError(
            counted(
                len(drawn),
                "Only {n} film can be drawn, and a ballot needs 2: "
                "add films to the lists in rotation (/club rotation), or shorten the no-repeat window.",
                "Only {n} films can be drawn, and a ballot needs 2: "
                "add films to the lists in rotation (/club rotation), or shorten the no-repeat window.",
            )
        )
    closes = closing_time(settings, now)
    async with store.transaction() as tx:
        if due_at is not None and not await store.weekly.claim_deadline(tx, guild_id, "open", due_at):
            raise AlreadyDone
        await store.weekly.set_deadline(tx, guild_id, "open", iso(next_occurrence(settings.opens, zone, now)))
        try:
            ballot_id = await store.weekly.add_ballot(
                tx,
                guild_id,
                week,
                seed,
                channel_id,
                opened_by,
                iso(now),
                iso(closes),
                drawn,
            )
        except Taken:
            raise WeekTaken(_("This week ({week}) has had its ballot already.").format(week=week)) from None
        await store.weekly.clear_nominations(tx, guild_id)
        await store.weekly.set_deadline(tx, guild_id, "close", iso(closes), ballot_id)
        await reminders.schedule_close_reminder(
            store, tx, ballot_id, guild_id, closes, settings.remind_close, zone, now
        )
        if opened_by is not None:
            await store.audit.record(tx, guild_id, opened_by, "week.open", week, None, [c.film_id for c in drawn])
    return await store.weekly.ballot(ballot_id)


def closing_time(settings: WeeklySettings, now: datetime) -> datetime:
    closes = next_occurrence(settings.closes, settings.zone, now)
    if closes - now < MIN_OPEN:
        closes = next_occurrence(settings.closes, settings.zone, closes)
    return closes


async def _draw(store: Store, settings: WeeklySettings, guild_id: int, week: str, seed: int) -> list[Candidate]:
    chosen = await weekly_settings.rotation(store, guild_id)
    entries = await store.weekly.pool_entries(sorted(curated.id for curated, _ in chosen))
    pools = [
        Pool(curated.id, curated.name, weight, tuple(Entry(film, note) for film, note in entries[curated.id]))
        for curated, weight in chosen
    ]
    nominations = await store.weekly.nominations(guild_id)
    if nominations:
        pools.append(Pool(None, NOMINATIONS, 1, tuple(Entry(n.film_id, None, n.user_id) for n in nominations)))
    exclude = set()
    if settings.no_repeat_weeks:
        exclude = await store.weekly.picked_since(guild_id, calendar.weeks_before(week, settings.no_repeat_weeks))
    drawn = draw(pools, settings.candidates, seed, exclude)
    return [
        Candidate(
            0,
            d.film_id,
            position,
            d.pool.list_id,
            d.pool.name if d.pool.list_id else None,
            d.entry.note,
            d.entry.nominated_by,
        )
        for position, d in enumerate(drawn, start=1)
    ]


async def pass_over_open(store: Store, config: Config, guild_id: int, due_at: str, now: datetime) -> None:
    """The schedule's opening could not run (the week has its film, nothing to draw): take the deadline
    and set the next one, so the cycle goes on next week."""
    settings = await weekly_settings.load(store, config, guild_id)
    async with store.transaction() as tx:
        if await store.weekly.claim_deadline(tx, guild_id, "open", due_at) and settings.channel_id is not None:
            await store.weekly.set_deadline(
                tx, guild_id, "open", iso(next_occurrence(settings.opens, settings.zone, now))
            )


# -------------------------------------------------------------------- close


async def close_ballot(
    store: Store,
    config: Config,
    guild_id: int,
    now: datetime,
    *,
    departed: frozenset[int] = frozenset(),
    closed_by: int | None = None,
    due_at: str | None = None,
) -> Closed:
    """Count the votes (not those of `departed` members), choose the film, and record both the
    result and the pick in the transaction that takes the deadline."""
    settings = await weekly_settings.load(store, config, guild_id)
    async with store.transaction() as tx:
        if due_at is not None and not await store.weekly.claim_deadline(tx, guild_id, "close", due_at):
            raise AlreadyDone
        ballot = await store.weekly.open_ballot(guild_id, tx)
        if ballot is None:
            if due_at is not None:
                raise AlreadyDone
            raise UserError(_("No ballot is open."))
        await store.weekly.end_ballot(tx, ballot.id, "closed", iso(now))
        await store.weekly.clear_deadline(tx, guild_id, "close")
        candidates = await store.weekly.candidates(ballot.id, tx)
        cast = await store.weekly.votes(ballot.id, tx)
        votes = [vote for vote in cast if vote[0] not in departed]
        counts = count([c.film_id for c in candidates], votes)
        last = await store.weekly.last_pick_by_source(guild_id, tx)
        tally = decide(counts, {c.film_id: last.get(c.list_id) for c in candidates}, ballot.seed)
        winner = next(c for c in candidates if c.film_id == tally.winner)
        result = BallotResult(
            ballot_id=ballot.id,
            winner_id=tally.winner,
            counts=tuple((c.film_id, counts[c.film_id]) for c in candidates),
            voters=len({user for user, _ in votes}),
            left_out=tuple((user, LEFT_THE_SERVER) for user in sorted({u for u, _ in cast if u in departed})),
            decided=tally.decided.name.lower(),
            seed=ballot.seed,
        )
        await store.weekly.add_result(tx, result)
        screening = _screening(settings, now)
        try:
            pick_id = await store.weekly.add_pick(
                tx,
                guild_id,
                ballot.week,
                winner.film_id,
                "vote",
                ballot_id=ballot.id,
                list_id=winner.list_id,
                picked_by=None,
                picked_at=iso(now),
                screening_at=screening,
                channel_id=ballot.channel_id,
            )
        except Taken:
            raise UserError(_("The week {week} has its film already.").format(week=ballot.week)) from None
        await reminders.schedule_after_pick(
            store, tx, pick_id, guild_id, screening, settings.remind_screening, settings.zone, now
        )
        if closed_by is not None:
            await store.audit.record(tx, guild_id, closed_by, "week.close", ballot.week, None, counts)
    return Closed(ballot, result, pick_id)


def _screening(settings: WeeklySettings, now: datetime) -> str | None:
    if settings.screening is None:
        return None
    return iso(next_occurrence(settings.screening, settings.zone, now))


# ----------------------------------------------------------- moderator overrides


async def pick_film(store: Store, config: Config, guild_id: int, film: Film, moderator: int, now: datetime) -> Ended:
    """Choose this week's film without a vote; an open ballot is cancelled."""
    return await _decide_week(store, config, guild_id, film, moderator, now)


async def skip_week(store: Store, config: Config, guild_id: int, moderator: int, now: datetime) -> Ended:
    """No film this week; an open ballot is cancelled."""
    return await _decide_week(store, config, guild_id, None, moderator, now)


async def _decide_week(
    store: Store, config: Config, guild_id: int, film: Film | None, moderator: int, now: datetime
) -> Ended:
    settings = await weekly_settings.load(store, config, guild_id)
    channel_id = _turned_on(settings)
    screening = None if film is None else _screening(settings, now)
    async with store.transaction() as tx:
        ballot = await store.weekly.open_ballot(guild_id, tx)
        week = ballot.week if ballot is not None else week_of(now, settings.zone)
        if ballot is not None:
            await _end(store, tx, ballot, now)
        try:
            pick_id = await store.weekly.add_pick(
                tx,
                guild_id,
                week,
                None if film is None else film.id,
                "skip" if film is None else "moderator",
                ballot_id=None if ballot is None else ballot.id,
                list_id=None,
                picked_by=moderator,
                picked_at=iso(now),
                screening_at=screening,
                channel_id=channel_id,
            )
        except Taken:
            existing = await store.weekly.pick_of_week(guild_id, week, tx)
            if existing.film_id is None:
                text = _("This week ({week}) was skipped; a pick is history and is not replaced.")
            else:
                text = _("This week ({week}) has its film already; a pick is history and is not replaced.")
            raise UserError(text.format(week=week)) from None
        if film is not None:
            await reminders.schedule_after_pick(
                store, tx, pick_id, guild_id, screening, settings.remind_screening, settings.zone, now
            )
        action = "week.skip" if film is None else "week.pick"
        await store.audit.record(tx, guild_id, moderator, action, week, None, None if film is None else film.key)
    return Ended(ballot, pick_id)


async def cancel_ballot(store: Store, guild_id: int, moderator: int, now: datetime) -> Ballot:
    async with store.transaction() as tx:
        ballot = await store.weekly.open_ballot(guild_id, tx)
        if ballot is None:
            raise UserError(_("No ballot is open."))
        await _end(store, tx, ballot, now)
        await store.audit.record(tx, guild_id, moderator, "week.cancel", ballot.week)
    return ballot


async def _end(store: Store, tx: Transaction, ballot: Ballot, now: datetime) -> None:
    await store.weekly.end_ballot(tx, ballot.id, "cancelled", iso(now))
    await store.weekly.clear_deadline(tx, ballot.guild_id, "close")
    await store.weekly.clear_deadline(tx, ballot.guild_id, reminders.REMIND_CLOSE)


async def extend_ballot(
    store: Store, config: Config, guild_id: int, hours: int, moderator: int, now: datetime
) -> Ballot:
    if not 1 <= hours <= MAX_EXTEND_HOURS:
        raise UserError(_("Extend by 1 to {hours} hours.").format(hours=MAX_EXTEND_HOURS))
    settings = await weekly_settings.load(store, config, guild_id)
    async with store.transaction() as tx:
        ballot = await store.weekly.open_ballot(guild_id, tx)
        if ballot is None:
            raise UserError(_("No ballot is open."))
        later = calendar.parse_iso(ballot.closes_at) + timedelta(hours=hours)
        closes = iso(later)
        await store.weekly.set_closing(tx, ballot.id, closes)
        await store.weekly.set_deadline(tx, guild_id, "close", closes, ballot.id)
        if await store.weekly.deadline(guild_id, reminders.REMIND_CLOSE, tx) is not None:
            # Moved while unsent; one already sent is not sent again for the same ballot.
            await reminders.schedule_close_reminder(
                store, tx, ballot.id, guild_id, later, settings.remind_close, settings.zone, now
            )
        await store.audit.record(tx, guild_id, moderator, "week.extend", ballot.week, ballot.closes_at, closes)
    return await store.weekly.ballot(ballot.id)
