"""How a film looks in Discord: the autocomplete label and the card, titled in the reader's language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from urllib.parse import quote_plus

import discord

from bot import i18n
from bot.catalogue.titles import local_title, other_titles
from bot.club.scales import Scale, show, show_average
from bot.club.weekly.reveal import HIDDEN
from bot.i18n import _, counted
from bot.store.models import CuratedList, Film, FilmLabel, RatingSummary
from bot.text import visible
from bot.ui import limits
from bot.ui.markdown import escape
from bot.ui.pages import Pages, chunk

CARD_COLOUR = discord.Colour(0x8B1E3F)


def film_title(film: Film | FilmLabel) -> str:
    """"Title (Year)" in the reader's language: a reply's or a post's name for the film."""
    title = local_title(film)
    return f"{title} ({film.year})" if film.year else title


def film_label(film: Film | FilmLabel) -> str:
    """"Title (Year) — Director", at most 100 characters, for autocomplete choices and lists.

    A reader who does not read English sees their own title first, then the original and English ones;
    an English reader the catalogue's title alone, as the card shows the original beside it."""
    year = f" ({film.year})" if film.year else ""
    director = limits.clip(f" — {film.directors[0]}", 40) if film.directors else ""
    titles = [local_title(film)]
    if i18n.current() != i18n.ENGLISH:
        titles += other_titles(film)
    return limits.clip(" / ".join(titles), limits.CHOICE_NAME - len(year) - len(director)) + year + director


def film_links(film: Film) -> str:
    search = quote_plus(f"{film.title} {film.year or ''}".strip())
    links = []
    if film.imdb:
        links.append(f"[IMDb](https://www.imdb.com/title/{film.imdb}/)")
    else:
        links.append(_("[IMDb search]({url})").format(url=f"https://www.imdb.com/find/?q={search}"))
    links.append(f"[Letterboxd](https://letterboxd.com/search/films/{search}/)")
    links.append(f"[Wikipedia](https://en.wikipedia.org/w/index.php?search={search})")
    return " · ".join(links)


def rating_text(rating: RatingSummary, scale: Scale = Scale.TEN, hidden: bool = False) -> str:
    """The club's average and count, and the member's own score, on the server's scale.

    `hidden`: the film of the week before its reveal; only the member's own score is shown.
    """
    if hidden:
        text = _(HIDDEN).capitalize()
    elif not rating.count:
        text = _("No ratings yet")
    else:
        raters = counted(rating.count, "from {n} member", "from {n} members")
        # The number's phrase is its own message: its noun takes the count's form, then sits after the average.
        text = _("{average} {from_members}").format(
            average=show_average(rating.average, scale), from_members=raters
        )
    if rating.mine is not None:
        text += _(" · yours: {score}").format(score=show(rating.mine, scale))
    return text


def lists_text(lists: Sequence[tuple[CuratedList, str | None, Mapping[str, str]]]) -> str:
    lines = []
    for curated, english, notes in lists:
        note = i18n.localised(notes, english or "")
        where = _("bundled") if curated.bundled else _("this server")
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
    lists: Sequence[tuple[CuratedList, str | None, Mapping[str, str]]] = (),
    scale: Scale = Scale.TEN,
    hidden: bool = False,
) -> discord.Embed:
    synopsis = i18n.localised(getattr(film, "synopses", {}), film.synopsis or "")
    description = escape(synopsis) if synopsis else None
    embed = discord.Embed(title=film_title(film), description=description, colour=CARD_COLOUR)
    if film.imdb:
        embed.url = f"https://www.imdb.com/title/{film.imdb}/"
    shown = local_title(film)
    if film.original_title and film.original_title != shown:
        embed.add_field(name=_("Original title"), value=escape(film.original_title), inline=False)
    if film.title != shown:
        embed.add_field(name=_("English title"), value=escape(film.title), inline=False)
    if film.directors:
        name = _("Director") if len(film.directors) == 1 else _("Directors")
        embed.add_field(name=name, value=_names(film.directors), inline=True)
    if film.runtime:
        embed.add_field(name=_("Runtime"), value=_("{minutes} min").format(minutes=film.runtime), inline=True)
    if film.countries:
        embed.add_field(name=_("Country"), value=_names(film.countries))
    if film.cast:
        embed.add_field(name=_("Cast"), value=_names(film.cast), inline=False)
    if film.genres:
        embed.add_field(name=_("Genres and themes"), value=_names(film.genres))
    if rating is not None:
        embed.add_field(name=_("Club rating"), value=rating_text(rating, scale, hidden), inline=False)
    if film.imdb_rating is not None:
        score = i18n.number(film.imdb_rating, 1)
        if film.imdb_votes:
            votes = counted(film.imdb_votes, "{n} vote", "{n} votes")
            value = _("{score}/10 from {votes}").format(score=score, votes=votes)
        else:
            value = _("{score}/10").format(score=score)
        embed.add_field(name=_("IMDb rating"), value=value, inline=False)
    if lists:
        embed.add_field(name=_("On the club's lists"), value=lists_text(lists), inline=False)
    embed.add_field(name=_("Links"), value=film_links(film), inline=False)
    return limits.fit(embed)


PER_PAGE = 10
OnPick = Callable[[discord.Interaction, str], Awaitable[None]]
FetchPage = Callable[[int], Awaitable[list[Film]]]  # offset → the films of that page


def result_page(films: list[Film], start: int, title: str, footer: str) -> discord.Embed:
    """Ten "Title (Year) — Director" lines, numbered from `start` + 1."""
    lines = [f"{start + n}. {escape(film_label(film))}" for n, film in enumerate(films, 1)]
    # A page fetched after films were removed may be empty: say so rather than show nothing.
    text = "\n".join(lines) or _("No more films: the catalogue has changed since the search.")
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
        # Later pages are built on a click, in the clicker's task: they keep the language the first was in.
        self.language = i18n.current()
        self.count_title = _("Search: {films}").format(films=counted(count, "{n} film", "{n} films"))
        self.loaded = dict(enumerate(chunk(films, PER_PAGE)))
        self.menu: discord.ui.Select = discord.ui.Select(placeholder=_("Show a film's card"))
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
        with i18n.speaking(self.language):
            page = _("Page {number} of {pages}").format(number=index + 1, pages=len(self.built))
            return result_page(self.loaded[index], index * PER_PAGE, self.count_title, f"{self.heading} · {page}")

    def _refresh(self) -> None:
        super()._refresh()
        page = self.loaded.get(self.index, [])
        with i18n.speaking(self.language):
            self.menu.options = [
                discord.SelectOption(label=film_label(film), value=film.key[: limits.CHOICE_VALUE]) for film in page
            ] or [discord.SelectOption(label=_("No films on this page"), value="-")]  # Discord wants 1 to 25
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
