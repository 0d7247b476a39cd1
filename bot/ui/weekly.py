"""The film of the week in Discord: the ballot message, the announcement, its thread, the history."""

from __future__ import annotations

from datetime import datetime

import discord
from discord.utils import format_dt

from bot import i18n
from bot.club.scales import Scale, show_average
from bot.club.weekly.calendar import parse_iso
from bot.club.weekly.state import Board, Verdict, Week, ranked
from bot.club.weekly.tally import Decided
from bot.i18n import _
from bot.store.models import Candidate, Film, Pick
from bot.ui import limits
from bot.ui.films import CARD_COLOUR, film_card, film_label, local_title
from bot.ui.markdown import escape
from bot.ui.pages import chunk

BALLOT_COLOUR = discord.Colour(0x2F4F6F)
WINNER_COLOUR = discord.Colour(0xC9A227)
BUTTON_LABEL = 80
# Up to 10 candidates share one message's 6,000 characters of embeds.
CANDIDATE_TITLE, CANDIDATE_TEXT, CANDIDATE_FOOTER = 120, 350, 110
THREAD_NAME = 100
HISTORY_PER_PAGE = 10


def when(instant: str | datetime, style: str = "F") -> str:
    """A Discord timestamp: each member sees it in their own time zone."""
    moment = parse_iso(instant) if isinstance(instant, str) else instant
    return format_dt(moment, style)


def verdict_text(verdict: Verdict, scale: Scale) -> str:
    title = f"**{escape(limits.clip(local_title(verdict.film), 100))}** ({verdict.pick.week})"
    if not verdict.ratings:
        return _("Last film of the week, {title}: no ratings yet. Seen it? `/rate` it.").format(title=title)
    return _("Last film of the week, {title}: the club gave it {average} {from_members}.").format(
        title=title,
        average=show_average(verdict.average, scale),
        from_members=i18n.counted(verdict.ratings, "from {n} member", "from {n} members"),
    )


def ballot_content(board: Board) -> str:
    ballot = board.ballot
    lines = [_("🎬 **Film of the week — ballot for {week}**").format(week=ballot.week)]
    if ballot.status == "open":
        lines.append(
            _(
                "Vote for every film you would watch; press a button again to take your vote back. "
                "Voting closes {when} ({relative})."
            ).format(when=when(ballot.closes_at), relative=when(ballot.closes_at, "R"))
        )
        if board.counts is None:
            lines.append(_("Counts are hidden until the ballot closes."))
    elif ballot.status == "closed":
        closed = _("Voting closed {when}; {voters}.")
        lines.append(closed.format(when=when(ballot.closed_at), voters=voters_text(board)))
        if board.winner is not None:
            lines.append(
                _("Film of the week: **{title}**.").format(title=escape(limits.clip(local_title(board.winner), 200)))
            )
    else:
        lines.append(_("This ballot was called off by a moderator."))
        if board.winner:
            lines[-1] += " " + _("A moderator chose **{title}**.").format(
                title=escape(limits.clip(local_title(board.winner), 200))
            )
    if board.previous is not None:
        lines.append(verdict_text(board.previous, board.scale))
    return limits.clip("\n".join(lines), limits.MESSAGE)


def voters_text(board: Board) -> str:
    """"5 members voted", with the votes left out of the recorded count, if any."""
    text = i18n.counted(board.voters, "{n} member voted", "{n} members voted")
    left = len(board.result.left_out) if board.result is not None else 0
    if left:
        text += " " + i18n.counted(
            left,
            "(the votes of {n} member who left the server were not counted)",
            "(the votes of {n} members who left the server were not counted)",
        )
    return text


def candidate_embed(candidate: Candidate, film: Film, votes: int | None, winner: bool) -> discord.Embed:
    title = limits.clip_words(f"{candidate.position}. {local_title(film)}", CANDIDATE_TITLE - 8)
    if film.year:
        title += f" ({film.year})"
    parts = []
    if film.directors:
        parts.append(f"*{escape(limits.join_clipped(list(film.directors), 80))}*")
    if film.synopsis:
        parts.append(escape(limits.clip_words(_first_sentence(film.synopsis), 160)))
    if candidate.note:
        parts.append("> " + escape(limits.clip_words(" ".join(candidate.note.split()), 140)))
    embed = discord.Embed(
        title=title,
        description=limits.clip_words("\n".join(parts), CANDIDATE_TEXT) or None,
        colour=WINNER_COLOUR if winner else BALLOT_COLOUR,
    )
    source = (
        _("From {list}").format(list=candidate.list_name)
        if candidate.list_id is not None or candidate.list_name
        else _("Nominated by a member")
    )
    if votes is not None:
        source += " · " + i18n.counted(votes, "{n} vote", "{n} votes")
    if winner:
        source = _("Film of the week") + " · " + source
    embed.set_footer(text=limits.clip_words(source, CANDIDATE_FOOTER))
    return embed


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end == -1 else text[: end + 1]


def ballot_embeds(board: Board) -> list[discord.Embed]:
    return [
        candidate_embed(
            candidate,
            film,
            None if board.counts is None else board.counts.get(candidate.film_id, 0),
            board.winner is not None and board.winner.id == film.id,
        )
        for candidate, film in board.entries
    ]


def button_label(candidate: Candidate, film: Film, votes: int | None) -> str:
    suffix = "" if votes is None else f" ({i18n.number(votes)})"
    return limits.clip_words(f"{candidate.position} · {local_title(film)}", BUTTON_LABEL - len(suffix)) + suffix


def final_votes(board: Board) -> tuple[str, str] | None:
    """The recorded tally as a field (name, value): most votes first, how the winner was decided."""
    if board.result is None:
        return None
    titles = {c.film_id: local_title(f) for c, f in board.entries}
    # English shows the bare number ("— 2"); languages whose readers expect the noun add it in the
    # plural form the number takes ("— 2 голоса"), hence the same English text for both forms.
    lines = [
        f"{escape(limits.clip(titles.get(film) or _('(film removed)'), 60))} " + i18n.counted(n, "— {n}", "— {n}")
        for film, n in ranked(board.result)
    ]
    lines.append(voters_text(board) + ".")
    how = _(Decided[board.result.decided.upper()].value)
    name = _("Final votes ({how})").format(how=how)
    return limits.clip(name, limits.FIELD_NAME), limits.join_clipped(lines, limits.FIELD_VALUE, "\n")


def interested_text(interested: int | None) -> str | None:
    if interested is None:
        return None
    return i18n.counted(interested, "{n} member interested", "{n} members interested")


def announcement(
    pick: Pick, film: Film, board: Board | None, scale: Scale, interested: int | None = None
) -> tuple[str, discord.Embed]:
    """The announcement of the film of the week; `interested`: the screening event's RSVPs."""
    content = _("🏆 **Film of the week ({week}): {title}**").format(
        week=pick.week, title=escape(limits.clip(local_title(film), 200))
    )
    embed = film_card(film, scale=scale)
    embed.colour = WINNER_COLOUR
    tally = None if board is None or pick.how != "vote" else final_votes(board)
    if tally is not None:
        embed.insert_field_at(0, name=tally[0], value=tally[1], inline=False)
        note = next((c.note for c, f in board.entries if f.id == film.id and c.note), None)
        source = next((c for c, f in board.entries if f.id == film.id), None)
        if note:
            where = f" ({escape(source.list_name)})" if source is not None and source.list_name else ""
            embed.insert_field_at(
                1,
                name=limits.clip(_("Curator's note") + where, limits.FIELD_NAME),
                value=escape(limits.clip(note, limits.FIELD_VALUE // 2)),
                inline=False,
            )
    elif pick.how == "moderator":
        embed.insert_field_at(0, name=_("Chosen by"), value=_("a moderator, without a vote"), inline=False)
    if pick.screening_at:
        rsvp = interested_text(interested)
        embed.add_field(
            name=_("Screening"),
            value=f"{when(pick.screening_at)} ({when(pick.screening_at, 'R')})" + (f" · {rsvp}" if rsvp else ""),
            inline=False,
        )
    embed.add_field(
        name=_("After watching"),
        value=_("Rate it with `/rate` — the club's average is revealed when the next ballot opens."),
        inline=False,
    )
    return content, limits.fit(embed)


def thread_name(pick: Pick, film: Film) -> str:
    return limits.clip(f"{pick.week} · {local_title(film)}", THREAD_NAME)


def etiquette(pick: Pick, film: Film) -> str:
    if pick.screening_at:
        until = _("until the screening {when}").format(when=when(pick.screening_at))
    else:
        until = _("for the first week")
    return limits.clip(
        _(
            "Discussion of **{title}**, film of the week {week}. Spoiler etiquette: {until}, "
            "wrap plot details in spoiler tags, `||like this||`, so members who have not seen it yet can read along."
        ).format(title=escape(local_title(film)), week=pick.week, until=until),
        limits.MESSAGE,
    )


def votes_text(titles: list[str], voted: bool, pressed: str) -> str:
    pressed = escape(pressed)
    if voted:
        head = _("You voted for **{title}**.").format(title=pressed)
    else:
        head = _("You took back your vote for **{title}**.").format(title=pressed)
    if not titles:
        return head + " " + _("You vote for nothing on this ballot now.")
    votes = _("Your votes: {titles}.").format(titles=", ".join(escape(title) for title in titles))
    return limits.clip(head + " " + votes, limits.MESSAGE)


def history_pages(entries: list[Week], scale: Scale) -> list[discord.Embed]:
    if not entries:
        return [
            discord.Embed(title=_("Films of the week"), description=_("No film of the week yet."), colour=CARD_COLOUR)
        ]
    pages = []
    for page in chunk(entries, HISTORY_PER_PAGE):
        lines = []
        for week in page:
            pick, verdict = week.pick, week.verdict
            if verdict is None:
                gone = _("skipped") if pick.film_id is None else _("(film removed)")
                lines.append(f"**{pick.week}** — {gone}")
                continue
            if verdict.hidden:
                rating = _("ratings hidden until the next ballot opens")
            elif verdict.ratings:
                rating = _("{average} from {ratings}").format(
                    average=show_average(verdict.average, scale), ratings=i18n.number(verdict.ratings)
                )
            else:
                rating = _("no ratings yet")
            how = " · " + _("chosen by a moderator") if pick.how == "moderator" else _won(week)
            lines.append(f"**{pick.week}** — {escape(limits.clip(film_label(verdict.film), 100))} · {rating}{how}")
        pages.append(discord.Embed(title=_("Films of the week"), description="\n".join(lines), colour=CARD_COLOUR))
    return pages


def _won(week: Week) -> str:
    """" · 3 votes from 5 members": the recorded tally behind a voted pick."""
    if week.result is None:
        return ""
    votes = dict(week.result.counts).get(week.result.winner_id, 0)
    voters = week.result.voters
    tally = i18n.counted(votes, "{n} vote", "{n} votes")
    return f" · {tally} " + i18n.counted(voters, "from {n} member", "from {n} members")


def jump_url(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def event_url(guild_id: int, event_id: int) -> str:
    return f"https://discord.com/events/{guild_id}/{event_id}"


def role_ping(role_id: int | None) -> str:
    return f"<@&{role_id}> " if role_id else ""


def close_reminder(board: Board, role_id: int | None) -> str:
    """Before the close: the candidates, how many have voted so far, and the way to the ballot."""
    ballot = board.ballot
    names = [f"{c.position}. {escape(limits.clip(local_title(f), 80))}" for c, f in board.entries]
    where = (
        " " + _("[Open the ballot]({url}).").format(url=jump_url(ballot.guild_id, ballot.channel_id, ballot.message_id))
        if ballot.message_id
        else ""
    )
    voted = i18n.counted(board.voters, "{n} member has voted so far.", "{n} members have voted so far.")
    head = _("⏰ **The ballot for {week} closes {relative}** ({when}).").format(
        week=ballot.week, relative=when(ballot.closes_at, "R"), when=when(ballot.closes_at)
    )
    lines = [
        f"{role_ping(role_id)}{head} {voted}{where}",
        limits.join_clipped(names, 1200, " · "),
    ]
    return limits.clip("\n".join(lines), limits.MESSAGE)


def screening_reminder(pick: Pick, film: Film, interested: int | None, role_id: int | None) -> str:
    """Before the screening: the event, the thread, and who said they are coming."""
    parts = [
        role_ping(role_id)
        + _("🍿 **{title}**, film of the week {week}: the screening starts {relative} ({when}).").format(
            title=escape(limits.clip(local_title(film), 200)),
            week=pick.week,
            relative=when(pick.screening_at, "R"),
            when=when(pick.screening_at),
        )
    ]
    if pick.event_id:
        rsvp = interested_text(interested)
        event = _("[The event]({url})").format(url=event_url(pick.guild_id, pick.event_id))
        parts.append(event + (f": {rsvp}." if rsvp else "."))
    if pick.thread_id:
        parts.append(_("Talk about it in {thread}.").format(thread=f"<#{pick.thread_id}>"))
    return limits.clip(" ".join(parts), limits.MESSAGE)


def rating_prompt(pick: Pick, film: Film) -> str:
    return limits.clip(
        _(
            "⭐ How was **{title}**? Rate the film of the week {week} with the button below "
            "(or `/rate`). The club's verdict is revealed when the next ballot opens."
        ).format(title=escape(local_title(film)), week=pick.week),
        limits.MESSAGE,
    )
