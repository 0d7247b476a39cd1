"""How ratings look in Discord: the /rate reply and its Share post, a member's ratings, a film's raters."""

from __future__ import annotations

import io

import discord

from bot.club import rating, scales
from bot.club.scales import Scale
from bot.club.weekly.reveal import HIDDEN
from bot.i18n import N_, _, counted
from bot.store.models import Film, Rating
from bot.ui import limits
from bot.ui.charts import FILENAME
from bot.ui.films import CARD_COLOUR, film_label, film_title
from bot.ui.markdown import escape, quoted_review, review_line
from bot.ui.pages import Pages

PER_PAGE = 10
REVIEW_ON_PAGE = 300  # ten reviews and their lines must fit one embed's 6,000 characters
NONE = discord.AllowedMentions.none()


def share_text(member: discord.abc.User, film: Film, rating: Rating, scale: Scale) -> str:
    """The public post: who rated what, how, and the review (hidden if it spoils)."""
    text = _("{member} rated **{film}**: {score}").format(
        member=member.mention, film=escape(film_title(film)), score=scales.show(rating.score, scale)
    )
    if not rating.review:
        return text
    # Escaping can double a review's length; it is shortened before, as clipping the post afterwards
    # could cut off a spoiler's closing mark.
    for room in range(len(rating.review), 0, -100):
        post = f"{text}\n{quoted_review(limits.clip(rating.review, room), rating.spoiler)}"
        if len(post) <= limits.MESSAGE:
            return post
    return text


NOT_HERE = N_("You cannot send messages in this channel, so the bot will not post your rating here for you.")


def _line(number: int, name: str, rating: Rating, scale: Scale) -> str:
    line = f"{number}. {name} — {scales.show(rating.score, scale)}"
    if rating.review:
        # Clipped before it is escaped, so the cut never splits an escape or a spoiler's mark.
        short = limits.clip(" ".join(rating.review.split()), REVIEW_ON_PAGE)
        line += f"\n  {review_line(short, rating.spoiler)}"
    return line


def _header(ratings: list[Rating], scale: Scale) -> str:
    if not ratings:
        return _("No ratings yet.")
    count = counted(len(ratings), "{n} rating", "{n} ratings")
    return _("{ratings} · average {average}").format(
        ratings=count, average=scales.show_average(rating.average(ratings), scale)
    )


def _groups(lines: list[str], room: int) -> list[list[str]]:
    """Up to PER_PAGE lines a page, fewer when escaped reviews run long: a description cut to fit
    could cut a spoiler open, so a page is never filled past what it can show whole."""
    groups: list[list[str]] = []
    size = 0
    for line in lines:
        if groups and len(groups[-1]) < PER_PAGE and size + len(line) + 1 <= room:
            groups[-1].append(line)
            size += len(line) + 1
        else:
            groups.append([line])
            size = len(line)
    return groups or [[]]


def _pages(title: str, lines: list[str], header: str) -> list[discord.Embed]:
    pages = []
    # Room left by the header and by the most a title and "Page n of m" footer can take.
    room = min(limits.EMBED_DESCRIPTION, limits.EMBED_TOTAL - limits.EMBED_TITLE - 100) - len(header) - 2
    for group in _groups(lines, room):
        embed = discord.Embed(title=title, description=header + ("\n\n" + "\n".join(group) if group else ""))
        embed.colour = CARD_COLOUR
        pages.append(limits.fit(embed))
    return pages


def member_pages(name: str, ratings: list[Rating], films: dict[int, Film], scale: Scale) -> list[discord.Embed]:
    """A member's ratings, ten a page, under their count and average."""
    lines = [
        _line(number, escape(film_label(films[r.film_id])) if r.film_id in films else _("(a removed film)"), r, scale)
        for number, r in enumerate(ratings, 1)
    ]
    title = _("{member}'s ratings").format(member=name)
    return _pages(limits.clip(title, limits.EMBED_TITLE), lines, _header(ratings, scale))


def _hidden_header(own: list[Rating]) -> str:
    text = _("The club's ratings of the film of the week are {hidden}.").format(hidden=_(HIDDEN))
    return text + ("" if own else " " + _("You have not rated it yet."))


def film_pages(film: Film, ratings: list[Rating], scale: Scale, hidden: bool = False) -> list[discord.Embed]:
    """Who in this server rated a film and how, best first. Mentions in an embed never ping.

    `hidden`: the film of the week before its reveal; `ratings` hold only the viewer's own, and no
    count or average is given.
    """
    lines = [_line(number, f"<@{r.user_id}>", r, scale) for number, r in enumerate(ratings, 1)]
    header = _hidden_header(ratings) if hidden else _header(ratings, scale)
    title = _("Seen: {film}").format(film=film_title(film))
    return _pages(limits.clip(title, limits.EMBED_TITLE), lines, header)


async def send_chart_pages(interaction: discord.Interaction, pages: list[discord.Embed], png: bytes | None) -> None:
    """Like `send_pages`, with the distribution chart attached to the message and shown on page one
    (None: no ratings to draw, and the page says so in words rather than with an empty axis)."""
    if png is not None:
        pages[0].set_image(url=f"attachment://{FILENAME}")
    view = Pages(pages, interaction.user.id) if len(pages) > 1 else None
    await interaction.response.send_message(
        embed=view.current if view else pages[0],
        view=view or discord.utils.MISSING,
        file=discord.utils.MISSING if png is None else discord.File(io.BytesIO(png), FILENAME),
    )
    if view is not None:
        view.message = await interaction.original_response()
