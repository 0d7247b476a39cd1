"""Autocomplete shared by the /list commands: lists by name, films from the catalogue or the list."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.catalogue.list_curation import Curation
from bot.ui import limits
from bot.ui.films import film_label
from bot.ui.lists import list_choices
from bot.ui.replies import suggestions
from cogs.films._common import film_choices

Choices = list[app_commands.Choice[str]]


def curation(interaction: discord.Interaction) -> Curation:
    """The list rules over the bot's store (stateless, so one per use costs nothing)."""
    return Curation(interaction.client.store)


@suggestions
async def any_list(interaction: discord.Interaction, current: str) -> Choices:
    """The server's own lists and the bundled ones."""
    if interaction.guild_id is None:
        return []
    return list_choices(await curation(interaction).matching(interaction.guild_id, current))


@suggestions
async def own_list(interaction: discord.Interaction, current: str) -> Choices:
    """Only the lists a moderator can change: bundled ones are read-only."""
    if interaction.guild_id is None:
        return []
    return list_choices(await curation(interaction).matching(interaction.guild_id, current, own_only=True))


@suggestions
async def catalogue_film(interaction: discord.Interaction, current: str) -> Choices:
    return await film_choices(interaction.client, current, interaction.guild_id)


@suggestions
async def film_on_list(interaction: discord.Interaction, current: str) -> Choices:
    """Films already on the list chosen in the `list` option."""
    if interaction.guild_id is None:
        return []
    key = getattr(interaction.namespace, "list", None) or ""
    films = await curation(interaction).films_on(
        interaction.guild_id, str(key), current, interaction.client.catalogue
    )
    return [app_commands.Choice(name=film_label(film), value=film.key) for film in films[: limits.CHOICES]]
