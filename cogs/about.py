"""/about: which kinoclub this is, its licence, and the notices the film sources in use require.

TMDB's terms ask for their notice and logo where an application credits its sources, TMDB's watch
providers for JustWatch's name beside them, and IMDb's datasets for their courtesy line; Wikidata
(CC0) asks for nothing, but members should know where a card's facts come from. Only the sources
this bot actually uses are listed, so a bot that is offline credits no one it does not ask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.i18n import _
from bot.ui import limits

if TYPE_CHECKING:
    from bot.app import KinoBot

TMDB_SITE = "https://www.themoviedb.org"
# TMDB's approved logo, from its logos and attribution page (Discord shows SVG only as a link).
TMDB_LOGO = (
    "https://www.themoviedb.org/assets/2/v4/logos/v2/"
    "blue_short-8e7b30f73a4020692ccca9c88bafe5dcb6f8a62a4c6bc55cd9ba82bb2cd95f6c.svg"
)
JUSTWATCH_SITE = "https://www.justwatch.com"
WIKIDATA_LICENCE = "https://creativecommons.org/publicdomain/zero/1.0/"
IMDB_SITE = "https://www.imdb.com"


def about_embed(version: str, providers: tuple[str, ...], imdb_imported: bool) -> discord.Embed:
    embed = discord.Embed(
        title=_("About kinoclub"),
        description=_(
            "kinoclub {version}, a self-hosted bot for film clubs. Free software under the MIT licence."
        ).format(version=version),
    )
    if "tmdb" in providers:
        embed.add_field(
            name="TMDB",
            value=_("This product uses the TMDB API but is not endorsed or certified by TMDB.")
            + "\n"
            + _(
                "Posters, synopses, taglines and trailers come from [The Movie Database]({site}) "
                "([TMDB logo]({logo}))."
            ).format(site=TMDB_SITE, logo=TMDB_LOGO),
            inline=False,
        )
        embed.add_field(
            name="JustWatch",
            value=_("Where to watch: data by [JustWatch]({site}), through TMDB.").format(site=JUSTWATCH_SITE),
            inline=False,
        )
    if "wikidata" in providers:
        embed.add_field(
            name="Wikidata",
            value=_(
                "Titles in other languages, credits and links between film databases come from Wikidata, whose "
                "data is in the public domain ([CC0 1.0]({licence}))."
            ).format(licence=WIKIDATA_LICENCE),
            inline=False,
        )
    if imdb_imported:
        embed.add_field(
            name="IMDb",
            value=_(
                "Information courtesy of IMDb ({site}). Used with permission. IMDb's datasets are for personal "
                "and non-commercial use only."
            ).format(site=IMDB_SITE),
            inline=False,
        )
    if not providers:
        embed.set_footer(text=_("No online film source is in use: cards show the club's own catalogue."))
    return embed


@app_commands.command(name="about", description="Which kinoclub this is, and where its film data comes from")
@app_commands.guild_only()
async def about(interaction: discord.Interaction) -> None:
    from bot.cli import version  # the version `kinoclub --version` prints, installed or not

    bot: KinoBot = interaction.client
    providers = tuple(provider.name for provider in bot.enrichment.providers)
    embed = about_embed(limits.clip(version(), 40), providers, await bot.store.enrichment.imdb_imported())
    await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: KinoBot) -> None:
    bot.tree.add_command(about)


async def teardown(bot: KinoBot) -> None:
    bot.tree.remove_command(about.name)
