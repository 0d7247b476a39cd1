"""How curated lists look in Discord: autocomplete labels, a list's pages, the overview."""

from __future__ import annotations

import discord

from bot.i18n import N_, _, counted, localised
from bot.store.models import CuratedList, ListEntry
from bot.ui import limits
from bot.ui.films import film_label
from bot.ui.markdown import escape, escape_clipped
from bot.ui.pages import chunk

PER_PAGE = 10
OVERVIEW_PER_PAGE = 20
BUNDLED_MARK = N_("📚 bundled")
LIST_COLOUR = discord.Colour(0x2E5E4E)
# Ten entries, the title and the description must fit one embed's 6,000 characters together.
NOTE_ON_PAGE = 400
DESCRIPTION_ON_PAGE = 800


def _films(count: int) -> str:
    return counted(count, "{n} film", "{n} films")


def bundled_mark() -> str:
    return _(BUNDLED_MARK)


def description(curated: CuratedList) -> str | None:
    """The list's description in the reader's language when the bundle has one."""
    return localised(getattr(curated, "descriptions", {}) or {}, curated.description)


def note(entry: ListEntry) -> str | None:
    return localised(getattr(entry, "notes", {}) or {}, entry.note)


def list_label(curated: CuratedList) -> str:
    """"Name · 📚 bundled · 10 films", at most 100 characters, for autocomplete choices."""
    tail = f" · {_films(curated.size)}"
    if curated.bundled:
        tail = f" · {bundled_mark()}{tail}"
    return limits.clip(curated.name, limits.CHOICE_NAME - len(tail)) + tail


def list_choices(lists: list[CuratedList]) -> list[discord.app_commands.Choice[str]]:
    return [
        discord.app_commands.Choice(name=list_label(curated), value=curated.key)
        for curated in lists[: limits.CHOICES]
    ]


def list_pages(curated: CuratedList, entries: list[ListEntry]) -> list[discord.Embed]:
    """The list in order, ten entries a page, each "n. Title (Year) — Director" with its note."""
    footer = (
        _("{bundled} with kinoclub · /list copy makes it editable").format(bundled=bundled_mark())
        if curated.bundled
        else None
    )
    about = description(curated)
    pages = []
    for page, group in enumerate(chunk(entries, PER_PAGE)):
        text = escape_clipped(about, DESCRIPTION_ON_PAGE) if about else None
        if not entries:
            text = ((text + "\n\n") if text else "") + _("No films on this list yet.")
        embed = discord.Embed(
            title=f"{curated.name} · {_films(curated.size)}",
            description=text if page == 0 else None,
            colour=LIST_COLOUR,
        )
        for entry in group:
            said = note(entry)
            embed.add_field(
                name=f"{entry.position}. {escape(film_label(entry.film))}",
                value=escape_clipped(said, NOTE_ON_PAGE) if said else "\u200b",
                inline=False,
            )
        if footer:
            embed.set_footer(text=footer)
        pages.append(limits.fit(embed))
    return pages


def overview_pages(lists: list[CuratedList]) -> list[discord.Embed]:
    """Every list a server can use, with its size; bundled ones marked."""
    title = _("Curated lists")
    if not lists:
        return [discord.Embed(title=title, description=_("There are no lists yet."), colour=LIST_COLOUR)]
    pages = []
    for group in chunk(lists, OVERVIEW_PER_PAGE):
        lines = []
        for curated in group:
            mark = f" · {bundled_mark()}" if curated.bundled else ""
            name = escape(limits.clip(curated.name, 100))
            lines.append(f"**{name}** · {_films(curated.size)}{mark}\n`{curated.key}`")
        embed = discord.Embed(title=title, description="\n".join(lines), colour=LIST_COLOUR)
        embed.set_footer(text=_("/list show name: to see one"))
        pages.append(limits.fit(embed))
    return pages
