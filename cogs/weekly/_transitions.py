"""The weekly transitions with their Discord side: the schedule's loop, and the same steps for
moderators' commands. One loop sleeps until the earliest deadline row (RoboDanny's timers)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import discord

from bot import clock
from bot.club.weekly import ballots
from bot.club.weekly.ballots import AlreadyDone, Closed, WeekTaken
from bot.club.weekly.calendar import iso, parse_iso
from bot.errors import UserError
from bot.store.models import Ballot
from cogs.weekly._posts import RETRY, Poster

if TYPE_CHECKING:
    from bot.app import KinoBot

log = logging.getLogger("kinoclub.weekly")

MAX_SLEEP = 3600.0  # wake at least hourly, so a wall clock that jumped is noticed


class Cycle:
    def __init__(self, bot: KinoBot, poster: Poster) -> None:
        self.bot = bot
        self.poster = poster
        self._task: asyncio.Task | None = None
        self._sleeping = False
        self._poked = False

    # ------------------------------------------------------------ transitions

    async def open(
        self, guild_id: int, opened_by: int | None = None, due_at: str | None = None
    ) -> tuple[Ballot, str | None]:
        """Open and post this week's ballot; the problem posting it, if any."""
        ballot = await ballots.open_ballot(
            self.bot.store, self.bot.config, guild_id, clock.now(), opened_by=opened_by, due_at=due_at
        )
        problem = await self.poster.post_ballot(ballot.id)
        self.poke()
        return ballot, problem

    async def close(
        self, guild_id: int, closed_by: int | None = None, due_at: str | None = None
    ) -> tuple[Closed, str | None]:
        """Count, pick, and announce; the problem announcing, if any."""
        ballot = await self.bot.store.weekly.open_ballot(guild_id)
        departed = await self._departed(guild_id, ballot) if ballot is not None else frozenset()
        closed = await ballots.close_ballot(
            self.bot.store,
            self.bot.config,
            guild_id,
            clock.now(),
            departed=departed,
            closed_by=closed_by,
            due_at=due_at,
        )
        await self.poster.redraw_ballot(closed.ballot.id)
        problem = await self.poster.announce(closed.pick_id, closed.result.decided)
        self.poke()
        return closed, problem

    async def _departed(self, guild_id: int, ballot: Ballot) -> frozenset[int]:
        """Voters who left the server: their approvals are not counted."""
        guild = self.bot.get_guild(guild_id)
        if guild is None:
            return frozenset()
        gone = set()
        for user_id in await self.bot.store.weekly.voters(ballot.id):
            if guild.get_member(user_id) is not None:
                continue
            try:
                await guild.fetch_member(user_id)
            except discord.NotFound:
                gone.add(user_id)
            except discord.HTTPException:
                # Unsure is not gone: a vote is only dropped when Discord says the member left.
                log.warning("could not check whether %s is still in guild %s", user_id, guild_id)
        return frozenset(gone)

    # -------------------------------------------------------------- the loop

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(catch_up=True))

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def poke(self) -> None:
        """A deadline changed: look again at which is earliest."""
        self._poked = True
        if self._sleeping and self._task is not None:
            # Cancelled only while asleep, so no transition is ever cut in half.
            self._task.cancel()
            self._task = asyncio.create_task(self._run(catch_up=False))

    async def _run(self, catch_up: bool) -> None:
        await self.bot.wait_until_ready()
        if catch_up:
            await self._guarded(self.poster.catch_up())
        while True:
            self._poked = False
            await self.run_due()
            due = await self.bot.store.weekly.next_due()
            if self._poked:
                continue
            delay = MAX_SLEEP if due is None else (parse_iso(due) - clock.now()).total_seconds()
            self._sleeping = True
            try:
                await asyncio.sleep(min(max(delay, 0.0), MAX_SLEEP))
            finally:
                self._sleeping = False

    async def run_due(self) -> None:
        """Every deadline that has come (including those that passed while the bot was down), once."""
        for guild_id, kind, due_at in await self.bot.store.weekly.due(iso(clock.now())):
            try:
                await self._transition(guild_id, kind, due_at)
            except Exception:
                log.exception("weekly %s for guild %s failed; trying again later", kind, guild_id)
                await self._postpone(guild_id, kind, due_at)

    async def _transition(self, guild_id: int, kind: str, due_at: str) -> None:
        if kind == "open":
            try:
                await self.open(guild_id, due_at=due_at)
            except AlreadyDone:
                pass
            except UserError as error:
                # The week has its ballot or film already, or nothing can be drawn: the cycle goes on.
                log.info("guild %s: no ballot this time: %s", guild_id, error.message)
                await ballots.pass_over_open(self.bot.store, self.bot.config, guild_id, due_at, clock.now())
                if not isinstance(error, WeekTaken):
                    await self.poster.tell_moderators(guild_id, "weekly ballot", error.message)
        elif kind == "close":
            with contextlib.suppress(AlreadyDone):
                await self.close(guild_id, due_at=due_at)
        else:
            async with self.bot.store.transaction() as tx:
                if not await self.bot.store.weekly.claim_deadline(tx, guild_id, "retry", due_at):
                    return
            await self.poster.catch_up(guild_id)

    async def _postpone(self, guild_id: int, kind: str, due_at: str) -> None:
        async with self.bot.store.transaction() as tx:
            if await self.bot.store.weekly.claim_deadline(tx, guild_id, kind, due_at):
                await self.bot.store.weekly.set_deadline(tx, guild_id, kind, iso(clock.now() + RETRY))

    async def _guarded(self, work) -> None:
        try:
            await work
        except Exception:
            log.exception("catching up the weekly posts failed")
