"""/film show and /film search."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.catalogue import finder
from bot.i18n import _, speaking
from bot.ui import limits
from bot.ui.films import PER_PAGE, FilmResults, film_label, send_results
from bot.ui.replies import suggestions, tell
from cogs._language import public_language
from cogs.films._common import card_for, film_choices
from cogs.ratings import show_film_ratings

if TYPE_CHECKING:
    from bot.app import KinoBot
    from bot.store.models import Film


class SearchCommands:
    bot: KinoBot

    @app_commands.command(name="show", description="Show a film's card")
    @app_commands.describe(title="A title in any language or spelling; pick one from the suggestions")
    async def show(self, interaction: discord.Interaction, title: app_commands.Range[str, 1, 200]) -> None:
        film = await self.bot.catalogue.resolve(title, interaction.guild_id)  # a refusal: the member's language
        with speaking(await public_language(self.bot, interaction.guild_id)):  # the card: the channel's
            card = await card_for(self.bot, interaction, film)
        await interaction.response.send_message(embed=card)

    @show.autocomplete("title")
    @suggestions
    async def show_title(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot, current, interaction.guild_id)

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
        card = await card_for(self.bot, interaction, film)
        await interaction.response.send_message(embed=card, ephemeral=True)
