"""What the /film commands share: film choices for autocomplete, and the full card for one member."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot import i18n
from bot.catalogue.enrichment import Enrichment
from bot.club.rating import server_scale
from bot.club.region import server_region
from bot.club.weekly import reveal
from bot.i18n import _
from bot.store.models import Film, FilmLabel
from bot.ui import limits
from bot.ui.films import film_card, film_label

if TYPE_CHECKING:
    from bot.app import KinoBot


ONLINE = "online:"  # an autocomplete value asking /film show to search the providers for what follows
FEW = 3  # fewer local suggestions than this, and the online search is offered after them


def online_choice(typed: str) -> app_commands.Choice[str]:
    typed = " ".join(typed.split())
    label = _("Search online for “{typed}”")
    shown = limits.clip(typed, limits.CHOICE_NAME - len(label.format(typed="")))
    value = ONLINE + typed[: limits.CHOICE_VALUE - len(ONLINE)]
    return app_commands.Choice(name=label.format(typed=shown), value=value)


async def film_choices(
    bot: KinoBot, current: str, guild_id: int | None = None, online: bool = False
) -> list[app_commands.Choice[str]]:
    """Suggestions for a film option; with `guild_id`, that server's own films first among equals.

    With `online`, when the catalogue offers few films for what was typed and a provider is on, the
    last suggestion searches the providers for it."""
    if current.strip():
        films: list[Film | FilmLabel] = [*await bot.catalogue.suggest(current, limits.CHOICES, guild_id)]
        if i18n.current() != i18n.ENGLISH:
            # A label carries the catalogue's title alone; the reader's own title is among the film's others.
            films = [*await bot.store.films.get_many([film.id for film in films])]
    else:
        films = [*await bot.catalogue.popular(limits.CHOICES)]
    choices = [app_commands.Choice(name=film_label(film), value=film.key) for film in films[: limits.CHOICES]]
    if online and len(choices) < FEW and len(current.strip()) >= 2 and bot.enrichment.online:
        choices = [*choices[: limits.CHOICES - 1], online_choice(current)]
    return choices


async def region_of(bot: KinoBot, guild_id: int | None) -> str | None:
    return await server_region(bot.store, guild_id) if guild_id and bot.enrichment.online else None


async def card_for(
    bot: KinoBot, interaction: discord.Interaction, film: Film, extra: Enrichment | None = None,
    region: str | None = None,
) -> discord.Embed:
    """The card with this server's rating (and the member's own), the lists it is on, and what the
    providers add (`extra`, with where to watch in `region`)."""
    guild_id = interaction.guild_id or 0
    rating = await bot.store.ratings.summary(guild_id, film.id, interaction.user.id)
    lists = await bot.store.lists.containing(guild_id, film.id)
    hidden = await reveal.hidden_film(bot.store, bot.config, guild_id) == film.id
    return film_card(film, rating, lists, await server_scale(bot.store, guild_id), hidden, extra, region)
