"""/film show and /film search."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.catalogue import finder
from bot.errors import quote
from bot.i18n import _, current, speaking
from bot.ui import limits
from bot.ui.films import PER_PAGE, FilmResults, OnlineResults, film_label, online_results, send_results
from bot.ui.replies import suggestions, tell
from cogs._language import public_language
from cogs.films._common import ONLINE, card_for, film_choices, region_of
from cogs.ratings import show_film_ratings

if TYPE_CHECKING:
    from bot.app import KinoBot
    from bot.catalogue.enrichment import Enrichment
    from bot.catalogue.providers.base import Details
    from bot.store.models import Film

log = logging.getLogger("kinoclub")
BUDGET = 1.0  # seconds the providers get before a card goes without what they would add this time


class SearchCommands:
    bot: KinoBot

    async def _send_card(self, interaction: discord.Interaction, film: Film, ephemeral: bool = False) -> None:
        """The card at once from the catalogue (and the cache); what the providers add arrives as an
        edit, so the first answer never waits on the network and a failing provider shows nothing."""
        language = await public_language(self.bot, interaction.guild_id) if not ephemeral else None
        region = await region_of(self.bot, interaction.guild_id)

        async def build(extra: Enrichment | None) -> discord.Embed:
            with speaking(language or current()):
                return await card_for(self.bot, interaction, film, extra, region)

        async def late(extra: Enrichment | None) -> None:
            try:
                await interaction.edit_original_response(embed=await build(extra))
            except discord.HTTPException as error:  # the card is there already; only its poster is missed
                log.info("could not add the providers' data to a card: %s", error.status)

        card = await build(await self.bot.enrichment.cached(film) if self.bot.enrichment.online else None)
        if interaction.response.is_done():
            await interaction.edit_original_response(embed=card, view=None)
        else:
            await interaction.response.send_message(embed=card, ephemeral=ephemeral)
        # Only now are the providers asked: no fetch shares the loop or the database with a first answer.
        await self.bot.enrichment.enrich(film, region=region, budget=0, on_late=late)

    @app_commands.command(name="show", description="Show a film's card")
    @app_commands.describe(title="A title in any language or spelling; pick one from the suggestions")
    async def show(self, interaction: discord.Interaction, title: app_commands.Range[str, 1, 200]) -> None:
        if title.startswith(ONLINE) and self.bot.enrichment.online:
            await self._search_online(interaction, title[len(ONLINE):])
            return
        film = await self.bot.catalogue.resolve(title, interaction.guild_id)  # a refusal: the member's language
        await self._send_card(interaction, film)  # the card: the channel's language

    async def _search_online(self, interaction: discord.Interaction, typed: str) -> None:
        if not typed.strip():
            await tell(interaction, _("Type a title to search online for."))
            return
        await interaction.response.defer(thinking=True)  # the providers may take seconds
        found = await self.bot.enrichment.search_online(typed)
        if not found:
            text = _("Nothing online matches {typed}, or the film sources are not answering just now.")
            await interaction.followup.send(limits.clip(text.format(typed=quote(typed, 80)), limits.MESSAGE))
            return
        view = OnlineResults(found, interaction.user.id, self._online_picked)
        await interaction.followup.send(embed=online_results(typed, found), view=view)

    async def _online_picked(self, interaction: discord.Interaction, details: Details) -> None:
        await interaction.response.defer()
        film = await self.bot.enrichment.add_from(details, interaction.user.id, interaction.guild_id)
        await self._send_card(interaction, film)

    @show.autocomplete("title")
    @suggestions
    async def show_title(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot, current, interaction.guild_id, online=True)

    @app_commands.command(name="ratings", description="Everyone's rating of a film here, with its chart")
    @app_commands.describe(film="A title in any language or spelling; pick one from the suggestions")
    async def ratings(self, interaction: discord.Interaction, film: str) -> None:
        await show_film_ratings(self.bot, interaction, film)

    @ratings.autocomplete("film")
    @suggestions
    async def ratings_film(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot, current, interaction.guild_id)

    @app_commands.command(name="search", description="Find films by title words, people, year, country or genre")
    @app_commands.describe(
        title="Words from the title, in any language or spelling",
        director="A director's name as credited, from its start",
        cast="An actor's name as credited, from its start",
        year="A year (1957), a decade (1950s) or a range (1955-1960)",
        country="A country, e.g. Soviet Union",
        genre="A genre or theme, e.g. War or Parenthood",
    )
    async def search(
        self,
        interaction: discord.Interaction,
        title: str | None = None,
        director: str | None = None,
        cast: str | None = None,
        year: str | None = None,
        country: str | None = None,
        genre: str | None = None,
    ) -> None:
        filters = finder.Filters(title, director, cast, year, country, genre)
        store = self.bot.store
        # Ten films now; each later page is fetched when it is first shown (bot.ui.films.FilmResults).
        found = await finder.find(store, self.bot.catalogue, filters, PER_PAGE)
        if not found.films:
            text = _("No film matches {search}.").format(search=filters.describe())
            if found.suggestions:
                closest = "; ".join(film_label(film) for film in found.suggestions)
                text += " " + _("Closest titles: {titles}.").format(titles=closest)
            await tell(interaction, limits.clip(text, limits.MESSAGE))
            return

        async def fetch(offset: int) -> list[Film]:
            return await finder.page(store, filters, offset, PER_PAGE)

        with speaking(await public_language(self.bot, interaction.guild_id)):
            view = FilmResults(found.films, filters.describe(), interaction.user.id, self._picked, found.total, fetch)
        await send_results(interaction, view)

    async def _picked(self, interaction: discord.Interaction, key: str) -> None:
        film = await self.bot.store.films.get_by_key(key)
        if film is None:
            await tell(interaction, _("That film has been removed from the catalogue since the search."))
            return
        await self._send_card(interaction, film, ephemeral=True)
