"""Drawing a ballot: reproducible from its seed, weighted by list, every film at most once."""

from __future__ import annotations

import math

from bot.club.weekly.draw import Entry, Pool, draw


def pool(list_id: int | None, weight: int, *film_ids: int) -> Pool:
    return Pool(list_id, f"list {list_id}", weight, tuple(Entry(film_id, f"note {film_id}") for film_id in film_ids))


SOVIET = pool(1, 1, 11, 12, 13, 14, 15, 16)
PARENTHOOD = pool(2, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)


def films(drawn) -> list[int]:
    return [d.film_id for d in drawn]


def test_the_same_seed_draws_the_same_ballot():
    for seed in (0, 1, 7, 2**61 + 3):
        first = draw([SOVIET, PARENTHOOD], 4, seed)
        assert len(first) == 4
        assert draw([SOVIET, PARENTHOOD], 4, seed) == first
        # The order the pools are handed over in does not change the draw.
        assert draw([PARENTHOOD, SOVIET], 4, seed) == first


def test_different_seeds_draw_different_ballots():
    ballots = {tuple(films(draw([SOVIET, PARENTHOOD], 4, seed))) for seed in range(50)}
    assert len(ballots) > 10


def test_a_drawn_film_keeps_its_pool_and_entry():
    nominations = Pool(None, "members' nominations", 1, (Entry(40, None, nominated_by=777),))
    for seed in range(30):
        for d in draw([SOVIET, PARENTHOOD, nominations], 5, seed):
            assert d.entry.film_id == d.film_id
            assert d.film_id in {e.film_id for e in d.pool.entries}
            if d.film_id == 40:
                assert d.pool.list_id is None and d.entry.nominated_by == 777


def test_a_film_on_two_lists_is_drawn_once():
    left = pool(1, 1, 1, 2, 3, 4)
    right = pool(2, 1, 3, 4, 5)  # 3 and 4 on both lists: five distinct films in all
    for seed in range(200):
        drawn = films(draw([left, right], 4, seed))
        assert len(drawn) == 4 and len(set(drawn)) == 4
        everything = films(draw([left, right], 10, seed))
        assert sorted(everything) == [1, 2, 3, 4, 5]


def test_the_same_film_twice_in_one_pool_is_drawn_once():
    doubled = pool(1, 1, 5, 5, 6)
    for seed in range(50):
        assert sorted(films(draw([doubled], 3, seed))) == [5, 6]


def test_excluded_films_are_never_drawn():
    recent = {1, 2, 3, 11, 12}
    for seed in range(200):
        drawn = films(draw([SOVIET, PARENTHOOD], 4, seed, exclude=recent))
        assert len(drawn) == 4
        assert not recent & set(drawn)


def test_excluding_all_but_one_film_leaves_a_ballot_of_one():
    small = pool(1, 1, 1, 2, 3)
    assert films(draw([small], 4, seed=9, exclude={1, 3})) == [2]


def test_fewer_eligible_films_than_places_gives_a_shorter_ballot():
    two = pool(1, 3, 21, 22)
    one = pool(2, 1, 22, 23)  # 22 on both: three films in all
    for seed in range(20):
        assert sorted(films(draw([two, one], 10, seed))) == [21, 22, 23]


def test_no_eligible_film_gives_an_empty_ballot():
    assert draw([], 4, seed=1) == []
    assert draw([pool(1, 1)], 4, seed=1) == []  # a list with no entries
    assert draw([pool(1, 2, 1, 2)], 4, seed=1, exclude=[1, 2]) == []
    assert draw([SOVIET], 0, seed=1) == []


def test_weights_are_honoured():
    # Pool A has weight 3, pool B weight 1, one place per draw: A should be drawn with p = 3/4.
    # The 4000 draws use the fixed seeds 0..3999, so the count is deterministic; the band is 4 binomial
    # standard deviations (sqrt(n p (1 - p)) ≈ 27.4, so about 3000 ± 110), which a correct weighting
    # passes with overwhelming margin and a weighting off by a few percent fails.
    a = pool(1, 3, *range(100, 110))
    b = pool(2, 1, *range(200, 210))
    n, p = 4000, 0.75
    from_a = sum(draw([a, b], 1, seed)[0].pool.list_id == 1 for seed in range(n))
    sigma = math.sqrt(n * p * (1 - p))
    assert n * p - 4 * sigma <= from_a <= n * p + 4 * sigma, from_a


def test_a_weight_zero_pool_is_never_drawn():
    out = pool(3, 0, 301, 302, 303)
    for seed in range(300):
        drawn = draw([SOVIET, out], 10, seed)
        assert films(drawn) and all(d.pool.list_id == 1 for d in drawn)
        assert not {301, 302, 303} & set(films(drawn))
    assert draw([out], 3, seed=5) == []


def test_a_pool_running_dry_leaves_the_rest_to_the_others():
    # A heavy pool with one film cannot fill the ballot; the light one fills the remaining places.
    heavy = pool(1, 100, 1)
    light = pool(2, 1, 2, 3)
    for seed in range(50):
        drawn = draw([heavy, light], 3, seed)
        assert sorted(films(drawn)) == [1, 2, 3]
        assert {d.film_id: d.pool.list_id for d in drawn} == {1: 1, 2: 2, 3: 2}


def test_nominations_are_a_pool_of_their_own():
    nominations = Pool(None, "members' nominations", 1, (Entry(50, None, 901), Entry(51, None, 902)))
    drawn = draw([nominations], 4, seed=3)
    assert sorted(films(drawn)) == [50, 51]
    assert {(d.pool.list_id, d.entry.nominated_by) for d in drawn} == {(None, 901), (None, 902)}
    # Alongside a list of the same weight, the nominations come up in some draws and not in others.
    with_list = [films(draw([pool(1, 1, 60, 61, 62), nominations], 1, seed)) for seed in range(200)]
    assert any(d in ([50], [51]) for d in with_list)
    assert any(d in ([60], [61], [62]) for d in with_list)
