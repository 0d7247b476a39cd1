"""What members see of the week: a ballot with its films and counts, last week's verdict, the history."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.club.rating import server_scale
from bot.club.scales import Scale
from bot.club.weekly import reveal
from bot.club.weekly import settings as weekly_settings
from bot.club.weekly.tally import count
from bot.store.models import Ballot, BallotResult, Candidate, Film, Pick

if TYPE_CHECKING:
    from bot.config import Config
    from bot.store import Store


@dataclass(frozen=True)
class Verdict:
    """How the club rated a past film of the week."""

    pick: Pick
    film: Film
    ratings: int
    average: float | None
    hidden: bool = False  # its ratings wait for the next ballot to be revealed


@dataclass(frozen=True)
class Board:
    """Everything a ballot message shows."""

    ballot: Ballot
    entries: list[tuple[Candidate, Film]]
    counts: dict[int, int] | None  # None while counts are hidden; once closed, the recorded tally
    voters: int  # once closed, the members whose votes counted
    result: BallotResult | None  # what the close decided, once closed
    previous: Verdict | None  # the last film of the week before this ballot, with its rating
    winner: Film | None  # once closed, or chosen by a moderator
    scale: Scale


async def board(store: Store, config: Config, ballot_id: int) -> Board:
    ballot = await store.weekly.ballot(ballot_id)
    settings = await weekly_settings.load(store, config, ballot.guild_id)
    candidates = await store.weekly.candidates(ballot_id)
    films = {film.id: film for film in await store.films.get_many([c.film_id for c in candidates])}
    entries = [(c, films[c.film_id]) for c in candidates if c.film_id in films]
    result = await store.weekly.result(ballot_id) if ballot.status == "closed" else None
    if result is not None:
        counts: dict[int, int] | None = dict(result.counts)
        voters = result.voters
    else:
        votes = await store.weekly.votes(ballot_id)
        shown = settings.counts_visible or ballot.status != "open"
        counts = count([c.film_id for c in candidates], votes) if shown else None
        voters = len({user for user, _ in votes})
    pick = await store.weekly.pick_of_week(ballot.guild_id, ballot.week)
    winner = None
    if pick is not None and pick.film_id is not None and (pick.ballot_id == ballot.id):
        winner = await store.films.get(pick.film_id)
    return Board(
        ballot=ballot,
        entries=entries,
        counts=counts,
        voters=voters,
        result=result,
        previous=await verdict_before(store, ballot.guild_id, ballot.week),
        winner=winner,
        scale=await server_scale(store, ballot.guild_id),
    )


async def verdict(store: Store, pick: Pick) -> Verdict | None:
    if pick.film_id is None:
        return None
    film = await store.films.get(pick.film_id)
    if film is None:
        return None
    summary = await store.ratings.summary(pick.guild_id, pick.film_id, 0)
    return Verdict(pick, film, summary.count, summary.average)


async def verdict_before(store: Store, guild_id: int, week: str) -> Verdict | None:
    pick = await store.weekly.latest_film_pick(guild_id, week)
    return None if pick is None else await verdict(store, pick)


@dataclass(frozen=True)
class Week:
    """One line of /week history: the pick, the club's rating, and the recorded vote behind it."""

    pick: Pick
    verdict: Verdict | None
    result: BallotResult | None


async def history(store: Store, config: Config, guild_id: int, limit: int) -> tuple[list[Week], Scale]:
    """The past films of the week; the one still awaiting its reveal shows no club rating yet."""
    picks = await store.weekly.history(guild_id, limit)
    hidden = await reveal.hidden_film(store, config, guild_id)
    weeks = []
    for pick in picks:
        result = await store.weekly.result(pick.ballot_id) if pick.how == "vote" else None
        rated = await verdict(store, pick)
        if rated is not None and pick.film_id == hidden:
            rated = dataclasses.replace(rated, hidden=True)
        weeks.append(Week(pick, rated, result))
    return weeks, await server_scale(store, guild_id)


def ranked(result: BallotResult) -> list[tuple[int, int]]:
    """(film id, votes), most votes first; equal counts keep ballot order."""
    order = {film: position for position, (film, _) in enumerate(result.counts)}
    return sorted(result.counts, key=lambda pair: (-pair[1], order[pair[0]]))
