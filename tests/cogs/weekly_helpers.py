"""Shared steps for the film-of-the-week behaviour tests."""

from __future__ import annotations

from bot import clock
from bot.store.models import Ballot


def text_of(result) -> str:
    """What the member read last: a deferred reply arrives as the response, later ones as follow-ups."""
    return result.followups[-1].content if result.followups else result.response.content


def follow_simulated_clock(club) -> None:
    """The bot reads SimCord's virtual clock, so `advance_time` moves its schedule."""
    clock.use(club.env.now)


async def turn_on(club, **options) -> None:
    """The moderator sets the weekly channel (and any other settings) with /club weekly."""
    result = await club.mod.slash(club.channel, "club weekly", channel=club.channel, **options)
    assert result.ephemeral, result
    assert text_of(result).startswith("Saved."), text_of(result)


async def open_ballot(club) -> Ballot:
    result = await club.mod.slash(club.channel, "week open")
    text = text_of(result)
    assert "is open in" in text, text
    ballot = await club.store.weekly.open_ballot(club.guild.id)
    assert ballot is not None and ballot.message_id is not None
    return ballot


def ballot_message(club, ballot: Ballot):
    (message,) = [m for m in club.channel.history() if m.id == ballot.message_id]
    return message


def labels(message) -> list[str]:
    return [child.label for row in message.components for child in row.children]
