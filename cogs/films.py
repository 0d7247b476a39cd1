"""/film: looking films up."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui import limits
from bot.ui.films import film_card, film_label

if TYPE_CHECKING:
    from bot.app import KinoBot


class Films(commands.GroupCog, group_name="film", group_description="Look films up"):
    def __init__(self, bot: KinoBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="show", description="Show a film's card")
    @app_commands.describe(title="A title in any language or spelling; pick one from the suggestions")
    async def show(self, interaction: discord.Interaction, title: app_commands.Range[str, 1, 200]) -> None:
        film = await self.bot.catalogue.resolve(title)
        await interaction.response.send_message(embed=film_card(film))

    @show.autocomplete("title")
    async def show_title(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        if current.strip():
            films = [hit.film for hit in await self.bot.catalogue.search(current, limit=limits.CHOICES)]
        else:
            films = await self.bot.catalogue.popular(limits.CHOICES)
        return [app_commands.Choice(name=film_label(film), value=film.key) for film in films]


async def setup(bot: KinoBot) -> None:
    await bot.add_cog(Films(bot))
