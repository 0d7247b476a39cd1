"""What the /film commands share: film choices for autocomplete, and the full card for one member."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot import i18n
from bot.club.rating import server_scale
from bot.club.weekly import reveal
from bot.store.models import Film, FilmLabel
from bot.ui import limits
from bot.ui.films import film_card, film_label

if TYPE_CHECKING:
    from bot.app import KinoBot


async def film_choices(bot: KinoBot, current: str, guild_id: int | None = None) -> list[app_commands.Choice[str]]:
    """Suggestions for a film option; with `guild_id`, that server's own films first among equals."""
    if current.strip():
        films: list[Film | FilmLabel] = [*await bot.catalogue.suggest(current, limits.CHOICES, guild_id)]
        if i18n.current() != i18n.ENGLISH:
            # A label carries the catalogue's title alone; the reader's own title is among the film's others.
            films = [*await bot.store.films.get_many([film.id for film in films])]
    else:
        films = [*await bot.catalogue.popular(limits.CHOICES)]
    return [app_commands.Choice(name=film_label(film), value=film.key) for film in films[: limits.CHOICES]]


async def card_for(bot: KinoBot, interaction: discord.Interaction, film: Film) -> discord.Embed:
    """The card with this server's rating (and the member's own) and the lists it is on."""
    guild_id = interaction.guild_id or 0
    rating = await bot.store.ratings.summary(guild_id, film.id, interaction.user.id)
    lists = await bot.store.lists.containing(guild_id, film.id)
    hidden = await reveal.hidden_film(bot.store, bot.config, guild_id) == film.id
    return film_card(film, rating, lists, await server_scale(bot.store, guild_id), hidden)
