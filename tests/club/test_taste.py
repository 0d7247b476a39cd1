"""The club's taste maths on small matrices whose answers were worked out by hand (shown beside them)."""

from __future__ import annotations

import pytest

from bot.club import taste
from bot.club.scales import Scale

# ----------------------------------------------------------------------------- /top

# Every score's deviation from 8 sums to zero (film 1: +2 −2, films 2 and 3: +6 each, film 4: −12),
# so the club mean m is exactly 8.
TOP = [
    *[(u, 1, s) for u, s in ((1, 10), (2, 6))],
    *[(u, 2, 9) for u in range(1, 7)],
    *[(u, 3, 10) for u in range(1, 4)],
    *[(u, 4, 4) for u in range(1, 4)],
    *[(u, 5, 8) for u in range(1, 4)],
    *[(u, 6, 8) for u in range(1, 4)],
    *[(u, 7, 8) for u in range(1, 5)],
    *[(u, 8, 8) for u in range(1, 4)],
]


def test_top_orders_by_bayesian_average_with_c_equal_to_min_ratings():
    ranked = taste.top(TOP, 3)
    # C = 3, m = 8:  film 3 (24+30)/6 = 9.0 · film 2 (24+54)/9 = 8.667 · films 5–8 at exactly 8.0
    # (their mean is m), film 7 first for its 4 ratings, then 5, 6, 8 by id · film 4 (24+12)/6 = 6.0.
    # Film 1 has only 2 ratings and does not qualify.
    assert [row.film_id for row in ranked] == [3, 2, 7, 5, 6, 8, 4]
    assert ranked[0] == (3, pytest.approx(9.0), 10.0, 3)
    assert ranked[1].bayes == pytest.approx(78 / 9) and ranked[1].mean == 9.0 and ranked[1].count == 6
    assert ranked[-1].bayes == pytest.approx(6.0)
    assert taste.club_mean(TOP) == 8.0


def test_top_prior_weight_and_list_filter():
    # With no prior the order is the plain mean: 10, 9, the 8s (count then id), 4.
    assert [row.film_id for row in taste.top(TOP, 3, prior_weight=0)] == [3, 2, 7, 5, 6, 8, 4]
    # C = 12 pulls harder: film 3 (96+30)/15 = 8.4, film 2 (96+54)/18 = 8.333; film 3 still first.
    heavy = taste.top(TOP, 3, prior_weight=12)
    assert heavy[0].bayes == pytest.approx(8.4) and heavy[1].bayes == pytest.approx(150 / 18)
    # `only` ranks the list's films but the prior stays the whole club's mean (8): film 4 stays at 6.0.
    listed = taste.top(TOP, 3, only={4, 2, 1})
    assert [(row.film_id, round(row.bayes, 3)) for row in listed] == [(2, 8.667), (4, 6.0)]
    assert taste.top(TOP, 2)[-1].film_id == 4 and 1 in {row.film_id for row in taste.top(TOP, 2)}
    assert taste.top([], 3) == []


# ---------------------------------------------------------------------- /match and /recommend

A, B, C, D, E = 1, 2, 3, 4, 5
TASTES = {
    A: {1: 9, 2: 8, 3: 3, 4: 7},
    B: {1: 10, 2: 7, 3: 2, 4: 8, 5: 9, 6: 4, 7: 9, 8: 8, 9: 10},
    C: {1: 8, 2: 9, 3: 4, 4: 6, 5: 8, 6: 9, 7: 10, 8: 7},
    D: {1: 2, 2: 3, 3: 9, 4: 4, 5: 1, 6: 10, 7: 2, 8: 10},  # A's opposite: never a neighbour
    E: {1: 9, 2: 8, 6: 10, 8: 10},  # only 2 films in common with A: too few to judge
}
MATRIX = [(user, film, score) for user, films in TASTES.items() for film, score in films.items()]


def test_match_pearson_by_hand():
    result = taste.match(MATRIX, A, B)
    # A = 9 8 3 7, B = 10 7 2 8; both means 6.75.
    # dA = 2.25 1.25 −3.75 0.25 · dB = 3.25 0.25 −4.75 1.25
    # Σ dA·dB = 7.3125 + 0.3125 + 17.8125 + 0.3125 = 25.75
    # Σ dA² = 20.75 · Σ dB² = 34.75 · r = 25.75 / √(20.75 × 34.75) = 25.75 / 26.8526 = 0.9589
    assert result.overlap == 4
    assert abs(result.correlation - 0.9589) < 1e-4
    # Gaps: film 1 |9−10| = 1, film 2 1, film 3 1, film 4 1 → all 1, so by film id.
    assert [d.film_id for d in result.disagreements] == [1, 2, 3, 4]
    assert result.disagreements[0] == (1, 9, 10)


def test_match_disagreements_widest_first_and_no_correlation_cases():
    opposite = taste.match(MATRIX, A, D)
    # Gaps: film 1 7, film 2 5, film 3 6, film 4 3.
    assert [(d.film_id, d.gap) for d in opposite.disagreements] == [(1, 7), (3, 6), (2, 5), (4, 3)]
    assert opposite.correlation < -0.9
    assert taste.match(MATRIX, A, E).correlation is None  # overlap 2
    flat = [(1, f, 5) for f in (1, 2, 3)] + [(2, f, s) for f, s in ((1, 3), (2, 7), (3, 9))]
    assert taste.match(flat, 1, 2).overlap == 3 and taste.match(flat, 1, 2).correlation is None
    assert taste.match(MATRIX, A, 99) == taste.Match(0, None, [])


def test_recommend_by_hand():
    # Neighbours of A: B r = 0.9589 (above) and C:
    #   C = 8 9 4 6, mean 6.75, dC = 1.25 2.25 −2.75 −0.75
    #   Σ dA·dC = 2.8125 + 2.8125 + 10.3125 − 0.1875 = 15.75 · Σ dC² = 14.75
    #   r = 15.75 / √(20.75 × 14.75) = 15.75 / 17.4947 = 0.9003
    # D is negative, E shares only 2 films. Weights sum 1.8592. Candidates rated by both B and C:
    #   film 7: (9·0.9589 + 10·0.9003) / 1.8592 = 9.484 (two 9+)
    #   film 5: (9·0.9589 + 8·0.9003) / 1.8592 = 8.516 (one 9+)
    #   film 8: (8·0.9589 + 7·0.9003) / 1.8592 = 7.516 (no 9+: plain mean 7.5)
    #   film 6: (4·0.9589 + 9·0.9003) / 1.8592 = 6.421 → below 7, dropped (D's and E's 10s do not count)
    #   film 9: only B rated it → dropped
    neighbours = taste.neighbours(MATRIX, A)
    assert set(neighbours) == {B, C} and abs(neighbours[C] - 0.9003) < 1e-4
    picks = taste.recommend(MATRIX, A)
    assert [pick.film_id for pick in picks] == [7, 5, 8]
    assert [round(pick.score, 3) for pick in picks] == [9.484, 8.516, 7.516]
    assert [pick.reason for pick in picks] == [
        "rated 9+ by 2 members who share your taste",
        "rated 9+ by 1 member who shares your taste",
        "rated 7.5 on average by 2 members who share your taste",
    ]
    stars = taste.recommend(MATRIX, A, scale=Scale.STARS)
    assert stars[0].reason == "rated 4½★ or more by 2 members who share your taste"
    assert stars[2].reason == "rated 3.8★ on average by 2 members who share your taste"
    assert taste.recommend(MATRIX, A, k=1) == picks[:1]


def test_recommend_ties_break_on_support_then_film_id_and_empty_without_neighbours():
    me = {1: 2, 2: 5, 3: 8}
    twin = {1: 2, 2: 5, 3: 8}  # r = 1 with me, and with each other
    matrix = [(0, f, s) for f, s in me.items()]
    for user in (1, 2, 3):
        matrix += [(user, f, s) for f, s in twin.items()]
    # Film 20: 8 from all three (support 3); films 10 and 11: 8 from two. All predict 8.0.
    matrix += [(u, 20, 8) for u in (1, 2, 3)] + [(u, 11, 8) for u in (1, 2)] + [(u, 10, 8) for u in (2, 3)]
    assert [pick.film_id for pick in taste.recommend(matrix, 0)] == [20, 10, 11]
    newcomer = [*MATRIX, (7, 1, 9), (7, 2, 8)]  # two films in common with anyone: no neighbour yet
    assert taste.neighbours(newcomer, 7) == {} and taste.recommend(newcomer, 7) == []
    assert taste.recommend(MATRIX, 99) == []
