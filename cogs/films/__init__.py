"""/film: looking films up (everyone) and curating the catalogue (moderators)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands
from discord.ext import commands

from cogs.films._curation import CurationCommands
from cogs.films._search import SearchCommands

if TYPE_CHECKING:
    from bot.app import KinoBot


@app_commands.guild_only()
class Films(SearchCommands, CurationCommands, commands.GroupCog, group_name="film", group_description="Films"):
    def __init__(self, bot: KinoBot) -> None:
        self.bot = bot
        super().__init__()


async def setup(bot: KinoBot) -> None:
    await bot.add_cog(Films(bot))
