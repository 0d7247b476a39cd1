"""The film of the week in Discord: the ballot message, the announcement, its thread, the history."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.club.scales import Scale, show_average
from bot.club.weekly.calendar import parse_iso
from bot.club.weekly.state import Board, Verdict, Week, ranked
from bot.club.weekly.tally import Decided
from bot.store.models import Candidate, Film, Pick
from bot.ui import limits
from bot.ui.films import CARD_COLOUR, film_card, film_label
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
    return f"<t:{int(moment.timestamp())}:{style}>"


def verdict_text(verdict: Verdict, scale: Scale) -> str:
    title = f"**{escape(limits.clip(verdict.film.title, 100))}** ({verdict.pick.week})"
    if not verdict.ratings:
        return f"Last film of the week, {title}: no ratings yet. Seen it? `/rate` it."
    members = "member" if verdict.ratings == 1 else "members"
    return (
        f"Last film of the week, {title}: the club gave it "
        f"{show_average(verdict.average, scale)} from {verdict.ratings} {members}."
    )


def ballot_content(board: Board) -> str:
    ballot = board.ballot
    lines = [f"🎬 **Film of the week — ballot for {ballot.week}**"]
    if ballot.status == "open":
        lines.append(
            "Vote for every film you would watch; press a button again to take your vote back. "
            f"Voting closes {when(ballot.closes_at)} ({when(ballot.closes_at, 'R')})."
        )
        if board.counts is None:
            lines.append("Counts are hidden until the ballot closes.")
    elif ballot.status == "closed":
        lines.append(f"Voting closed {when(ballot.closed_at)}; {voters_text(board)}.")
        if board.winner is not None:
            lines.append(f"Film of the week: **{escape(limits.clip(board.winner.title, 200))}**.")
    else:
        chosen = f" A moderator chose **{escape(limits.clip(board.winner.title, 200))}**." if board.winner else ""
        lines.append(f"This ballot was called off by a moderator.{chosen}")
    if board.previous is not None:
        lines.append(verdict_text(board.previous, board.scale))
    return limits.clip("\n".join(lines), limits.MESSAGE)


def voters_text(board: Board) -> str:
    """"5 members voted", with the votes left out of the recorded count, if any."""
    text = f"{board.voters} member{'s' if board.voters != 1 else ''} voted"
    left = len(board.result.left_out) if board.result is not None else 0
    if left:
        text += f" (the votes of {left} member{'s' if left != 1 else ''} who left the server were not counted)"
    return text


def candidate_embed(candidate: Candidate, film: Film, votes: int | None, winner: bool) -> discord.Embed:
    title = limits.clip_words(f"{candidate.position}. {film.title}", CANDIDATE_TITLE - 8)
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
        f"From {candidate.list_name}"
        if candidate.list_id is not None or candidate.list_name
        else "Nominated by a member"
    )
    if votes is not None:
        source += f" · {votes} vote{'s' if votes != 1 else ''}"
    if winner:
        source = "Film of the week · " + source
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
    suffix = "" if votes is None else f" ({votes})"
    return limits.clip_words(f"{candidate.position} · {film.title}", BUTTON_LABEL - len(suffix)) + suffix


def final_votes(board: Board) -> tuple[str, str] | None:
    """The recorded tally as a field (name, value): most votes first, how the winner was decided."""
    if board.result is None:
        return None
    titles = {c.film_id: f.title for c, f in board.entries}
    lines = [f"{escape(limits.clip(titles.get(film, '(film removed)'), 60))} — {n}" for film, n in ranked(board.result)]
    lines.append(voters_text(board) + ".")
    how = Decided[board.result.decided.upper()].value
    return limits.clip(f"Final votes ({how})", limits.FIELD_NAME), limits.join_clipped(lines, limits.FIELD_VALUE, "\n")


def interested_text(interested: int | None) -> str | None:
    if interested is None:
        return None
    return f"{interested} member{'s' if interested != 1 else ''} interested"


def announcement(
    pick: Pick, film: Film, board: Board | None, scale: Scale, interested: int | None = None
) -> tuple[str, discord.Embed]:
    """The announcement of the film of the week; `interested`: the screening event's RSVPs."""
    content = f"🏆 **Film of the week ({pick.week}): {escape(limits.clip(film.title, 200))}**"
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
                name=limits.clip(f"Curator's note{where}", limits.FIELD_NAME),
                value=escape(limits.clip(note, limits.FIELD_VALUE // 2)),
                inline=False,
            )
    elif pick.how == "moderator":
        embed.insert_field_at(0, name="Chosen by", value="a moderator, without a vote", inline=False)
    if pick.screening_at:
        rsvp = interested_text(interested)
        embed.add_field(
            name="Screening",
            value=f"{when(pick.screening_at)} ({when(pick.screening_at, 'R')})" + (f" · {rsvp}" if rsvp else ""),
            inline=False,
        )
    embed.add_field(
        name="After watching",
        value="Rate it with `/rate` — the club's average is revealed when the next ballot opens.",
        inline=False,
    )
    return content, limits.fit(embed)


def thread_name(pick: Pick, film: Film) -> str:
    return limits.clip(f"{pick.week} · {film.title}", THREAD_NAME)


def etiquette(pick: Pick, film: Film) -> str:
    until = f"until the screening {when(pick.screening_at)}" if pick.screening_at else "for the first week"
    return limits.clip(
        f"Discussion of **{escape(film.title)}**, film of the week {pick.week}. Spoiler etiquette: {until}, "
        "wrap plot details in spoiler tags, `||like this||`, so members who have not seen it yet can read along.",
        limits.MESSAGE,
    )


def votes_text(titles: list[str], voted: bool, pressed: str) -> str:
    pressed = escape(pressed)
    head = f"You voted for **{pressed}**." if voted else f"You took back your vote for **{pressed}**."
    if not titles:
        return head + " You vote for nothing on this ballot now."
    return limits.clip(head + " Your votes: " + ", ".join(escape(title) for title in titles) + ".", limits.MESSAGE)


def history_pages(entries: list[Week], scale: Scale) -> list[discord.Embed]:
    if not entries:
        return [discord.Embed(title="Films of the week", description="No film of the week yet.", colour=CARD_COLOUR)]
    pages = []
    for page in chunk(entries, HISTORY_PER_PAGE):
        lines = []
        for week in page:
            pick, verdict = week.pick, week.verdict
            if verdict is None:
                lines.append(
                    f"**{pick.week}** — skipped" if pick.film_id is None else f"**{pick.week}** — (film removed)"
                )
                continue
            if verdict.hidden:
                rating = "ratings hidden until the next ballot opens"
            elif verdict.ratings:
                rating = f"{show_average(verdict.average, scale)} from {verdict.ratings}"
            else:
                rating = "no ratings yet"
            how = " · chosen by a moderator" if pick.how == "moderator" else _won(week)
            lines.append(f"**{pick.week}** — {escape(limits.clip(film_label(verdict.film), 100))} · {rating}{how}")
        pages.append(discord.Embed(title="Films of the week", description="\n".join(lines), colour=CARD_COLOUR))
    return pages


def _won(week: Week) -> str:
    """" · 3 votes from 5 members": the recorded tally behind a voted pick."""
    if week.result is None:
        return ""
    votes = dict(week.result.counts).get(week.result.winner_id, 0)
    voters = week.result.voters
    return f" · {votes} vote{'s' if votes != 1 else ''} from {voters} member{'s' if voters != 1 else ''}"


def jump_url(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def event_url(guild_id: int, event_id: int) -> str:
    return f"https://discord.com/events/{guild_id}/{event_id}"


def role_ping(role_id: int | None) -> str:
    return f"<@&{role_id}> " if role_id else ""


def close_reminder(board: Board, role_id: int | None) -> str:
    """Before the close: the candidates, how many have voted so far, and the way to the ballot."""
    ballot = board.ballot
    names = [f"{c.position}. {escape(limits.clip(f.title, 80))}" for c, f in board.entries]
    where = (
        f" [Open the ballot]({jump_url(ballot.guild_id, ballot.channel_id, ballot.message_id)})."
        if ballot.message_id
        else ""
    )
    voted = f"{board.voters} member{'s have' if board.voters != 1 else ' has'} voted so far."
    lines = [
        f"{role_ping(role_id)}⏰ **The ballot for {ballot.week} closes {when(ballot.closes_at, 'R')}** "
        f"({when(ballot.closes_at)}). {voted}{where}",
        limits.join_clipped(names, 1200, " · "),
    ]
    return limits.clip("\n".join(lines), limits.MESSAGE)


def screening_reminder(pick: Pick, film: Film, interested: int | None, role_id: int | None) -> str:
    """Before the screening: the event, the thread, and who said they are coming."""
    parts = [
        f"{role_ping(role_id)}🍿 **{escape(limits.clip(film.title, 200))}**, film of the week {pick.week}: "
        f"the screening starts {when(pick.screening_at, 'R')} ({when(pick.screening_at)})."
    ]
    if pick.event_id:
        rsvp = interested_text(interested)
        parts.append(f"[The event]({event_url(pick.guild_id, pick.event_id)})" + (f": {rsvp}." if rsvp else "."))
    if pick.thread_id:
        parts.append(f"Talk about it in <#{pick.thread_id}>.")
    return limits.clip(" ".join(parts), limits.MESSAGE)


def rating_prompt(pick: Pick, film: Film) -> str:
    return limits.clip(
        f"⭐ How was **{escape(film.title)}**? Rate the film of the week {pick.week} with the button below "
        "(or `/rate`). The club's verdict is revealed when the next ballot opens.",
        limits.MESSAGE,
    )
