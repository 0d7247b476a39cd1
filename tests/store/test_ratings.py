"""Rating writes against a real SQLite file: upsert, history, removal, forgetting a member."""

from __future__ import annotations

import pytest

from bot.club.scales import Scale, show, to_score
from bot.errors import UserError


@pytest.fixture
async def cranes(catalogue_store):
    return await catalogue_store.films.get_by_key("the-cranes-are-flying-1957")


async def test_rate_rerate_unrate_keeps_the_history(catalogue_store, cranes):
    store = catalogue_store
    async with store.transaction() as tx:
        assert await store.ratings.put(tx, 1, 7, cranes.id, 8, at="2026-01-01T00:00:00+00:00") is None
    async with store.transaction() as tx:
        before = await store.ratings.put(tx, 1, 7, cranes.id, 9, review="Urusevsky!", at="2026-02-01T00:00:00+00:00")
    assert before.score == 8
    async with store.transaction() as tx:  # same score, new review: no history row
        await store.ratings.put(tx, 1, 7, cranes.id, 9, review="Still Urusevsky", at="2026-03-01T00:00:00+00:00")
    rating = await store.ratings.get(1, 7, cranes.id)
    assert (rating.score, rating.review, rating.created_at) == (9, "Still Urusevsky", "2026-01-01T00:00:00+00:00")
    async with store.transaction() as tx:
        assert (await store.ratings.remove(tx, 1, 7, cranes.id)).score == 9
    assert await store.ratings.get(1, 7, cranes.id) is None
    assert [score for score, _ in await store.ratings.history(1, 7, cranes.id)] == [8, 9, None]


async def test_ratings_are_per_server(catalogue_store, cranes):
    store = catalogue_store
    async with store.transaction() as tx:
        await store.ratings.put(tx, 1, 7, cranes.id, 4)
        await store.ratings.put(tx, 2, 7, cranes.id, 10)
    assert (await store.ratings.summary(1, cranes.id, 7)).average == 4
    assert (await store.ratings.summary(2, cranes.id, 7)).average == 10


async def test_forgetting_a_member_removes_only_theirs_in_that_server(catalogue_store, cranes):
    store = catalogue_store
    async with store.transaction() as tx:
        await store.ratings.put(tx, 1, 7, cranes.id, 4)
        await store.ratings.put(tx, 1, 8, cranes.id, 6)
        await store.ratings.put(tx, 2, 7, cranes.id, 10)
    async with store.transaction() as tx:
        counts = await store.ratings.forget_member(tx, 1, 7)
    assert counts == {"ratings": 1, "history": 1, "votes": 0, "nominations": 0}
    assert [r.user_id for r in await store.ratings.of_film(1, cranes.id)] == [8]
    assert await store.ratings.get(2, 7, cranes.id) is not None


@pytest.mark.parametrize(
    ("typed", "scale", "score", "shown"),
    [
        (7, Scale.TEN, 7, "7/10"),
        (3.5, Scale.STARS, 7, "★★★½"),
        (0.5, Scale.STARS, 1, "½"),
        (5, Scale.STARS, 10, "★★★★★"),
    ],
)
def test_scales_round_trip(typed, scale, score, shown):
    assert to_score(typed, scale) == score
    assert show(score, scale) == shown


@pytest.mark.parametrize(
    ("typed", "scale"),
    [
        (0, Scale.TEN),
        (11, Scale.TEN),
        (7.5, Scale.TEN),
        (0, Scale.STARS),
        (3.3, Scale.STARS),
        (5.5, Scale.STARS),
        (-1, Scale.STARS),
    ],
)
def test_scores_off_the_scale_are_refused(typed, scale):
    with pytest.raises(UserError):
        to_score(typed, scale)


async def test_200_concurrent_writers_lose_nothing(catalogue_store, cranes):
    """The store side of a burst: 200 members' ratings written concurrently, each in its own transaction."""
    import asyncio

    store = catalogue_store

    async def rate(user_id: int) -> None:
        async with store.transaction() as tx:
            await store.ratings.put(tx, 1, user_id, cranes.id, user_id % 10 + 1)

    await asyncio.gather(*(rate(user_id) for user_id in range(200)))
    summary = await store.ratings.summary(1, cranes.id, 0)
    assert summary.count == 200
    assert summary.average == sum(user_id % 10 + 1 for user_id in range(200)) / 200
