"""/list: the club's curated lists. Members browse; moderators curate (_curation.py) and move
lists in and out as YAML files (_files.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalogue.list_curation import Curation
from bot.i18n import speaking
from bot.ui.lists import list_pages, overview_pages
from bot.ui.pages import send_pages
from cogs._language import public_language
from cogs.lists import _options
from cogs.lists._curation import CurationCommands
from cogs.lists._files import FileCommands

if TYPE_CHECKING:
    from bot.app import KinoBot


@app_commands.guild_only()
class Lists(
    CurationCommands, FileCommands, commands.GroupCog, group_name="list", group_description="The club's curated lists"
):
    def __init__(self, bot: KinoBot) -> None:
        self.bot = bot
        self.curation = Curation(bot.store)
        super().__init__()

    @app_commands.command(name="show", description="Show a curated list, in order, with the curator's notes")
    @app_commands.describe(name="The list; pick one from the suggestions")
    @app_commands.autocomplete(name=_options.any_list)
    async def show(self, interaction: discord.Interaction, name: str) -> None:
        curated = await self.curation.usable(interaction.guild_id, name)
        entries = await self.bot.store.lists.entries(curated.id)
        # Posted in the channel for everyone: the server's language, not the asking member's.
        with speaking(await public_language(self.bot, interaction.guild_id)):
            pages = list_pages(curated, entries)
        await send_pages(interaction, pages)

    @app_commands.command(name="all", description="Every list this server can use, with its size")
    async def all(self, interaction: discord.Interaction) -> None:
        lists = await self.curation.matching(interaction.guild_id, "")
        with speaking(await public_language(self.bot, interaction.guild_id)):
            pages = overview_pages(lists)
        await send_pages(interaction, pages)


async def setup(bot: KinoBot) -> None:
    await bot.add_cog(Lists(bot))
