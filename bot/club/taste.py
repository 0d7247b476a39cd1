"""The club's taste: its best-rated films, how alike two members rate, and what a member might like next.

Pure functions over the rating matrix (user_id, film_id, score 1..10); no I/O, so every answer can be
checked by hand in tests. Scores stay on the stored 1–10 scale; only reasons are worded per scale.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from bot import i18n
from bot.club.scales import Scale

TOP_MIN_RATINGS = "top_min_ratings"  # guild setting: ratings a film needs before /top ranks it
DEFAULT_MIN_RATINGS = 3
MIN_OVERLAP = 3  # fewer shared films than this and a correlation is noise
MIN_NEIGHBOURS = 2  # a recommendation must rest on more than one member's opinion
MIN_PREDICTION = 7.0  # below this a "recommendation" is a shrug

Matrix = Iterable[tuple[int, int, int]]


class Ranked(NamedTuple):
    film_id: int
    bayes: float
    mean: float
    count: int


class Disagreement(NamedTuple):
    film_id: int
    score_a: int
    score_b: int

    @property
    def gap(self) -> int:
        return abs(self.score_a - self.score_b)


@dataclass(frozen=True)
class Match:
    overlap: int  # films both members rated
    correlation: float | None  # Pearson over the shared films; None if too few or no spread
    disagreements: list[Disagreement]  # every shared film, widest gap first


class Recommendation(NamedTuple):
    film_id: int
    score: float  # predicted, 1–10
    reason: str


def top(
    matrix: Matrix,
    min_ratings: int,
    prior_weight: float | None = None,
    *,
    only: Collection[int] | None = None,
) -> list[Ranked]:
    """Films with at least `min_ratings` ratings, best first by Bayesian average.

    bayes = (C·m + sum) / (C + n), m = the mean of every rating in `matrix`. C defaults to
    `min_ratings`: a film that just qualifies is then pulled halfway to the club's mean, and the pull
    fades as ratings pile up, so two 10s cannot outrank twenty 9s. `only` limits which films are ranked
    (a list filter) while m stays the mean of the whole matrix, so the prior is the club's, not the list's.
    """
    min_ratings = max(1, min_ratings)
    weight = float(min_ratings if prior_weight is None else prior_weight)
    scores: dict[int, list[int]] = defaultdict(list)
    total = count = 0
    for _, film_id, score in matrix:
        scores[film_id].append(score)
        total += score
        count += 1
    if not count:
        return []
    club_mean = total / count
    ranked = [
        Ranked(film_id, (weight * club_mean + sum(given)) / (weight + len(given)), sum(given) / len(given), len(given))
        for film_id, given in scores.items()
        if len(given) >= min_ratings and (only is None or film_id in only)
    ]
    ranked.sort(key=lambda r: (-r.bayes, -r.count, r.film_id))
    return ranked


def club_mean(matrix: Matrix) -> float | None:
    """The mean of every rating, the prior /top pulls towards (None when nobody has rated)."""
    scores = [score for _, _, score in matrix]
    return sum(scores) / len(scores) if scores else None


def pearson(pairs: list[tuple[int, int]]) -> float | None:
    """Pearson's r of (x, y) pairs; None below MIN_OVERLAP pairs or when either side never varies."""
    if len(pairs) < MIN_OVERLAP:
        return None
    n = len(pairs)
    mean_x = sum(x for x, _ in pairs) / n
    mean_y = sum(y for _, y in pairs) / n
    cov = sum((x - mean_x) * (y - mean_y) for x, y in pairs)
    var_x = sum((x - mean_x) ** 2 for x, _ in pairs)
    var_y = sum((y - mean_y) ** 2 for _, y in pairs)
    if var_x == 0 or var_y == 0:
        return None
    return cov / math.sqrt(var_x * var_y)


def _by_user(matrix: Matrix) -> dict[int, dict[int, int]]:
    users: dict[int, dict[int, int]] = defaultdict(dict)
    for user_id, film_id, score in matrix:
        users[user_id][film_id] = score
    return users


def match(matrix: Matrix, a: int, b: int) -> Match:
    """How alike members `a` and `b` rate the films they have both seen."""
    users = _by_user(matrix)
    mine, theirs = users.get(a, {}), users.get(b, {})
    shared = sorted(set(mine) & set(theirs))
    pairs = [(mine[film_id], theirs[film_id]) for film_id in shared]
    disagreements = [Disagreement(film_id, mine[film_id], theirs[film_id]) for film_id in shared]
    disagreements.sort(key=lambda d: (-d.gap, d.film_id))
    return Match(overlap=len(shared), correlation=pearson(pairs), disagreements=disagreements)


def neighbours(matrix: Matrix, user: int) -> dict[int, float]:
    """Members who share `user`'s taste: at least MIN_OVERLAP films in common and a positive correlation."""
    users = _by_user(matrix)
    mine = users.get(user, {})
    found = {}
    for other, theirs in users.items():
        if other == user:
            continue
        shared = set(mine) & set(theirs)
        r = pearson([(mine[film_id], theirs[film_id]) for film_id in shared])
        if r is not None and r > 0:
            found[other] = r
    return found


def recommend(matrix: Matrix, user: int, k: int = 10, scale: Scale = Scale.TEN) -> list[Recommendation]:
    """Films `user` has not rated that members of like taste rated well, best prediction first.

    User-user collaborative filtering: the prediction is the neighbours' scores averaged with their
    correlation as weight, so the closest tastes count most. An empty list when `user` has no
    neighbours yet (or they agree on nothing new worth a 7).
    """
    matrix = list(matrix)
    close = neighbours(matrix, user)
    users = _by_user(matrix)
    seen = users.get(user, {})
    support: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for other, weight in close.items():
        for film_id, score in users[other].items():
            if film_id not in seen:
                support[film_id].append((weight, score))
    picks = []
    for film_id, votes in support.items():
        if len(votes) < MIN_NEIGHBOURS:
            continue
        predicted = sum(w * s for w, s in votes) / sum(w for w, _ in votes)
        if predicted >= MIN_PREDICTION:
            picks.append((predicted, len(votes), film_id, _reason([s for _, s in votes], scale)))
    picks.sort(key=lambda p: (-p[0], -p[1], p[2]))
    return [Recommendation(film_id, predicted, reason) for predicted, _, film_id, reason in picks[:k]]


def _number(value: float) -> str:
    """8.0 → "8", 7.5 → "7.5" ("7,5" in Russian): reasons read as speech, not as a table."""
    return i18n.number(value) if round(value, 1) == round(value) else i18n.number(value, 1)


def _reason(scores: list[int], scale: Scale) -> str:
    high = sum(1 for score in scores if score >= 9)
    if high:
        count, praise = high, (i18n._("4½★ or more") if scale is Scale.STARS else "9+")
    else:
        mean = sum(scores) / len(scores)
        count = len(scores)
        shown = f"{_number(mean / 2)}★" if scale is Scale.STARS else _number(mean)
        praise = i18n._("{score} on average").format(score=shown)
    # Two messages: the count's phrase takes the count's plural form, the sentence the praise.
    members = i18n.counted(count, "by {n} member who shares your taste", "by {n} members who share your taste")
    return i18n._("rated {praise} {by_members}").format(praise=praise, by_members=members)
