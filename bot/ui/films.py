"""How a film looks in Discord: the autocomplete label and the card, titled in the reader's language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from urllib.parse import quote_plus

import discord

from bot import i18n
from bot.catalogue import vocabulary
from bot.catalogue.enrichment import Enrichment
from bot.catalogue.providers.base import Details, Watch
from bot.catalogue.providers.tmdb import image_url
from bot.catalogue.titles import local_title, other_titles
from bot.club.scales import Scale, show, show_average
from bot.club.weekly.reveal import HIDDEN
from bot.i18n import _, counted
from bot.store.models import CuratedList, Film, FilmLabel, RatingSummary
from bot.text import visible
from bot.ui import limits
from bot.ui.markdown import escape
from bot.ui.pages import Pages, chunk
from bot.ui.views import View

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


def _trailer_url(trailer: str) -> str:
    return trailer if trailer.startswith("https://") else f"https://www.youtube.com/watch?v={quote_plus(trailer)}"


def film_links(film: Film, trailer: str | None = None) -> str:
    search = quote_plus(f"{film.title} {film.year or ''}".strip())
    links = [_("[Trailer]({url})").format(url=_trailer_url(trailer))] if trailer else []
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


def _synopsis(film: Film, extra: Enrichment | None) -> str:
    """The catalogue's synopsis in the reader's language, else a provider's, else either in English."""
    ours, theirs = getattr(film, "synopses", {}), extra.synopses if extra else {}
    language = i18n.current()
    return (ours.get(language) or theirs.get(language) or (film.synopsis if language == i18n.ENGLISH else None)
            or film.synopsis or theirs.get(i18n.ENGLISH) or "")


def _offers(watch: Watch) -> str:
    lines = []
    for label, names in ((_("Stream"), watch.stream), (_("Rent"), watch.rent), (_("Buy"), watch.buy)):
        if names:
            lines.append(f"{label}: {limits.join_clipped([escape(name) for name in names], 300)}")
    lines.append(_("[All offers on TMDB]({url})").format(url=watch.link))
    return limits.join_clipped(lines, limits.FIELD_VALUE, separator="\n")


def _enriched(embed: discord.Embed, extra: Enrichment, region: str | None) -> None:
    """The poster, and where to watch in the server's region; the footer credits whose data is shown."""
    credits = []
    if extra.poster_path:
        # w342 is what a thumbnail is shown at; "original" can be many megabytes, and TMDB asks for sizes.
        embed.set_thumbnail(url=image_url(extra.poster_path, "w342"))
    watch = extra.watch_in(region)
    if watch is not None:
        embed.add_field(name=_("Where to watch ({region})").format(region=watch.region), value=_offers(watch),
                        inline=False)
    if "tmdb" in extra.providers and (extra.poster_path or extra.synopses or extra.tagline or extra.trailer or watch):
        credits.append(_("Poster and texts: TMDB. This product uses the TMDB API but is not endorsed or certified by "
                         "TMDB."))
    if watch is not None:
        credits.append(_("Where to watch: JustWatch."))
    if credits:
        embed.set_footer(text=limits.clip(" ".join(credits), limits.FOOTER))


def film_card(
    film: Film,
    rating: RatingSummary | None = None,
    lists: Sequence[tuple[CuratedList, str | None, Mapping[str, str]]] = (),
    scale: Scale = Scale.TEN,
    hidden: bool = False,
    extra: Enrichment | None = None,
    region: str | None = None,
) -> discord.Embed:
    """The card; `extra` (what online providers said) adds a poster, texts the catalogue lacks,
    a trailer and where to watch in `region`."""
    synopsis = _synopsis(film, extra)
    tagline = i18n.localised(extra.tagline, "") if extra else ""
    parts = [f"*{escape(tagline)}*"] if tagline else []
    parts += [escape(synopsis)] if synopsis else []
    description = "\n\n".join(parts) or None
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
        embed.add_field(name=_("Country"), value=_names(tuple(vocabulary.country(c) for c in film.countries)))
    if film.cast:
        embed.add_field(name=_("Cast"), value=_names(film.cast), inline=False)
    if film.genres:
        embed.add_field(name=_("Genres and themes"), value=_names(tuple(vocabulary.genre(g) for g in film.genres)))
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
    embed.add_field(name=_("Links"), value=film_links(film, extra.trailer if extra else None), inline=False)
    if extra is not None:
        _enriched(embed, extra, region)
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


OnOnlinePick = Callable[[discord.Interaction, Details], Awaitable[None]]


def online_label(details: Details) -> str:
    """"Title (Year) — Director" of a provider's search result, in the reader's language where it has it."""
    title = details.titles.get(i18n.current()) or details.title or details.original_title or details.provider_id
    year = f" ({details.year})" if details.year else ""
    director = limits.clip(f" — {details.directors[0]}", 40) if details.directors else ""
    return limits.clip(title, limits.CHOICE_NAME - len(year) - len(director)) + year + director


class OnlineResults(View):
    """What an online search found, as a menu: the member who searched picks the film to add."""

    def __init__(self, found: list[Details], owner_id: int, on_pick: OnOnlinePick) -> None:
        super().__init__(timeout=600)
        self.found = found[: limits.CHOICES]
        self.owner_id = owner_id
        self.on_pick = on_pick
        self.menu: discord.ui.Select = discord.ui.Select(placeholder=_("Add a film to the catalogue and show it"))
        self.menu.options = [
            discord.SelectOption(label=online_label(details), value=str(n)) for n, details in enumerate(self.found)
        ]
        self.menu.callback = self._picked
        self.add_item(self.menu)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        await super().interaction_check(interaction)
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(
                _("This search belongs to whoever ran it; search yourself with /film show."), ephemeral=True
            )
            return False
        return True

    async def _picked(self, interaction: discord.Interaction) -> None:
        await self.on_pick(interaction, self.found[int(self.menu.values[0])])


def online_results(typed: str, found: list[Details]) -> discord.Embed:
    lines = [f"{n}. {escape(online_label(details))}" for n, details in enumerate(found[: limits.CHOICES], 1)]
    title = _("Found online: {films}").format(films=counted(len(lines), "{n} film", "{n} films"))
    embed = discord.Embed(title=title, description="\n".join(lines), colour=CARD_COLOUR)
    embed.set_footer(text=limits.clip(_("Searched for: {typed}").format(typed=visible(typed)), limits.FOOTER))
    return limits.fit(embed)
