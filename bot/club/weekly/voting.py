"""Members and the ballot: voting for candidates (as many as they like), and nominating a film for the next ballot."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.catalogue.titles import local_title
from bot.club import rating
from bot.club.weekly import calendar
from bot.club.weekly import settings as weekly_settings
from bot.club.weekly.calendar import iso, week_of
from bot.errors import UserError
from bot.i18n import _, counted
from bot.store.models import Ballot, Film, Nomination

if TYPE_CHECKING:
    from bot.config import Config
    from bot.store import Store


@dataclass(frozen=True)
class Votes:
    ballot: Ballot
    voted: bool  # the pressed film now has the member's vote (False: the vote was taken back)
    film_ids: list[int]  # every film the member votes for on this ballot now, in ballot order


async def toggle(
    store: Store,
    guild_id: int | None,
    ballot_id: int,
    film_id: int,
    user_id: int,
    now: datetime,
    on_wait: Callable[[], Awaitable[None]] | None = None,
) -> Votes:
    """Vote for a candidate or take the vote back; committed before the member hears back (waiting,
    like a rating, for an import's write lock)."""
    async with store.transaction(rating.PATIENCE, on_wait) as tx:
        ballot = await store.weekly.ballot(ballot_id, tx)
        if ballot is None or ballot.guild_id != guild_id:
            raise UserError(_("This ballot is not one of this server's."))
        if ballot.status == "cancelled":
            raise UserError(_("This ballot was cancelled; votes can no longer change."))
        if ballot.status != "open":
            raise UserError(_("This ballot has closed; votes can no longer change."))
        if film_id not in {c.film_id for c in await store.weekly.candidates(ballot_id, tx)}:
            raise UserError(_("That film is not on this ballot."))
        voted = await store.weekly.toggle_vote(tx, ballot_id, user_id, film_id, iso(now))
        film_ids = await store.weekly.votes_of(ballot_id, user_id, tx)
    return Votes(ballot, voted, film_ids)


@dataclass(frozen=True)
class Nominated:
    replaced: Nomination | None


async def nominate(store: Store, config: Config, guild_id: int, user_id: int, film: Film, now: datetime) -> Nominated:
    settings = await weekly_settings.load(store, config, guild_id)
    if settings.channel_id is None:
        raise UserError(_("The film of the week is not set up here yet, so there is nothing to nominate for."))
    if not settings.nominations:
        raise UserError(_("Nominations are turned off on this server."))
    week = week_of(now, settings.zone)
    if settings.no_repeat_weeks:
        recent = await store.weekly.picked_since(guild_id, calendar.weeks_before(week, settings.no_repeat_weeks))
        if film.id in recent:
            raise UserError(
                _("{title} was a film of the week {within}; nominate something else.").format(
                    title=local_title(film),
                    within=counted(settings.no_repeat_weeks, "within the last {n} week", "within the last {n} weeks"),
                )
            )
    ballot = await store.weekly.open_ballot(guild_id)
    if ballot is not None and film.id in {c.film_id for c in await store.weekly.candidates(ballot.id)}:
        raise UserError(_("{title} is on the open ballot already: vote for it there.").format(title=local_title(film)))
    before = await store.weekly.nomination_of(guild_id, user_id)
    async with store.transaction() as tx:
        await store.weekly.nominate(tx, guild_id, user_id, film.id, iso(now))
    return Nominated(before if before is not None and before.film_id != film.id else None)
