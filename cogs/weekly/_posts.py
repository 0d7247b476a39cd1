"""Everything the weekly cycle posts: the ballot and its running counts, the announcement, its
thread and screening event. Each post is owed until Discord takes it; a failure is told to the
moderators (the audit log, and the command's reply) and retried until it succeeds."""

from __future__ import annotations

import dataclasses
import logging
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from discord.ext import tasks

from bot import clock, i18n
from bot.club.rating import server_scale
from bot.club.weekly import problems
from bot.club.weekly import settings as weekly_settings
from bot.club.weekly import state as week_state
from bot.club.weekly.calendar import parse_iso
from bot.club.weekly.reminders import CloseReminder
from bot.i18n import _
from bot.store.models import Ballot, Film, Pick
from bot.ui import weekly as ui
from bot.ui.films import local_title
from cogs._language import public_language
from cogs.weekly._rate import rating_view
from cogs.weekly._remind import reminder_view
from cogs.weekly._vote import ballot_view

if TYPE_CHECKING:
    from bot.app import KinoBot

log = logging.getLogger("kinoclub.weekly")

REFRESH_DELAY = 5.0  # seconds between ballot edits: a burst of votes stays inside Discord's rate limits
SCREENING_LENGTH = timedelta(hours=3)  # the event's end when the film's runtime is unknown


class Poster:
    def __init__(self, bot: KinoBot) -> None:
        self.bot = bot
        self._dirty: set[int] = set()
        self._dirty_picks: set[int] = set()  # announcements whose RSVP count changed
        # A tasks.loop, not a sleep per vote: the loop is one paced writer however many votes arrive.
        self._flush = tasks.loop(seconds=REFRESH_DELAY)(self._redraw_dirty)

    @property
    def waiting(self) -> bool:
        """Whether a ballot or announcement redraw waits for the loop's next turn."""
        return bool(self._dirty or self._dirty_picks)

    # ------------------------------------------------------------------ ballot

    async def _render(self, ballot_id: int) -> tuple[str, list[discord.Embed], discord.ui.View]:
        board = await week_state.board(self.bot.store, self.bot.config, ballot_id)
        buttons = [
            (c.film_id, ui.button_label(c, f, None if board.counts is None else board.counts.get(c.film_id, 0)))
            for c, f in board.entries
        ]
        view = ballot_view(ballot_id, buttons, disabled=board.ballot.status != "open")
        return ui.ballot_content(board), ui.ballot_embeds(board), view

    async def post_ballot(self, ballot_id: int) -> str | None:
        """Post the ballot; None when it is there, else the problem, told to moderators and retried."""
        ballot = await self.bot.store.weekly.ballot(ballot_id)
        # Its films' posters and synopses are fetched now, so the cards members open from it are complete.
        await self.bot.enrichment.prefetch_ids(c.film_id for c in await self.bot.store.weekly.candidates(ballot_id))
        with await self._public(ballot.guild_id):
            return await self._post_ballot(ballot)

    async def _public(self, guild_id: int) -> AbstractContextManager[None]:
        """The server's language for what the weekly cycle posts, and for the problems it records
        for the server's moderators (each told once, so always in the one language)."""
        return i18n.speaking(await public_language(self.bot, guild_id))

    async def _post_ballot(self, ballot: Ballot) -> str | None:
        ballot_id = ballot.id
        content, embeds, view = await self._render(ballot_id)
        channel_id = await self._weekly_channel(ballot.guild_id, ballot.channel_id)
        channel, problem = await self._channel(channel_id)
        if channel is not None:
            try:
                message = await channel.send(content, embeds=embeds, view=view)
            except discord.HTTPException as error:
                problem = _refusal(error, _("post the ballot in {channel}").format(channel=f"<#{channel_id}>"))
            else:
                async with self.bot.store.transaction() as tx:
                    await self.bot.store.weekly.set_ballot_message(tx, ballot_id, channel.id, message.id)
                return None
        await self._report(ballot.guild_id, f"ballot {ballot.week}", problem, ballot.problem)
        async with self.bot.store.transaction() as tx:
            await self.bot.store.weekly.set_ballot_problem(tx, ballot_id, problem)
        return problem

    async def redraw_ballot(self, ballot_id: int) -> None:
        """Edit the posted ballot to what the database says now (counts, closing time, closed)."""
        ballot = await self.bot.store.weekly.ballot(ballot_id)
        if ballot is None or ballot.message_id is None:
            return
        with await self._public(ballot.guild_id):
            content, embeds, view = await self._render(ballot_id)
        channel = self.bot.get_channel(ballot.channel_id)
        if channel is None:
            return
        try:
            await channel.get_partial_message(ballot.message_id).edit(content=content, embeds=embeds, view=view)
        except discord.HTTPException:
            log.warning("could not update the ballot message of ballot %s", ballot_id, exc_info=True)

    def refresh_soon(self, ballot_id: int | None = None, pick_id: int | None = None) -> None:
        """Show new counts (a ballot's votes, an announcement's RSVPs): at once, then at most once
        every REFRESH_DELAY while they keep coming."""
        if ballot_id is not None:
            self._dirty.add(ballot_id)
        if pick_id is not None:
            self._dirty_picks.add(pick_id)
        if not self._flush.is_running():
            self._flush.start()

    async def _redraw_dirty(self) -> None:
        # Stops only after a quiet interval, so the edit after this one waits at least REFRESH_DELAY.
        if not self._dirty and not self._dirty_picks:
            self._flush.stop()
            return
        dirty, self._dirty = self._dirty, set()
        picks, self._dirty_picks = self._dirty_picks, set()
        try:
            for ballot_id in sorted(dirty):
                ballot = await self.bot.store.weekly.ballot(ballot_id)
                settings = await weekly_settings.load(self.bot.store, self.bot.config, ballot.guild_id)
                if ballot.status == "open" and settings.counts_visible:
                    await self.redraw_ballot(ballot_id)
            for pick_id in sorted(picks):
                await self.redraw_announcement(pick_id)
        except Exception:
            # A locked database must not end the loop: the counts catch up on the next change.
            log.exception("refreshing the weekly posts failed")

    def stop(self) -> None:
        self._flush.cancel()
        self._dirty.clear()
        self._dirty_picks.clear()

    # ------------------------------------------------------------ announcement

    async def _announcement(self, pick: Pick, film: Film) -> tuple[str, discord.Embed]:
        store = self.bot.store
        board = None if pick.ballot_id is None else await week_state.board(store, self.bot.config, pick.ballot_id)
        scale = await server_scale(store, pick.guild_id)
        return ui.announcement(pick, film, board, scale, await self.interested(pick))

    async def interested(self, pick: Pick) -> int | None:
        """How many members marked the screening event Interested; None when there is no event
        or Discord cannot say."""
        guild = self.bot.get_guild(pick.guild_id)
        if not pick.event_id or guild is None:
            return None
        try:
            event = await guild.fetch_scheduled_event(pick.event_id, with_counts=True)
        except discord.HTTPException:
            return None
        return event.user_count

    async def redraw_announcement(self, pick_id: int) -> None:
        """Edit the announcement to what is true now (the RSVP count)."""
        pick = await self.bot.store.weekly.pick(pick_id)
        if pick is None or pick.film_id is None or pick.message_id is None:
            return
        film = await self.bot.store.films.get(pick.film_id)
        channel = self.bot.get_channel(pick.channel_id or 0)
        if film is None or channel is None:
            return
        with await self._public(pick.guild_id):
            content, embed = await self._announcement(pick, film)
        try:
            await channel.get_partial_message(pick.message_id).edit(content=content, embed=embed)
        except discord.HTTPException:
            log.warning("could not update the announcement of pick %s", pick_id, exc_info=True)

    async def announce(self, pick_id: int) -> str | None:
        """Post what is still owed of a pick's announcement: the message, its thread, the event.
        Everything it shows of the vote is the recorded result, so a post owed since before a
        restart says what the close decided."""
        store = self.bot.store
        pick = await store.weekly.pick(pick_id)
        if pick is None or pick.film_id is None or pick.channel_id is None:
            return None
        with await self._public(pick.guild_id):
            return await self._announce(pick)

    async def _announce(self, pick: Pick) -> str | None:
        store, pick_id = self.bot.store, pick.id
        film = await store.films.get(pick.film_id)
        self.bot.enrichment.prefetch([film])  # the film of the week is the card everyone opens
        message_id, thread_id, event_id = pick.message_id, pick.thread_id, pick.event_id
        channel_id = pick.channel_id
        if message_id is None:
            channel_id = await self._weekly_channel(pick.guild_id, pick.channel_id)
        problems: list[str] = []
        channel, problem = await self._channel(channel_id)
        if channel is None:
            problems.append(problem)
        if channel is not None and message_id is None:
            content, embed = await self._announcement(pick, film)
            try:
                message_id = (await channel.send(content, embed=embed)).id
            except discord.HTTPException as error:
                doing = _("announce the film of the week in {channel}").format(channel=f"<#{channel_id}>")
                problems.append(_refusal(error, doing))
        if channel is not None and message_id is not None and thread_id is None:
            try:
                thread = await channel.get_partial_message(message_id).create_thread(
                    name=ui.thread_name(pick, film), auto_archive_duration=10080
                )
                await thread.send(ui.etiquette(pick, film))
                thread_id = thread.id
            except discord.HTTPException as error:
                problems.append(_refusal(error, _("open the discussion thread")))
        if pick.screening_at is not None and event_id is None:
            event_id, problem = await self._event(pick, film)
            if problem:
                problems.append(problem)
        problem = " ".join(problems) or None
        async with store.transaction() as tx:
            await store.weekly.set_pick_posts(
                tx,
                pick_id,
                channel_id=channel_id,
                message_id=message_id,
                thread_id=thread_id,
                event_id=event_id,
                problem=problem,
            )
        if problem:
            target = f"film of the week {pick.week}"  # untranslated: the audit log's target, a stored key
            await self._report(pick.guild_id, target, problem, pick.problem)
        return problem

    async def _event(self, pick: Pick, film: Film) -> tuple[int | None, str | None]:
        guild = self.bot.get_guild(pick.guild_id)
        if guild is None:
            return None, _("I am not in the server any more.")
        start = parse_iso(pick.screening_at)
        if start <= clock.now():
            return 0, None  # the screening time passed while the post was owed; no event for the past
        length = timedelta(minutes=film.runtime + 30) if film.runtime else SCREENING_LENGTH
        channel = guild.get_channel(pick.channel_id or 0)
        settings = await weekly_settings.load(self.bot.store, self.bot.config, pick.guild_id)
        try:
            event = await guild.create_scheduled_event(
                name=ui.limits.clip(_("Film of the week: {title}").format(title=local_title(film)), 100),
                start_time=start,
                end_time=start + length,
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                location=ui.limits.clip(f"#{channel.name}" if channel else _("the film club"), 100),
                description=ui.limits.clip(_event_description(film, start.astimezone(settings.zone)), 1000),
            )
        except discord.HTTPException as error:
            return None, _refusal(error, _("create the screening event"))
        return event.id, None

    # ------------------------------------------------ reminders and the rating window

    async def remind_close(self, reminder: CloseReminder) -> str | None:
        ballot = reminder.ballot
        board = await week_state.board(self.bot.store, self.bot.config, ballot.id)
        board = dataclasses.replace(board, voters=reminder.voters)
        settings = await weekly_settings.load(self.bot.store, self.bot.config, ballot.guild_id)
        with await self._public(ballot.guild_id):
            text = ui.close_reminder(board, settings.reminder_role_id)
            return await self._remind(ballot.guild_id, ballot.channel_id, text, settings.reminder_role_id)

    async def remind_screening(self, pick: Pick) -> str | None:
        film = await self.bot.store.films.get(pick.film_id)
        if film is None:
            return None
        settings = await weekly_settings.load(self.bot.store, self.bot.config, pick.guild_id)
        with await self._public(pick.guild_id):
            text = ui.screening_reminder(pick, film, await self.interested(pick), settings.reminder_role_id)
            return await self._remind(pick.guild_id, pick.channel_id or 0, text, settings.reminder_role_id)

    async def _remind(self, guild_id: int, fallback: int, text: str, role_id: int | None) -> str | None:
        channel_id = await self._weekly_channel(guild_id, fallback)
        channel, problem = await self._channel(channel_id)
        if channel is None:
            return problem
        # The one mention the bot ever makes: the role the server chose for reminders, nobody else.
        mentions = discord.AllowedMentions(
            everyone=False, users=False, roles=[discord.Object(role_id)] if role_id else False
        )
        try:
            await channel.send(text, view=reminder_view(), allowed_mentions=mentions)
        except discord.HTTPException as error:
            return _refusal(error, _("post the reminder in {channel}").format(channel=f"<#{channel_id}>"))
        return None

    async def open_rating(self, pick: Pick) -> str | None:
        """The Rate button in the film's thread, once its screening has passed."""
        film = await self.bot.store.films.get(pick.film_id)
        if film is None or pick.rating_message_id is not None:
            return None
        with await self._public(pick.guild_id):
            return await self._open_rating(pick, film)

    async def _open_rating(self, pick: Pick, film: Film) -> str | None:
        if pick.thread_id is None:
            return _("The rating window waits for the discussion thread, which is not there yet.")
        channel, problem = await self._channel(pick.thread_id)
        if channel is None:
            return problem
        try:
            message = await channel.send(ui.rating_prompt(pick, film), view=rating_view(film.id))
        except discord.HTTPException as error:
            return _refusal(error, _("post the Rate button in {channel}").format(channel=f"<#{pick.thread_id}>"))
        async with self.bot.store.transaction() as tx:
            await self.bot.store.weekly.set_rating_message(tx, pick.id, message.id)
        return None

    # ------------------------------------------------------------------ common

    async def _weekly_channel(self, guild_id: int, fallback: int) -> int:
        """Where an owed post goes: the channel chosen now, so choosing a working one fixes a failure."""
        settings = await weekly_settings.load(self.bot.store, self.bot.config, guild_id)
        return settings.channel_id or fallback

    async def _channel(self, channel_id: int) -> tuple[discord.abc.Messageable | None, str | None]:
        channel = self.bot.get_channel(channel_id)
        if channel is not None:
            return channel, None
        try:
            return await self.bot.fetch_channel(channel_id), None
        except discord.NotFound:
            gone = _("The weekly channel {channel} is gone; choose another with /club weekly channel:.")
            return None, gone.format(channel=f"<#{channel_id}>")
        except discord.HTTPException as error:
            return None, _refusal(error, _("see the weekly channel {channel}").format(channel=f"<#{channel_id}>"))

    async def _report(self, guild_id: int, target: str, problem: str, previous: str | None) -> None:
        log.warning("guild %s, %s: %s", guild_id, target, problem)
        await problems.owed(self.bot.store, guild_id, target, problem, previous, clock.now())

    async def tell_moderators(self, guild_id: int, target: str, problem: str) -> None:
        await problems.tell_moderators(self.bot.store, guild_id, target, problem)

    async def catch_up(self, guild_id: int | None = None) -> None:
        """Post every ballot and announcement still owed (after a failure, or a stop mid-way)."""
        store = self.bot.store
        for ballot in await store.weekly.ballots_owed():
            if guild_id is None or ballot.guild_id == guild_id:
                await self.post_ballot(ballot.id)
        for pick in await store.weekly.picks_owed():
            if guild_id is None or pick.guild_id == guild_id:
                await self.announce(pick.id)


def _refusal(error: discord.HTTPException, doing: str) -> str:
    if isinstance(error, discord.Forbidden):
        return _(
            "I am not allowed to {doing}: give me View Channel, Send Messages, Embed Links, "
            "Create Public Threads and Create Events there."
        ).format(doing=doing)
    if isinstance(error, discord.NotFound):
        return _("I could not {doing}: Discord says it no longer exists.").format(doing=doing)
    return _("I could not {doing}: Discord answered {status} ({reason}).").format(
        doing=doing, status=error.status, reason=error.text or _("no reason given")
    )


def _event_description(film: Film, start: datetime) -> str:
    """The event's text carries the date itself (on the server's clock): event descriptions take no
    timestamp markup."""
    return _("The club watches {title} together on {when}, then talks about it.").format(
        title=local_title(film), when=i18n.date_time(start)
    )
