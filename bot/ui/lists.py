"""How curated lists look in Discord: autocomplete labels, a list's pages, the overview."""

from __future__ import annotations

import discord

from bot.store.models import CuratedList, ListEntry
from bot.text import counted
from bot.ui import limits
from bot.ui.films import film_label
from bot.ui.markdown import escape, escape_clipped
from bot.ui.pages import chunk

PER_PAGE = 10
OVERVIEW_PER_PAGE = 20
BUNDLED_MARK = "📚 bundled"
LIST_COLOUR = discord.Colour(0x2E5E4E)
# Ten entries, the title and the description must fit one embed's 6,000 characters together.
NOTE_ON_PAGE = 400
DESCRIPTION_ON_PAGE = 800


def _films(count: int) -> str:
    return counted(count, "film")


def list_label(curated: CuratedList) -> str:
    """"Name · 📚 bundled · 10 films", at most 100 characters, for autocomplete choices."""
    tail = f" · {_films(curated.size)}"
    if curated.bundled:
        tail = f" · {BUNDLED_MARK}{tail}"
    return limits.clip(curated.name, limits.CHOICE_NAME - len(tail)) + tail


def list_choices(lists: list[CuratedList]) -> list[discord.app_commands.Choice[str]]:
    return [
        discord.app_commands.Choice(name=list_label(curated), value=curated.key)
        for curated in lists[: limits.CHOICES]
    ]


def list_pages(curated: CuratedList, entries: list[ListEntry]) -> list[discord.Embed]:
    """The list in order, ten entries a page, each "n. Title (Year) — Director" with its note."""
    footer = f"{BUNDLED_MARK} with kinoclub · /list copy makes it editable" if curated.bundled else None
    pages = []
    for number, group in enumerate(chunk(entries, PER_PAGE)):
        description = escape_clipped(curated.description, DESCRIPTION_ON_PAGE) if curated.description else None
        if not entries:
            description = ((description + "\n\n") if description else "") + "No films on this list yet."
        embed = discord.Embed(
            title=f"{curated.name} · {_films(curated.size)}",
            description=description if number == 0 else None,
            colour=LIST_COLOUR,
        )
        for entry in group:
            embed.add_field(
                name=f"{entry.position}. {escape(film_label(entry.film))}",
                value=escape_clipped(entry.note, NOTE_ON_PAGE) if entry.note else "\u200b",
                inline=False,
            )
        if footer:
            embed.set_footer(text=footer)
        pages.append(limits.fit(embed))
    return pages


def overview_pages(lists: list[CuratedList]) -> list[discord.Embed]:
    """Every list a server can use, with its size; bundled ones marked."""
    if not lists:
        return [discord.Embed(title="Curated lists", description="There are no lists yet.", colour=LIST_COLOUR)]
    pages = []
    for group in chunk(lists, OVERVIEW_PER_PAGE):
        lines = []
        for curated in group:
            mark = f" · {BUNDLED_MARK}" if curated.bundled else ""
            name = escape(limits.clip(curated.name, 100))
            lines.append(f"**{name}** · {_films(curated.size)}{mark}\n`{curated.key}`")
        embed = discord.Embed(title="Curated lists", description="\n".join(lines), colour=LIST_COLOUR)
        embed.set_footer(text="/list show name: to see one")
        pages.append(limits.fit(embed))
    return pages
