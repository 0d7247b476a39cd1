"""Shared steps for the film-of-the-week behaviour tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot import clock
from bot.store.models import Ballot


def text_of(result) -> str:
    """What the member read last: a deferred reply arrives as the response, later ones as follow-ups."""
    return result.followups[-1].content if result.followups else result.response.content


def follow_simulated_clock(club, start: datetime | None = None) -> None:
    """The bot reads SimCord's virtual clock (shifted to `start`), so `advance_time` moves its schedule."""
    offset = timedelta(0) if start is None else start - club.env.now()
    clock.use(lambda: club.env.now() + offset)


STEP = 12 * 3600  # SimCord settles each advance within 5 s; the scheduler wakes at least hourly


async def advance_to(club, instant: datetime) -> None:
    """Move the virtual clock to `instant`, half a day at a time."""
    seconds = (instant - clock.now()).total_seconds()
    assert seconds > 0, (instant, clock.now())
    while seconds > 0:
        step = min(seconds, STEP)
        await club.env.advance_time(step)
        seconds -= step


async def turn_on(club, channel=None, **options) -> str:
    """The moderator sets the weekly channel (and any other settings) with /club weekly."""
    result = await club.mod.slash(club.channel, "club weekly", channel=channel or club.channel, **options)
    assert result.ephemeral, result
    assert text_of(result).startswith("Saved."), text_of(result)
    return text_of(result)


async def open_ballot(club) -> Ballot:
    result = await club.mod.slash(club.channel, "week open")
    assert "is open in" in text_of(result), text_of(result)
    ballot = await club.store.weekly.open_ballot(club.guild.id)
    assert ballot is not None and ballot.message_id is not None
    return ballot


def message(channel, message_id: int):
    (found,) = [m for m in channel.history() if m.id == message_id]
    return found


def labels(msg) -> list[str]:
    return [child.label for row in msg.components for child in row.children]


def buttons(msg) -> list:
    return [child for row in msg.components for child in row.children]


async def candidates(club, ballot: Ballot) -> list[tuple[int, str]]:
    """(film id, button label) in ballot order."""
    rows = await club.store.weekly.candidates(ballot.id)
    msg = message(club.channel, ballot.message_id)
    return list(zip([row.film_id for row in rows], labels(msg), strict=True))


async def vote(member, club, ballot: Ballot, position: int):
    """Press the button of the candidate at `position` (1-based) on the posted ballot."""
    msg = message(club.channel, ballot.message_id)
    button = buttons(msg)[position - 1]
    return await member.click(msg, custom_id=button.custom_id)


async def stored_votes(club, ballot: Ballot) -> set[tuple[int, int]]:
    return set(await club.store.weekly.votes(ballot.id))
