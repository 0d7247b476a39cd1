"""Counting an approval ballot and the documented tie rule, with expectations worked out by hand."""

from __future__ import annotations

import pytest

from bot.club.weekly.tally import Decided, count, decide

ALICE, BORIS, VERA, GLEB = 1, 2, 3, 4


# ---------------------------------------------------------------------- count


def test_every_candidate_is_counted_even_without_votes():
    assert count([10, 20, 30], []) == {10: 0, 20: 0, 30: 0}


def test_approvals_are_counted_per_candidate():
    votes = [(ALICE, 10), (ALICE, 20), (BORIS, 20), (VERA, 20), (VERA, 30)]
    assert count([10, 20, 30], votes) == {10: 1, 20: 3, 30: 1}


def test_votes_for_films_not_on_the_ballot_do_not_count():
    votes = [(ALICE, 10), (BORIS, 99), (VERA, 99)]
    assert count([10, 20], votes) == {10: 1, 20: 0}


def test_only_the_given_voters_count():
    votes = [(ALICE, 10), (BORIS, 10), (BORIS, 20), (VERA, 20), (GLEB, 20)]
    # Boris and Gleb left the server: their approvals are not counted.
    assert count([10, 20], votes, voters={ALICE, VERA}) == {10: 1, 20: 1}
    assert count([10, 20], votes, voters=set()) == {10: 0, 20: 0}
    assert count([10, 20], votes, voters=None) == {10: 2, 20: 3}


# --------------------------------------------------------------------- decide


def test_the_most_approvals_win():
    result = decide({10: 1, 20: 3, 30: 2}, {}, seed=5)
    assert (result.winner, result.decided) == (20, Decided.MOST_VOTES)
    assert result.counts == {10: 1, 20: 3, 30: 2}


def test_a_clear_winner_ignores_the_rotation():
    # 10's list was never picked from, but 10 is not in the tie for first place.
    last = {10: None, 20: "2026-06-01T18:00:00+00:00", 30: "2026-05-01T18:00:00+00:00"}
    result = decide({10: 1, 20: 4, 30: 2}, last, seed=1)
    assert (result.winner, result.decided) == (20, Decided.MOST_VOTES)


def test_a_tie_goes_to_the_list_never_picked_from():
    last = {10: "2026-01-09T20:00:00+00:00", 20: None, 30: "2025-11-07T20:00:00+00:00"}
    result = decide({10: 3, 20: 3, 30: 3}, last, seed=42)
    assert (result.winner, result.decided) == (20, Decided.LIST_ROTATION)


def test_a_film_missing_from_the_rotation_map_counts_as_never_picked():
    result = decide({10: 2, 20: 2}, {10: "2026-01-09T20:00:00+00:00"}, seed=0)
    assert (result.winner, result.decided) == (20, Decided.LIST_ROTATION)


def test_a_tie_goes_to_the_list_picked_from_least_recently():
    last = {10: "2026-03-06T19:00:00+00:00", 20: "2026-01-09T19:00:00+00:00", 30: "2026-02-13T19:00:00+00:00"}
    result = decide({10: 2, 20: 2, 30: 2}, last, seed=42)
    assert (result.winner, result.decided) == (20, Decided.LIST_ROTATION)


def test_only_the_tied_films_are_compared_for_staleness():
    # 10 has the stalest list but only one approval; between 20 and 30, 30's list is the older.
    last = {10: None, 20: "2026-01-09T20:00:00+00:00", 30: "2025-12-12T20:00:00+00:00"}
    result = decide({10: 1, 20: 3, 30: 3}, last, seed=3)
    assert (result.winner, result.decided) == (30, Decided.LIST_ROTATION)


def test_a_tie_between_equally_stale_lists_goes_by_the_seed():
    when = "2026-02-13T19:00:00+00:00"
    counts = {10: 2, 20: 2, 30: 2, 40: 1}
    last = {10: when, 20: when, 30: when, 40: None}
    result = decide(counts, last, seed=1234)
    assert result.decided is Decided.SEED
    assert result.winner in {10, 20, 30}
    for _ in range(3):
        assert decide(counts, last, seed=1234) == result
    # The insertion order of the counts does not move the result either.
    assert decide(dict(reversed(counts.items())), last, seed=1234).winner == result.winner


def test_a_seed_tie_can_go_to_every_tied_film():
    when = "2026-02-13T19:00:00+00:00"
    counts = {10: 2, 20: 2, 30: 2, 40: 0}
    last = {10: when, 20: when, 30: when}
    winners = [decide(counts, last, seed).winner for seed in range(300)]
    assert set(winners) == {10, 20, 30}
    # A fair shuffle gives each of the three about 100 of the 300 seeds.
    assert all(60 <= winners.count(film) <= 140 for film in (10, 20, 30)), [winners.count(f) for f in (10, 20, 30)]


def test_two_never_picked_lists_tie_on_staleness_and_go_by_the_seed():
    last = {10: None, 20: None, 30: "2026-01-09T20:00:00+00:00"}
    winners = {decide({10: 1, 20: 1, 30: 1}, last, seed).winner for seed in range(100)}
    assert winners == {10, 20}
    assert decide({10: 1, 20: 1, 30: 1}, last, seed=8).decided is Decided.SEED


def test_a_ballot_without_a_single_vote_still_has_a_film():
    result = decide(count([10, 20], []), {10: "2026-01-09T20:00:00+00:00", 20: None}, seed=9)
    assert (result.winner, result.decided) == (20, Decided.LIST_ROTATION)
    assert result.counts == {10: 0, 20: 0}
    nobody = decide(count([10, 20, 30], []), {}, seed=9)
    assert nobody.decided is Decided.SEED and nobody.winner in {10, 20, 30}


def test_one_candidate_wins_whatever_the_seed():
    assert {decide({10: 0}, {}, seed).winner for seed in range(20)} == {10}


def test_no_candidates_is_an_error():
    with pytest.raises(ValueError):
        decide({}, {}, seed=1)
