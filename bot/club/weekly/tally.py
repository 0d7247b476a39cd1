"""Counting a ballot (each member votes for as many films as they like) and breaking ties, as the README documents it.

The film with the most votes wins. A tie goes to the film whose list the club picked from least
recently (a list never picked from comes first; members' nominations count as one list); if still
tied, to the first of the tied films in an order shuffled by the ballot's stored seed, so the same
ballot always gives the same winner.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from bot.i18n import N_


class Decided(Enum):
    """How the winner was chosen; the value is English, translated where it is shown."""

    MOST_VOTES = N_("most votes")
    LIST_ROTATION = N_("a tie, broken by the list picked from least recently")
    SEED = N_("a tie, broken by the ballot's random seed")


@dataclass(frozen=True)
class Result:
    winner: int  # film id
    counts: dict[int, int]  # film id -> votes, every candidate present
    decided: Decided


def count(
    candidates: Iterable[int], votes: Iterable[tuple[int, int]], voters: set[int] | None = None
) -> dict[int, int]:
    """Votes per candidate from (user id, film id) pairs; only `voters` count when given."""
    counts = dict.fromkeys(candidates, 0)
    tally = Counter(film for user, film in votes if (voters is None or user in voters) and film in counts)
    counts.update(tally)
    return counts


def decide(counts: Mapping[int, int], last_pick_from_source: Mapping[int, str | None], seed: int) -> Result:
    """The winner. `last_pick_from_source` gives, per film, when its list last gave the club a film
    (an ISO time, or None if never)."""
    if not counts:
        raise ValueError("a ballot without candidates has no winner")
    best = max(counts.values())
    tied = sorted(film for film, votes in counts.items() if votes == best)
    if len(tied) == 1:
        return Result(tied[0], dict(counts), Decided.MOST_VOTES)
    # Never picked from sorts before any time; "" sorts before every ISO text.
    staleness = {film: last_pick_from_source.get(film) or "" for film in tied}
    oldest = min(staleness.values())
    stalest = [film for film in tied if staleness[film] == oldest]
    if len(stalest) == 1:
        return Result(stalest[0], dict(counts), Decided.LIST_ROTATION)
    random.Random(seed).shuffle(stalest)
    return Result(stalest[0], dict(counts), Decided.SEED)
