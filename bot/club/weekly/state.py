"""What members see of the week: a ballot with its films and counts, last week's verdict, the history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.club.rating import server_scale
from bot.club.scales import Scale
from bot.club.weekly import settings as weekly_settings
from bot.club.weekly.tally import count
from bot.store.models import Ballot, Candidate, Film, Pick

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


@dataclass(frozen=True)
class Board:
    """Everything a ballot message shows."""

    ballot: Ballot
    entries: list[tuple[Candidate, Film]]
    counts: dict[int, int] | None  # None while counts are hidden
    voters: int
    previous: Verdict | None  # the last film of the week before this ballot, with its rating
    winner: Film | None  # once closed, or chosen by a moderator
    scale: Scale


async def board(store: Store, config: Config, ballot_id: int) -> Board:
    ballot = await store.weekly.ballot(ballot_id)
    settings = await weekly_settings.load(store, config, ballot.guild_id)
    candidates = await store.weekly.candidates(ballot_id)
    films = {film.id: film for film in await store.films.get_many([c.film_id for c in candidates])}
    entries = [(c, films[c.film_id]) for c in candidates if c.film_id in films]
    votes = await store.weekly.votes(ballot_id)
    shown = settings.counts_visible or ballot.status != "open"
    counts = count([c.film_id for c in candidates], votes) if shown else None
    pick = await store.weekly.pick_of_week(ballot.guild_id, ballot.week)
    winner = None
    if pick is not None and pick.film_id is not None and (pick.ballot_id == ballot.id):
        winner = await store.films.get(pick.film_id)
    return Board(
        ballot=ballot,
        entries=entries,
        counts=counts,
        voters=len({user for user, _ in votes}),
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


async def history(store: Store, guild_id: int, limit: int) -> tuple[list[tuple[Pick, Verdict | None]], Scale]:
    picks = await store.weekly.history(guild_id, limit)
    return [(pick, await verdict(store, pick)) for pick in picks], await server_scale(store, guild_id)
