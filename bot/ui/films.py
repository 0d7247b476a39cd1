"""How a film looks in Discord: the autocomplete label and the card."""

from __future__ import annotations

from urllib.parse import quote_plus

import discord

from bot.store.models import Film
from bot.ui import limits

CARD_COLOUR = discord.Colour(0x8B1E3F)


def film_label(film: Film) -> str:
    """"Title (Year) — Director", at most 100 characters, for autocomplete choices and lists."""
    year = f" ({film.year})" if film.year else ""
    director = limits.clip(f" — {film.directors[0]}", 40) if film.directors else ""
    return limits.clip(film.title, limits.CHOICE_NAME - len(year) - len(director)) + year + director


def film_links(film: Film) -> str:
    search = quote_plus(f"{film.title} {film.year or ''}".strip())
    links = []
    if film.imdb:
        links.append(f"[IMDb](https://www.imdb.com/title/{film.imdb}/)")
    else:
        links.append(f"[IMDb search](https://www.imdb.com/find/?q={search})")
    links.append(f"[Letterboxd](https://letterboxd.com/search/films/{search}/)")
    links.append(f"[Wikipedia](https://en.wikipedia.org/w/index.php?search={search})")
    return " · ".join(links)


def film_card(film: Film) -> discord.Embed:
    title = f"{film.title} ({film.year})" if film.year else film.title
    embed = discord.Embed(title=title, description=film.synopsis or None, colour=CARD_COLOUR)
    if film.imdb:
        embed.url = f"https://www.imdb.com/title/{film.imdb}/"
    if film.original_title and film.original_title != film.title:
        embed.add_field(name="Original title", value=film.original_title, inline=False)
    if film.directors:
        name = "Director" if len(film.directors) == 1 else "Directors"
        embed.add_field(name=name, value=limits.join_clipped(film.directors, limits.FIELD_VALUE), inline=True)
    if film.runtime:
        embed.add_field(name="Runtime", value=f"{film.runtime} min", inline=True)
    if film.countries:
        embed.add_field(name="Country", value=limits.join_clipped(film.countries, limits.FIELD_VALUE))
    if film.cast:
        embed.add_field(name="Cast", value=limits.join_clipped(film.cast, limits.FIELD_VALUE), inline=False)
    if film.genres:
        embed.add_field(name="Genres and themes", value=limits.join_clipped(film.genres, limits.FIELD_VALUE))
    embed.add_field(name="Links", value=film_links(film), inline=False)
    return limits.fit(embed)
