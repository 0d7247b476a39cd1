"""The weekly transitions with their Discord side, for the weekly service and moderators' commands:
each calls bot/club/weekly for the change, then posts; what Discord refused is recorded and retried."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import discord

from bot import clock, i18n
from bot.club.weekly import ballots, reminders
from bot.club.weekly.ballots import AlreadyDone, Closed, WeekTaken
from bot.club.weekly.calendar import parse_iso
from bot.club.weekly.problems import RETRY
from bot.errors import UserError
from bot.i18n import _
from bot.store.models import Ballot, Deadline
from cogs._language import public_language
from cogs.weekly._posts import Poster

if TYPE_CHECKING:
    from bot.app import KinoBot

log = logging.getLogger("kinoclub.weekly")

# Departed voters are looked up with at most this many REST requests in flight: discord.py waits
# out the members route's rate limit, and a 1,000-voter close takes seconds instead of minutes.
MEMBER_LOOKUPS = 16


class WeeklyDiscord:
    def __init__(self, bot: KinoBot) -> None:
        self.bot = bot
        self.poster = Poster(bot)

    # ------------------------------------------------------------ the service

    async def run(self, deadline: Deadline) -> None:
        kind, guild_id = deadline.kind, deadline.guild_id
        if kind == "open":
            await self._scheduled_open(deadline)
        elif kind == "close":
            with contextlib.suppress(AlreadyDone):
                await self.close(guild_id, due_at=deadline.due_at)
        elif kind == "retry":
            async with self.bot.store.transaction() as tx:
                if not await self.bot.store.weekly.claim_deadline(tx, guild_id, "retry", deadline.due_at):
                    return
            await self.poster.catch_up(guild_id)
        else:
            await self._reminder(deadline)

    async def catch_up(self) -> None:
        await self.poster.catch_up()

    async def failing(self, deadline: Deadline, failures: int, error: BaseException) -> None:
        with i18n.speaking(await public_language(self.bot, deadline.guild_id)):
            problem = _("The {kind} due {due} has failed {times} in a row ({error}); I keep trying.").format(
                kind=deadline.kind,
                due=deadline.due_at,
                times=i18n.counted(failures, "{n} time", "{n} times"),
                error=f"{type(error).__name__}: {str(error)[:200]}",
            )
        await self.poster.tell_moderators(deadline.guild_id, f"weekly {deadline.kind}", problem)

    # ------------------------------------------------------------ transitions

    async def open(
        self, guild_id: int, opened_by: int | None = None, due_at: str | None = None
    ) -> tuple[Ballot, str | None]:
        """Open and post this week's ballot; the problem posting it, if any."""
        ballot = await ballots.open_ballot(
            self.bot.store, self.bot.config, guild_id, clock.now(), opened_by=opened_by, due_at=due_at
        )
        self.bot.weekly.wake()
        problem = await self.poster.post_ballot(ballot.id)
        return ballot, problem

    async def _scheduled_open(self, deadline: Deadline) -> None:
        try:
            # Why no ballot could open is recorded for the server's moderators, in its language.
            with i18n.speaking(await public_language(self.bot, deadline.guild_id)):
                await self.open(deadline.guild_id, due_at=deadline.due_at)
        except AlreadyDone:
            pass
        except UserError as error:
            # The week has its ballot or film already, or nothing can be drawn: the cycle goes on.
            log.info("guild %s: no ballot this time: %s", deadline.guild_id, error.message)
            await ballots.pass_over_open(
                self.bot.store, self.bot.config, deadline.guild_id, deadline.due_at, clock.now()
            )
            if not isinstance(error, WeekTaken):
                target = "weekly ballot"  # untranslated: the audit log's target, a stored key
                await self.poster.tell_moderators(deadline.guild_id, target, error.message)

    async def close(
        self, guild_id: int, closed_by: int | None = None, due_at: str | None = None
    ) -> tuple[Closed, str | None]:
        """Count, pick, and announce; the problem announcing, if any."""
        ballot = await self.bot.store.weekly.open_ballot(guild_id)
        departed = await self.departed(guild_id, ballot) if ballot is not None else frozenset()
        closed = await ballots.close_ballot(
            self.bot.store,
            self.bot.config,
            guild_id,
            clock.now(),
            departed=departed,
            closed_by=closed_by,
            due_at=due_at,
        )
        self.bot.weekly.wake()
        await self.poster.redraw_ballot(closed.ballot.id)
        problem = await self.poster.announce(closed.pick_id)
        return closed, problem

    async def departed(self, guild_id: int, ballot: Ballot) -> frozenset[int]:
        """Voters who left the server: their votes are not counted. Unsure is not gone: a vote is
        dropped only when Discord says the member is not in the server."""
        guild = self.bot.get_guild(guild_id)
        if guild is None:
            return frozenset()
        unknown = [user for user in await self.bot.store.weekly.voters(ballot.id) if guild.get_member(user) is None]
        gate = asyncio.Semaphore(MEMBER_LOOKUPS)

        async def gone(user_id: int) -> bool:
            async with gate:
                try:
                    await guild.fetch_member(user_id)
                except discord.NotFound:
                    return True
                except discord.HTTPException:
                    log.warning("could not check whether %s is still in guild %s", user_id, guild_id)
                return False

        answers = await asyncio.gather(*(gone(user) for user in unknown))
        return frozenset(user for user, left in zip(unknown, answers, strict=True) if left)

    # ----------------------------------------------------- reminders, rating window

    async def _reminder(self, deadline: Deadline) -> None:
        now = clock.now()
        with i18n.speaking(await public_language(self.bot, deadline.guild_id)):
            # A reminder skipped while the bot was down is recorded for the server's moderators here.
            taken = await reminders.take(self.bot.store, deadline, now)
        if taken is None:
            return
        if isinstance(taken, reminders.CloseReminder):
            problem, before = await self.poster.remind_close(taken), parse_iso(taken.ballot.closes_at)
        elif isinstance(taken, reminders.ScreeningReminder):
            problem, before = await self.poster.remind_screening(taken.pick), parse_iso(taken.pick.screening_at)
        else:
            problem, before = await self.poster.open_rating(taken), None
        if problem is None:
            return
        if await reminders.put_back(self.bot.store, deadline, now + RETRY, before):
            # Told only when given up: what stops it (a gone channel) was told when the ballot or
            # the announcement could not be posted, and a retry every 10 minutes would flood the log.
            log.warning("guild %s, %s: %s; trying again in 10 minutes", deadline.guild_id, deadline.kind, problem)
            self.bot.weekly.wake()
            return
        with i18n.speaking(await public_language(self.bot, deadline.guild_id)):
            too_late = _("It was not posted, and is too late now.")
        await self.poster.tell_moderators(deadline.guild_id, f"weekly {deadline.kind}", f"{problem} {too_late}")
