"""How /top, /match and /recommend look: ranked pages, a two-member comparison, a short pick list."""

from __future__ import annotations

import discord

from bot.club.scales import Scale, show
from bot.club.taste import Match, Ranked, Recommendation
from bot.i18n import _, counted, number
from bot.store.models import Film
from bot.ui import limits
from bot.ui.films import film_label
from bot.ui.markdown import escape
from bot.ui.pages import chunk

PER_PAGE = 10
DISAGREEMENTS_SHOWN = 5
TASTE_COLOUR = discord.Colour(0xB8860B)


def average(value: float, scale: Scale) -> str:
    """8.4 → "8.40" or "4.20★" (the /top columns; "/10" on every line would be noise)."""
    return f"{number(value / 2, 2)}★" if scale is Scale.STARS else number(value, 2)


def _ratings(count: int) -> str:
    return counted(count, "{n} rating", "{n} ratings")


def top_pages(
    ranked: list[Ranked], films: dict[int, Film], heading: str, prior: float, min_ratings: int, scale: Scale
) -> list[discord.Embed]:
    """Ten lines a page, each "n. Title (Year) — Director · 8.40 (12 ratings)"."""
    footer = _("At least {ratings} · few ratings pull a film towards the club's mean of {mean}").format(
        ratings=_ratings(min_ratings), mean=average(prior, scale)
    )
    pages = []
    for start, group in zip(range(0, len(ranked), PER_PAGE), chunk(ranked, PER_PAGE), strict=True):
        lines = [
            f"{start + n}. {escape(film_label(films[row.film_id]))} · {average(row.bayes, scale)} "
            f"({_ratings(row.count)})"
            for n, row in enumerate(group, 1)
        ]
        embed = discord.Embed(title=heading, description="\n".join(lines), colour=TASTE_COLOUR)
        embed.set_footer(text=footer)
        pages.append(limits.fit(embed))
    return pages


def likeness(r: float) -> str:
    """Words for a correlation, so members need not know what Pearson's r is."""
    if r >= 0.7:
        return _("very similar taste")
    if r >= 0.3:
        return _("similar taste")
    if r > -0.3:
        return _("no clear pattern")
    if r > -0.7:
        return _("different taste")
    return _("opposite taste")


def match_embed(me: int, other: int, result: Match, films: dict[int, Film], scale: Scale) -> discord.Embed:
    common = counted(result.overlap, "{n} film", "{n} films")
    lines = [_("<@{me}> and <@{other}> have both rated {films}.").format(me=me, other=other, films=common)]
    if result.correlation is not None:
        signed = ("+" if result.correlation >= 0 else "-") + number(abs(result.correlation), 2)
        lines.append(
            _("Taste match: **{r}** — {likeness}.").format(r=signed, likeness=likeness(result.correlation))
        )
    elif result.overlap < 3:
        lines.append(_("Rate at least 3 films in common to measure how alike your taste is."))
    else:
        lines.append(_("One of you gave every shared film the same score, so there is no pattern to compare."))
    embed = discord.Embed(title=_("Taste match"), description="\n".join(lines), colour=TASTE_COLOUR)
    apart = [d for d in result.disagreements if d.gap][:DISAGREEMENTS_SHOWN]
    if apart:
        value = "\n".join(
            _("{film}: you {yours}, them {theirs}").format(
                film=escape(film_label(films[d.film_id])), yours=show(d.score_a, scale), theirs=show(d.score_b, scale)
            )
            for d in apart
        )
        embed.add_field(name=_("Where you disagree most"), value=value, inline=False)
    else:
        embed.add_field(name=_("Where you disagree most"), value=_("Nowhere: you scored every shared film alike."))
    return limits.fit(embed)


def recommend_embed(picks: list[Recommendation], films: dict[int, Film], scale: Scale) -> discord.Embed:
    lines = [
        f"{n}. {escape(film_label(films[pick.film_id]))} · {average(pick.score, scale)}\n  {pick.reason}"
        for n, pick in enumerate(picks, 1)
    ]
    embed = discord.Embed(title=_("Films you might like"), description="\n".join(lines), colour=TASTE_COLOUR)
    embed.set_footer(text=_("Predicted from members whose scores move with yours"))
    return limits.fit(embed)
