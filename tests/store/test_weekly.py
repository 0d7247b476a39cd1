"""The weekly cycle's records against the real SQLite file: uniqueness, deadlines, votes, races, merges."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.club.weekly import ballots, voting
from bot.club.weekly import settings as weekly_settings
from bot.club.weekly.calendar import iso
from bot.club.weekly.tally import count
from bot.errors import UserError
from bot.store.models import Candidate
from bot.store.weekly import Taken

GUILD = 9_001
MOD = 77
ALICE, BORIS, VERA = 101, 102, 103
# Mon 2026-06-08 18:00 UTC, the default opening time (the default time zone is UTC); the default
# closing time, fri 20:00, comes next on Fri 2026-06-12.
MONDAY = datetime(2026, 6, 8, 18, 0, tzinfo=UTC)
FRIDAY = datetime(2026, 6, 12, 20, 0, tzinfo=UTC)


async def rows(store, sql: str, params: tuple = ()) -> list[tuple]:
    return [tuple(row) for row in await store.fetchall(sql, params)]


async def add_ballot(store, week: str, guild_id: int = GUILD, candidates: list[Candidate] | None = None) -> int:
    async with store.transaction() as tx:
        return await store.weekly.add_ballot(
            tx, guild_id, week, 1, 555, None, "2026-06-08T18:00:00+00:00", "2026-06-12T20:00:00+00:00",
            candidates or [],
        )


async def end(store, ballot_id: int, status: str) -> bool:
    async with store.transaction() as tx:
        return await store.weekly.end_ballot(tx, ballot_id, status, "2026-06-09T10:00:00+00:00")


async def turn_on(store, config) -> None:
    await weekly_settings.update(store, config, GUILD, MOD, MONDAY - timedelta(days=1), channel_id=123)


# ------------------------------------------------------------ one ballot a week


async def test_a_second_ballot_for_the_same_week_is_taken(store):
    first = await add_ballot(store, "2026-W24")
    with pytest.raises(Taken):
        await add_ballot(store, "2026-W24")
    # One open ballot per server, whatever the week.
    with pytest.raises(Taken):
        await add_ballot(store, "2026-W25")
    # Another server is not affected.
    await add_ballot(store, "2026-W24", guild_id=GUILD + 1)
    # Closed, the week still has its ballot; the next week may open.
    assert await end(store, first, "closed")
    with pytest.raises(Taken):
        await add_ballot(store, "2026-W24")
    await add_ballot(store, "2026-W25")
    assert await rows(store, "SELECT guild_id, week, status FROM ballots ORDER BY id") == [
        (GUILD, "2026-W24", "closed"), (GUILD + 1, "2026-W24", "open"), (GUILD, "2026-W25", "open"),
    ]


async def test_a_cancelled_ballot_lets_the_week_open_again(store):
    first = await add_ballot(store, "2026-W24")
    assert await end(store, first, "cancelled")
    assert not await end(store, first, "closed")  # ended already: nothing changes
    second = await add_ballot(store, "2026-W24")
    assert second != first
    assert await rows(store, "SELECT id, status FROM ballots ORDER BY id") == [(first, "cancelled"), (second, "open")]
    assert (await store.weekly.open_ballot(GUILD)).id == second


async def test_a_failed_second_ballot_leaves_no_candidates_behind(catalogue_store):
    store = catalogue_store
    await add_ballot(store, "2026-W24", candidates=[Candidate(0, 1, 1, 2, "Parenthood", None, None)])
    with pytest.raises(Taken):
        await add_ballot(store, "2026-W24", candidates=[Candidate(0, 5, 1, 2, "Parenthood", None, None)])
    assert await rows(store, "SELECT film_id FROM candidates") == [(1,)]


# -------------------------------------------------------------------- deadlines


async def test_a_deadline_is_claimed_once(store):
    due = "2026-06-12T20:00:00+00:00"
    async with store.transaction() as tx:
        await store.weekly.set_deadline(tx, GUILD, "close", due)
        await store.weekly.set_deadline(tx, GUILD, "open", "2026-06-15T18:00:00+00:00")
    async with store.transaction() as tx:
        assert not await store.weekly.claim_deadline(tx, GUILD, "close", "2026-06-12T21:00:00+00:00")
        assert not await store.weekly.claim_deadline(tx, GUILD + 1, "close", due)
    assert await store.weekly.deadline(GUILD, "close") == due
    async with store.transaction() as tx:
        assert await store.weekly.claim_deadline(tx, GUILD, "close", due)
    async with store.transaction() as tx:
        assert not await store.weekly.claim_deadline(tx, GUILD, "close", due)
    assert await store.weekly.deadline(GUILD, "close") is None
    assert await rows(store, "SELECT guild_id, kind, due_at FROM deadlines") == [
        (GUILD, "open", "2026-06-15T18:00:00+00:00")
    ]


async def test_a_claim_rolled_back_is_still_there_to_claim(store):
    due = "2026-06-12T20:00:00+00:00"
    async with store.transaction() as tx:
        await store.weekly.set_deadline(tx, GUILD, "close", due)
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            assert await store.weekly.claim_deadline(tx, GUILD, "close", due)
            raise RuntimeError("the transition failed half way")
    async with store.transaction() as tx:
        assert await store.weekly.claim_deadline(tx, GUILD, "close", due)


# ------------------------------------------------------------------------ votes


async def test_toggle_vote_approves_withdraws_and_approves_again(catalogue_store):
    store = catalogue_store
    ballot_id = await add_ballot(
        store, "2026-W24",
        candidates=[Candidate(0, 4, 1, 2, "Parenthood", None, None), Candidate(0, 10, 2, 2, "Parenthood", None, None)],
    )

    async def toggle(film_id: int, at: str) -> bool:
        async with store.transaction() as tx:
            return await store.weekly.toggle_vote(tx, ballot_id, ALICE, film_id, at)

    assert await toggle(10, "2026-06-09T10:00:00+00:00") is True
    assert await toggle(4, "2026-06-09T10:01:00+00:00") is True
    assert await store.weekly.votes_of(ballot_id, ALICE) == [4, 10]  # ballot order, not voting order
    assert await toggle(10, "2026-06-09T10:02:00+00:00") is False
    assert await store.weekly.votes(ballot_id) == [(ALICE, 4)]
    assert await toggle(10, "2026-06-09T10:03:00+00:00") is True
    assert await rows(store, "SELECT user_id, film_id, created_at FROM votes ORDER BY film_id") == [
        (ALICE, 4, "2026-06-09T10:01:00+00:00"), (ALICE, 10, "2026-06-09T10:03:00+00:00"),
    ]


async def test_a_vote_for_a_film_not_on_the_ballot_is_refused_by_the_file(catalogue_store):
    import sqlite3

    store = catalogue_store
    ballot_id = await add_ballot(store, "2026-W24", candidates=[Candidate(0, 4, 1, 2, "P", None, None)])
    with pytest.raises(sqlite3.IntegrityError):
        async with store.transaction() as tx:
            await store.weekly.toggle_vote(tx, ballot_id, ALICE, 5, "2026-06-09T10:00:00+00:00")
    assert await store.weekly.votes(ballot_id) == []


async def test_300_members_voting_at_once_are_all_counted(catalogue_store, config):
    store = catalogue_store
    await turn_on(store, config)
    ballot = await ballots.open_ballot(store, config, GUILD, MONDAY, seed=7)
    films = [c.film_id for c in await store.weekly.candidates(ballot.id)]
    assert len(films) == 4
    voted_at = MONDAY + timedelta(hours=1)
    users = range(1_000, 1_300)

    results = await asyncio.gather(
        *(voting.toggle(store, GUILD, ballot.id, films[user % 4], user, voted_at) for user in users)
    )

    assert all(result.voted for result in results)
    assert [result.film_ids for result in results] == [[films[user % 4]] for user in users]
    stored = await rows(store, "SELECT user_id, film_id FROM votes WHERE ballot_id = ?", (ballot.id,))
    assert len(stored) == 300
    assert sorted(stored) == [(user, films[user % 4]) for user in users]
    counts = count(films, await store.weekly.votes(ballot.id))
    assert counts == dict.fromkeys(films, 75)
    assert sum(counts.values()) == len(stored)


async def test_the_same_member_pressing_twice_at_once_ends_where_they_started(catalogue_store, config):
    store = catalogue_store
    await turn_on(store, config)
    ballot = await ballots.open_ballot(store, config, GUILD, MONDAY, seed=7)
    film = (await store.weekly.candidates(ballot.id))[0].film_id
    first, second = await asyncio.gather(
        voting.toggle(store, GUILD, ballot.id, film, ALICE, MONDAY),
        voting.toggle(store, GUILD, ballot.id, film, ALICE, MONDAY),
    )
    assert (first.voted, second.voted) == (True, False)
    assert await store.weekly.votes(ballot.id) == []


# ---------------------------------------------------------------------- opening


async def test_300_attempts_to_open_at_once_open_one_ballot(catalogue_store, config):
    store = catalogue_store
    await turn_on(store, config)

    results = await asyncio.gather(
        *(ballots.open_ballot(store, config, GUILD, MONDAY, opened_by=MOD) for _ in range(300)),
        return_exceptions=True,
    )

    opened = [result for result in results if not isinstance(result, BaseException)]
    refused = [result for result in results if isinstance(result, BaseException)]
    assert len(opened) == 1 and len(refused) == 299
    assert all(isinstance(error, ballots.WeekTaken) and isinstance(error, UserError) for error in refused), {
        type(error) for error in refused
    }
    (ballot,) = opened
    assert await rows(store, "SELECT id, week, status FROM ballots") == [(ballot.id, "2026-W24", "open")]
    assert len(await store.weekly.candidates(ballot.id)) == 4
    assert (await store.counts())["candidates"] == 4
    assert await rows(store, "SELECT kind, due_at FROM deadlines WHERE guild_id = ? ORDER BY kind", (GUILD,)) == [
        ("close", "2026-06-12T20:00:00+00:00"), ("open", "2026-06-15T18:00:00+00:00"),
        ("remind_close", "2026-06-11T20:00:00+00:00"),  # 24 h before the close
    ]
    assert await rows(store, "SELECT count(*) FROM audit_log WHERE action = 'week.open'") == [(1,)]


async def test_a_cancelled_week_can_open_again(catalogue_store, config):
    store = catalogue_store
    await turn_on(store, config)
    first = await ballots.open_ballot(store, config, GUILD, MONDAY, seed=1)
    with pytest.raises(ballots.WeekTaken):
        await ballots.open_ballot(store, config, GUILD, MONDAY + timedelta(hours=1), seed=2)
    cancelled = await ballots.cancel_ballot(store, GUILD, MOD, MONDAY + timedelta(hours=2))
    assert cancelled.id == first.id
    assert await store.weekly.deadline(GUILD, "close") is None
    second = await ballots.open_ballot(store, config, GUILD, MONDAY + timedelta(hours=3), seed=2)
    assert (second.week, second.status) == (first.week, "open")
    assert await rows(store, "SELECT id, status FROM ballots ORDER BY id") == [
        (first.id, "cancelled"), (second.id, "open"),
    ]


# ---------------------------------------------------------------------- closing


async def test_closing_twice_the_second_time_is_refused(catalogue_store, config):
    store = catalogue_store
    await turn_on(store, config)
    ballot = await ballots.open_ballot(store, config, GUILD, MONDAY, seed=7)
    films = [c.film_id for c in await store.weekly.candidates(ballot.id)]
    for user, film in ((ALICE, films[2]), (BORIS, films[2]), (VERA, films[0])):
        await voting.toggle(store, GUILD, ballot.id, film, user, MONDAY + timedelta(hours=1))

    closed = await ballots.close_ballot(store, config, GUILD, FRIDAY, closed_by=MOD)
    assert closed.result.winner_id == films[2]
    assert closed.result.counts == ((films[0], 1), (films[1], 0), (films[2], 2), (films[3], 0))
    assert closed.result.voters == 3 and closed.result.left_out == () and closed.result.decided == "most_votes"
    assert await store.weekly.result(ballot.id) == closed.result
    with pytest.raises(UserError):
        await ballots.close_ballot(store, config, GUILD, FRIDAY + timedelta(minutes=1), closed_by=MOD)
    assert await rows(store, "SELECT status, closed_at FROM ballots") == [("closed", iso(FRIDAY))]
    assert await rows(store, "SELECT week, film_id, how, ballot_id FROM picks") == [
        ("2026-W24", films[2], "vote", ballot.id)
    ]
    with pytest.raises(UserError):
        await voting.toggle(store, GUILD, ballot.id, films[1], ALICE, FRIDAY + timedelta(minutes=2))
    assert len(await store.weekly.votes(ballot.id)) == 3


async def test_the_scheduled_close_runs_once(catalogue_store, config):
    store = catalogue_store
    await turn_on(store, config)
    ballot = await ballots.open_ballot(store, config, GUILD, MONDAY, seed=7)
    due = await store.weekly.deadline(GUILD, "close")
    assert due == iso(FRIDAY) == ballot.closes_at

    with pytest.raises(ballots.AlreadyDone):  # a deadline that is not the stored one is not this run's
        await ballots.close_ballot(store, config, GUILD, FRIDAY, due_at="2026-06-12T19:00:00+00:00")
    assert (await store.weekly.ballot(ballot.id)).status == "open"

    closed = await ballots.close_ballot(store, config, GUILD, FRIDAY, due_at=due)
    assert closed.ballot.id == ballot.id
    with pytest.raises(ballots.AlreadyDone):
        await ballots.close_ballot(store, config, GUILD, FRIDAY + timedelta(seconds=5), due_at=due)
    assert await rows(store, "SELECT count(*) FROM picks") == [(1,)]
    assert await store.weekly.deadline(GUILD, "close") is None


async def test_racing_scheduled_closes_make_one_pick(catalogue_store, config):
    store = catalogue_store
    await turn_on(store, config)
    await ballots.open_ballot(store, config, GUILD, MONDAY, seed=7)
    due = await store.weekly.deadline(GUILD, "close")
    results = await asyncio.gather(
        *(ballots.close_ballot(store, config, GUILD, FRIDAY, due_at=due) for _ in range(20)), return_exceptions=True
    )
    assert sum(isinstance(result, ballots.Closed) for result in results) == 1
    assert sum(isinstance(result, ballots.AlreadyDone) for result in results) == 19
    assert await rows(store, "SELECT count(*) FROM picks") == [(1,)]


async def test_an_extended_ballot_is_not_closed_by_the_old_deadline(catalogue_store, config):
    store = catalogue_store
    await turn_on(store, config)
    await ballots.open_ballot(store, config, GUILD, MONDAY, seed=7)
    old = await store.weekly.deadline(GUILD, "close")
    extended = await ballots.extend_ballot(store, config, GUILD, 24, MOD, MONDAY)
    assert extended.closes_at == "2026-06-13T20:00:00+00:00"
    with pytest.raises(ballots.AlreadyDone):
        await ballots.close_ballot(store, config, GUILD, FRIDAY, due_at=old)
    assert (await store.weekly.ballot(extended.id)).status == "open"
    await ballots.close_ballot(store, config, GUILD, FRIDAY + timedelta(days=1), due_at=extended.closes_at)
    assert (await store.weekly.ballot(extended.id)).status == "closed"


# ------------------------------------------------------------- films and merges


async def test_a_merge_moves_a_closed_ballots_candidate_and_votes_to_the_kept_film(catalogue_store, config):
    store = catalogue_store
    await turn_on(store, config)
    ballot = await ballots.open_ballot(store, config, GUILD, MONDAY, seed=7)
    before = await store.weekly.candidates(ballot.id)
    films = [c.film_id for c in before]
    for user, film in ((ALICE, films[0]), (BORIS, films[0]), (VERA, films[0]), (VERA, films[1]), (ALICE, films[3])):
        await voting.toggle(store, GUILD, ballot.id, film, user, MONDAY + timedelta(hours=1))
    closed = await ballots.close_ballot(store, config, GUILD, FRIDAY)
    assert closed.result.winner_id == films[0]
    keep = min({film for (film,) in await rows(store, "SELECT id FROM films")} - set(films))  # not on the ballot

    async with store.transaction() as tx:
        report = await store.films.merge(tx, keep, films[0])
    assert report.picks_moved == 1

    after = await store.weekly.candidates(ballot.id)
    assert [(c.film_id, c.position, c.list_id) for c in after] == [
        (keep, before[0].position, before[0].list_id), *((c.film_id, c.position, c.list_id) for c in before[1:])
    ]
    assert sorted(await store.weekly.votes(ballot.id)) == sorted(
        [(ALICE, keep), (BORIS, keep), (VERA, keep), (VERA, films[1]), (ALICE, films[3])]
    )
    assert await rows(store, "SELECT film_id FROM picks") == [(keep,)]
    assert await store.films.get(films[0]) is None
    assert await store.check() == []
    recorded = await store.weekly.result(ballot.id)
    assert recorded.winner_id == keep
    assert recorded.counts == ((keep, 3), (films[1], 1), (films[2], 0), (films[3], 1))

    # A ballot that held both films keeps the kept one; the duplicate's candidacy and votes go.
    async with store.transaction() as tx:
        await store.films.merge(tx, films[1], films[3])
    assert [c.film_id for c in await store.weekly.candidates(ballot.id)] == [keep, films[1], films[2]]
    assert (await store.weekly.result(ballot.id)).counts == ((keep, 3), (films[1], 1), (films[2], 0))
    assert sorted(await store.weekly.votes(ballot.id)) == sorted(
        [(ALICE, keep), (BORIS, keep), (VERA, keep), (VERA, films[1])]
    )
    assert await store.check() == []


async def test_film_references_count_only_open_ballot_candidacies(catalogue_store, config):
    store = catalogue_store
    await turn_on(store, config)
    ballot = await ballots.open_ballot(store, config, GUILD, MONDAY, seed=7)
    films = [c.film_id for c in await store.weekly.candidates(ballot.id)]
    outside = min({film for (film,) in await rows(store, "SELECT id FROM films")} - set(films))
    for film in films:
        assert (await store.films.references(store, film)).ballots == 1
    assert (await store.films.references(store, outside)).ballots == 0

    await voting.toggle(store, GUILD, ballot.id, films[1], ALICE, MONDAY + timedelta(hours=1))
    await ballots.close_ballot(store, config, GUILD, FRIDAY)
    for film in films:
        refs = await store.films.references(store, film)
        assert refs.ballots == 0
        assert refs.picks == (1 if film == films[1] else 0)
    # The closed ballot still holds its candidates, as history.
    assert [c.film_id for c in await store.weekly.candidates(ballot.id)] == films
