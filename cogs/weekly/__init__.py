"""/week: the film of the week — the open ballot, nominations, history, and moderators' overrides.

The weekly service (bot/club/weekly/service.py, `bot.weekly`) runs the deadlines; _transitions.py
and _posts.py are its Discord side; the vote buttons live in _vote.py. Settings are /club weekly and /club rotation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import clock
from bot.club.weekly import ballots, voting
from bot.club.weekly import settings as weekly_settings
from bot.club.weekly import state as week_state
from bot.club.weekly.calendar import next_occurrence, week_of
from bot.i18n import N_, _
from bot.ui import limits
from bot.ui import weekly as ui
from bot.ui.films import local_title
from bot.ui.markdown import escape
from bot.ui.pages import send_pages
from bot.ui.replies import suggestions, tell
from cogs._checks import moderator_only
from cogs.films._common import card_for, film_choices
from cogs.weekly._rate import RateButton
from cogs.weekly._remind import RemindButton, set_reminded
from cogs.weekly._vote import VoteButton, ballot_view

if TYPE_CHECKING:
    from bot.app import KinoBot

HISTORY_LIMIT = 200
RETRYING = N_("I will keep trying every 10 minutes.")


@app_commands.guild_only()
class Weekly(commands.GroupCog, group_name="week", group_description="The film of the week"):
    def __init__(self, bot: KinoBot) -> None:
        self.bot = bot
        self.transitions = bot.weekly.transitions
        self.poster = self.transitions.poster
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(VoteButton, RemindButton, RateButton)

    async def cog_unload(self) -> None:
        self.poster.stop()
        self.bot.remove_dynamic_items(VoteButton, RemindButton, RateButton)

    # ------------------------------------------------------------ members

    @app_commands.command(name="show", description="The open ballot, or this week's film")
    async def show(self, interaction: discord.Interaction) -> None:
        store, guild_id = self.bot.store, interaction.guild_id
        ballot = await store.weekly.open_ballot(guild_id)
        if ballot is not None:
            board = await week_state.board(store, self.bot.config, ballot.id)
            mine = set(await store.weekly.votes_of(ballot.id, interaction.user.id))
            buttons = [
                (
                    c.film_id,
                    ("✓ " if c.film_id in mine else "")
                    + ui.button_label(c, f, None if board.counts is None else board.counts.get(c.film_id, 0)),
                )
                for c, f in board.entries
            ]
            await interaction.response.send_message(
                ui.ballot_content(board),
                embeds=ui.ballot_embeds(board),
                view=ballot_view(ballot.id, buttons, disabled=False),
                ephemeral=True,
            )
            return
        settings = await weekly_settings.load(store, self.bot.config, guild_id)
        now = clock.now()
        pick = await store.weekly.pick_of_week(guild_id, week_of(now, settings.zone))
        if pick is not None and pick.film_id is not None:
            film = await store.films.get(pick.film_id)
            card = await card_for(self.bot, interaction, film)
            await interaction.response.defer(ephemeral=True, thinking=True)
            if pick.ballot_id is not None and pick.how == "vote":
                tally = ui.final_votes(await week_state.board(store, self.bot.config, pick.ballot_id))
                if tally is not None:
                    card.insert_field_at(0, name=tally[0], value=tally[1], inline=False)
            if pick.screening_at is not None:
                rsvp = ui.interested_text(await self.poster.interested(pick))
                card.add_field(
                    name=_("Screening"),
                    value=ui.when(pick.screening_at) + (f" · {rsvp}" if rsvp else ""),
                    inline=False,
                )
            await interaction.followup.send(
                _("Film of the week ({week}): **{title}**").format(
                    week=pick.week, title=escape(limits.clip(local_title(film), 200))
                ),
                embed=limits.fit(card),
                ephemeral=True,
            )
            return
        if settings.channel_id is None:
            await tell(
                interaction,
                _("The film of the week is not set up here yet: a moderator turns it on with /club weekly channel:."),
            )
            return
        opens = next_occurrence(settings.opens, settings.zone, now)
        parts = [_("No ballot is open.")]
        if pick is not None:
            parts.append(_("This week was skipped."))
        parts.append(_("The next one opens {when}.").format(when=ui.when(opens)))
        await tell(interaction, " ".join(parts))

    @app_commands.command(name="history", description="Past films of the week with the club's ratings")
    async def history(self, interaction: discord.Interaction) -> None:
        entries, scale = await week_state.history(self.bot.store, self.bot.config, interaction.guild_id, HISTORY_LIMIT)
        await send_pages(interaction, ui.history_pages(entries, scale), ephemeral=True)

    @app_commands.command(name="nominate", description="Put a film into the draw for the next ballot")
    @app_commands.describe(film="A title in any language or spelling; one nomination each until the ballot opens")
    async def nominate(self, interaction: discord.Interaction, film: str) -> None:
        found = await self.bot.catalogue.resolve(film, interaction.guild_id)
        result = await voting.nominate(
            self.bot.store, self.bot.config, interaction.guild_id, interaction.user.id, found, clock.now()
        )
        title = escape(limits.clip(local_title(found), 200))
        text = _("You nominated **{title}**: it joins the draw when the next ballot opens.").format(title=title)
        if result.replaced is not None:
            before = await self.bot.store.films.get(result.replaced.film_id)
            if before is not None:
                text += " " + _("It replaces your nomination of {title}.").format(
                    title=escape(limits.clip(local_title(before), 200))
                )
        await tell(interaction, text)

    @app_commands.command(name="remind", description="Be pinged for the film of the week's reminders, or stop")
    @app_commands.describe(pings="on: join the server's reminder role; off: leave it")
    @app_commands.choices(pings=[app_commands.Choice(name=name, value=name) for name in ("on", "off")])
    async def remind(self, interaction: discord.Interaction, pings: app_commands.Choice[str]) -> None:
        await tell(interaction, await set_reminded(self.bot, interaction, pings.value == "on"))

    # ----------------------------------------------------------- RSVPs

    @commands.Cog.listener()
    async def on_rsvp_changed(self, guild_id: int, event_id: int) -> None:
        pick = await self.bot.store.weekly.pick_by_event(guild_id, event_id)
        if pick is not None:
            self.poster.refresh_soon(pick_id=pick.id)

    # --------------------------------------------------------- moderators

    @app_commands.command(name="open", description="Open this week's ballot now (moderators)")
    @moderator_only()
    async def open(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        ballot, problem = await self.transitions.open(interaction.guild_id, opened_by=interaction.user.id)
        if problem:
            await tell(
                interaction,
                _("The ballot for {week} is open, but: {problem}").format(week=ballot.week, problem=problem)
                + " "
                + _(RETRYING),
            )
            return
        await tell(
            interaction,
            _("The ballot for {week} is open in {channel}; it closes {when}.").format(
                week=ballot.week, channel=f"<#{ballot.channel_id}>", when=ui.when(ballot.closes_at)
            ),
        )

    @app_commands.command(name="close", description="Close the ballot now and announce the film (moderators)")
    @moderator_only()
    async def close(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        closed, problem = await self.transitions.close(interaction.guild_id, closed_by=interaction.user.id)
        film = await self.bot.store.films.get(closed.result.winner_id)
        title = escape(limits.clip(local_title(film), 200))
        text = _("Closed. Film of the week {week}: **{title}** ({how}).").format(
            week=closed.ballot.week, title=title, how=_(ballots.decided(closed.result).value)
        )
        if problem:
            text += " " + _("But: {problem}").format(problem=problem) + " " + _(RETRYING)
        await tell(interaction, text)

    @app_commands.command(name="extend", description="Give the open ballot more time (moderators)")
    @app_commands.describe(hours="How many hours to add to the closing time (1 to 168)")
    @moderator_only()
    async def extend(
        self, interaction: discord.Interaction, hours: app_commands.Range[int, 1, ballots.MAX_EXTEND_HOURS]
    ) -> None:
        ballot = await ballots.extend_ballot(
            self.bot.store, self.bot.config, interaction.guild_id, hours, interaction.user.id, clock.now()
        )
        self.bot.weekly.wake()
        await tell(
            interaction,
            _("The ballot for {week} now closes {when}.").format(week=ballot.week, when=ui.when(ballot.closes_at)),
        )
        await self.poster.redraw_ballot(ballot.id)

    @app_commands.command(name="pick", description="Choose this week's film without a vote (moderators)")
    @app_commands.describe(film="The film of the week; an open ballot is called off")
    @moderator_only()
    async def pick(self, interaction: discord.Interaction, film: str) -> None:
        found = await self.bot.catalogue.resolve(film, interaction.guild_id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        ended = await ballots.pick_film(
            self.bot.store, self.bot.config, interaction.guild_id, found, interaction.user.id, clock.now()
        )
        if ended.ballot is not None:
            await self.poster.redraw_ballot(ended.ballot.id)
        problem = await self.poster.announce(ended.pick_id)
        self.bot.weekly.wake()
        text = _("**{title}** is the film of the week.").format(title=escape(limits.clip(local_title(found), 200)))
        if problem:
            text += " " + _("But: {problem}").format(problem=problem) + " " + _(RETRYING)
        await tell(interaction, text)

    @app_commands.command(name="skip", description="No film this week (moderators)")
    @moderator_only()
    async def skip(self, interaction: discord.Interaction) -> None:
        ended = await ballots.skip_week(
            self.bot.store, self.bot.config, interaction.guild_id, interaction.user.id, clock.now()
        )
        self.bot.weekly.wake()
        text = _("No film this week.")
        if ended.ballot:
            text += " " + _("The open ballot was called off.")
        await tell(interaction, text)
        if ended.ballot is not None:
            await self.poster.redraw_ballot(ended.ballot.id)

    @app_commands.command(name="cancel", description="Call off the open ballot without a film (moderators)")
    @moderator_only()
    async def cancel(self, interaction: discord.Interaction) -> None:
        ballot = await ballots.cancel_ballot(self.bot.store, interaction.guild_id, interaction.user.id, clock.now())
        self.bot.weekly.wake()
        called_off = _("The ballot for {week} is called off; /week open starts a new one.")
        await tell(interaction, called_off.format(week=ballot.week))
        await self.poster.redraw_ballot(ballot.id)

    @nominate.autocomplete("film")
    @pick.autocomplete("film")
    @suggestions
    async def _film(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot, current, interaction.guild_id)


async def setup(bot: KinoBot) -> None:
    await bot.add_cog(Weekly(bot))
