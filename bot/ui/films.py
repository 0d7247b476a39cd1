"""How a film looks in Discord: the autocomplete label and the card."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import quote_plus

import discord

from bot.club.scales import Scale, show, show_average
from bot.club.weekly.reveal import HIDDEN
from bot.store.models import CuratedList, Film, FilmLabel, RatingSummary
from bot.text import visible
from bot.ui import limits
from bot.ui.markdown import escape
from bot.ui.pages import Pages, chunk

CARD_COLOUR = discord.Colour(0x8B1E3F)


def film_label(film: Film | FilmLabel) -> str:
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


def rating_text(rating: RatingSummary, scale: Scale = Scale.TEN, hidden: bool = False) -> str:
    """The club's average and count, and the member's own score, on the server's scale.

    `hidden`: the film of the week before its reveal; only the member's own score is shown.
    """
    if hidden:
        text = HIDDEN.capitalize()
    elif not rating.count:
        text = "No ratings yet"
    else:
        members = "member" if rating.count == 1 else "members"
        text = f"{show_average(rating.average, scale)} from {rating.count} {members}"
    if rating.mine is not None:
        text += f" · yours: {show(rating.mine, scale)}"
    return text


def lists_text(lists: Sequence[tuple[CuratedList, str | None]]) -> str:
    lines = []
    for curated, note in lists:
        where = "bundled" if curated.bundled else "this server"
        line = f"**{escape(limits.clip(curated.name, 100))}** ({where})"
        if note:
            line += f": {escape(limits.clip(' '.join(note.split()), 300))}"
        lines.append(line)
    return limits.join_clipped(lines, limits.FIELD_VALUE, separator="\n")


def _names(names: tuple[str, ...]) -> str:
    return limits.join_clipped([escape(name) for name in names], limits.FIELD_VALUE)


def film_card(
    film: Film,
    rating: RatingSummary | None = None,
    lists: Sequence[tuple[CuratedList, str | None]] = (),
    scale: Scale = Scale.TEN,
    hidden: bool = False,
) -> discord.Embed:
    title = f"{film.title} ({film.year})" if film.year else film.title
    embed = discord.Embed(title=title, description=escape(film.synopsis) if film.synopsis else None, colour=CARD_COLOUR)
    if film.imdb:
        embed.url = f"https://www.imdb.com/title/{film.imdb}/"
    if film.original_title and film.original_title != film.title:
        embed.add_field(name="Original title", value=escape(film.original_title), inline=False)
    if film.directors:
        name = "Director" if len(film.directors) == 1 else "Directors"
        embed.add_field(name=name, value=_names(film.directors), inline=True)
    if film.runtime:
        embed.add_field(name="Runtime", value=f"{film.runtime} min", inline=True)
    if film.countries:
        embed.add_field(name="Country", value=_names(film.countries))
    if film.cast:
        embed.add_field(name="Cast", value=_names(film.cast), inline=False)
    if film.genres:
        embed.add_field(name="Genres and themes", value=_names(film.genres))
    if rating is not None:
        embed.add_field(name="Club rating", value=rating_text(rating, scale, hidden), inline=False)
    if film.imdb_rating is not None:
        votes = f" from {film.imdb_votes:,} vote{'' if film.imdb_votes == 1 else 's'}" if film.imdb_votes else ""
        embed.add_field(name="IMDb rating", value=f"{film.imdb_rating:.1f}/10{votes}", inline=False)
    if lists:
        embed.add_field(name="On the club's lists", value=lists_text(lists), inline=False)
    embed.add_field(name="Links", value=film_links(film), inline=False)
    return limits.fit(embed)


PER_PAGE = 10
OnPick = Callable[[discord.Interaction, str], Awaitable[None]]
FetchPage = Callable[[int], Awaitable[list[Film]]]  # offset → the films of that page


def result_page(films: list[Film], start: int, title: str, footer: str) -> discord.Embed:
    """Ten "Title (Year) — Director" lines, numbered from `start` + 1."""
    lines = [f"{start + n}. {escape(film_label(film))}" for n, film in enumerate(films, 1)]
    # A page fetched after films were removed may be empty: say so rather than show nothing.
    text = "\n".join(lines) or "No more films: the catalogue has changed since the search."
    embed = discord.Embed(title=title, description=text, colour=CARD_COLOUR)
    embed.set_footer(text=limits.clip(footer, limits.FOOTER))
    return limits.fit(embed)


class _Built:
    """The pages of a search, each built when first shown; len() counts them all (for Pages)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.embeds: dict[int, discord.Embed] = {}

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> discord.Embed:
        return self.embeds[index]


class FilmResults(Pages):
    """Search results: the page buttons, and a menu of the page's films that shows a chosen card.

    `films` are the first pages; with `total` and `fetch`, a later page is fetched from the store
    when it is first shown, so a search of any size has every page without loading them all.
    """

    def __init__(
        self, films: list[Film], heading: str, owner_id: int, on_pick: OnPick,
        total: int | None = None, fetch: FetchPage | None = None,
    ) -> None:
        self.on_pick = on_pick
        self.fetch = fetch
        # The heading echoes what was searched for; a footer shows no markdown, but would show
        # an invisible or right-to-left character's effect.
        self.heading = limits.clip(visible(heading), 200)
        count = len(films) if total is None or fetch is None else max(total, len(films))
        self.count_title = f"Search: {count:,} film" + ("" if count == 1 else "s")
        self.loaded = dict(enumerate(chunk(films, PER_PAGE)))
        self.menu: discord.ui.Select = discord.ui.Select(placeholder="Show a film's card")
        self.menu.callback = self._picked
        built = _Built(max(1, -(-count // PER_PAGE)))
        self.built = built
        super().__init__([], owner_id)
        self.pages = built  # type: ignore[assignment]  # what Pages reads: len() and [index]
        for index in self.loaded:
            built.embeds[index] = self._embed(index)
        self._refresh()
        self.add_item(self.menu)

    def _embed(self, index: int) -> discord.Embed:
        footer = f"{self.heading} · Page {index + 1} of {len(self.built)}"
        return result_page(self.loaded[index], index * PER_PAGE, self.count_title, footer)

    def _refresh(self) -> None:
        super()._refresh()
        page = self.loaded.get(self.index, [])
        self.menu.options = [
            discord.SelectOption(label=film_label(film), value=film.key[: limits.CHOICE_VALUE]) for film in page
        ] or [discord.SelectOption(label="No films on this page", value="-")]  # Discord wants 1 to 25
        self.menu.disabled = not page

    async def _show(self, interaction: discord.Interaction) -> None:
        index = self.index  # another click may move self.index while this page is fetched
        if index not in self.loaded:
            films = await self.fetch(index * PER_PAGE) if self.fetch else []
            self.loaded[index] = films
            self.built.embeds[index] = self._embed(index)
        self.index = index  # this click shows the page it asked for
        await super()._show(interaction)

    async def _picked(self, interaction: discord.Interaction) -> None:
        await self.on_pick(interaction, self.menu.values[0])


async def send_results(interaction: discord.Interaction, view: FilmResults) -> None:
    await interaction.response.send_message(embed=view.current, view=view)
    view.message = await interaction.original_response()
