"""Drawing a ballot's candidates: random, weighted by list, reproducible from a stored seed.

Each place on the ballot is drawn in two steps: a pool (one curated list in rotation, or the
members' nominations) chosen in proportion to its weight among the pools that still have an
eligible film, then a film from that pool uniformly. A film on several lists is drawn once, from
whichever list reached it first. When fewer eligible films exist than places, the ballot is shorter.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    film_id: int
    note: str | None = None
    nominated_by: int | None = None


@dataclass(frozen=True)
class Pool:
    """Where candidates come from: a curated list (list_id) or the members' nominations (None)."""

    list_id: int | None
    name: str
    weight: int
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Drawn:
    film_id: int
    pool: Pool
    entry: Entry


def draw(pools: list[Pool], places: int, seed: int, exclude: Collection[int] = ()) -> list[Drawn]:
    """Up to `places` distinct films, never one in `exclude`, the same for the same arguments."""
    rng = random.Random(seed)
    taken = set(exclude)
    remaining = [
        (pool, [entry for entry in sorted(pool.entries, key=lambda e: e.film_id) if entry.film_id not in taken])
        for pool in sorted(pools, key=lambda p: (p.list_id is None, p.list_id or 0))
        if pool.weight > 0
    ]
    drawn: list[Drawn] = []
    while len(drawn) < places:
        remaining = [(pool, [e for e in entries if e.film_id not in taken]) for pool, entries in remaining]
        remaining = [(pool, entries) for pool, entries in remaining if entries]
        if not remaining:
            break
        ((pool, entries),) = rng.choices(remaining, weights=[pool.weight for pool, _ in remaining])
        entry = entries[rng.randrange(len(entries))]
        taken.add(entry.film_id)
        drawn.append(Drawn(entry.film_id, pool, entry))
    return drawn
