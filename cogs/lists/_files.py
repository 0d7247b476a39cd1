"""/list export, import, copy: lists as YAML files, and a server's own copy of a bundled list."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.catalogue.list_files import check_size
from bot.errors import quote
from bot.i18n import _, counted
from cogs._checks import moderator_only
from cogs._import_guard import importing
from cogs.lists import _options

if TYPE_CHECKING:
    from bot.app import KinoBot
    from bot.catalogue.list_curation import Curation


class FileCommands:
    bot: KinoBot
    curation: Curation

    @app_commands.command(name="export", description="Download a list as a YAML file (moderators)")
    @app_commands.rename(curated="list")
    @app_commands.describe(curated="The list")
    @app_commands.autocomplete(curated=_options.any_list)
    @moderator_only()
    async def export(self, interaction: discord.Interaction, curated: str) -> None:
        filename, data = await self.curation.export(interaction.guild_id, curated)
        await interaction.response.send_message(
            _("{file}: edit it and bring it back with /list import.").format(file=filename),
            file=discord.File(io.BytesIO(data), filename=filename),
            ephemeral=True,
        )

    @app_commands.command(name="import", description="Create or replace a list from a YAML file (moderators)")
    @app_commands.describe(file="A list file as /list export writes it (key, name, description, films)")
    @moderator_only()
    async def import_(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        check_size(file.size, file.filename)
        async with importing(self.bot, interaction, file) as data:
            done = await self.curation.import_file(interaction.guild_id, interaction.user.id, data, file.filename)
        said = (
            _("Created the list {list} (key {key}, {films}).")
            if done.created
            else _("Replaced the entries of the list {list} (key {key}, {films}).")
        )
        films = counted(done.curated.size, "{n} film", "{n} films")
        await interaction.followup.send(
            said.format(list=quote(done.curated.name), key=done.curated.key, films=films),
            ephemeral=True,
        )

    @app_commands.command(name="copy", description="Make this server's own, editable copy of a list (moderators)")
    @app_commands.rename(curated="list")
    @app_commands.describe(curated="The list to copy, usually a bundled one", name="A name for the copy")
    @app_commands.autocomplete(curated=_options.any_list)
    @moderator_only()
    async def copy(self, interaction: discord.Interaction, curated: str, name: str | None = None) -> None:
        copied = await self.curation.copy(interaction.guild_id, interaction.user.id, curated, name)
        await interaction.response.send_message(
            _("Copied into {list} (key {key}, {films}); edit it with /list add, move and remove.").format(
                list=quote(copied.name), key=copied.key, films=counted(copied.size, "{n} film", "{n} films")
            ),
            ephemeral=True,
        )
