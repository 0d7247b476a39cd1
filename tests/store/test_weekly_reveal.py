"""Which film's ratings wait for the reveal, against the real SQLite file (WeeklyRepository.unrevealed_film
and bot/club/weekly/reveal.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.club.weekly import reveal
from bot.club.weekly import settings as weekly_settings
from bot.store.models import Rating

GUILD = 9_002
MOD = 77
ALICE, BORIS = 101, 102
CRANES, BALLAD = "the-cranes-are-flying-1957", "ballad-of-a-soldier-1959"


async def _film(store, key: str) -> int:
    return (await store.films.get_by_key(key)).id


async def _pick(store, week: str, film_id: int | None, at: str, guild_id: int = GUILD) -> None:
    async with store.transaction() as tx:
        await store.weekly.add_pick(
            tx, guild_id, week, film_id, "skip" if film_id is None else "moderator",
            ballot_id=None, list_id=None, picked_by=MOD, picked_at=at, screening_at=None, channel_id=None,
        )


async def _ballot(store, week: str, opened_at: str, status: str = "closed") -> None:
    async with store.transaction() as tx:
        ballot_id = await store.weekly.add_ballot(tx, GUILD, week, 1, 555, None, opened_at, opened_at, [])
        if status != "open":
            await store.weekly.end_ballot(tx, ballot_id, status, opened_at)


async def test_the_latest_film_stays_unrevealed_until_a_ballot_opens_after_its_pick(catalogue_store):
    store = catalogue_store
    cranes, ballad = await _film(store, CRANES), await _film(store, BALLAD)
    assert await store.weekly.unrevealed_film(GUILD) is None  # no film of the week yet

    # A ballot a moderator's pick calls off opened before it, here in the very same second: not the next one.
    await _ballot(store, "2026-W13", "2026-03-23T18:00:00+00:00", status="cancelled")
    await _pick(store, "2026-W13", cranes, "2026-03-23T18:00:00+00:00")
    assert await store.weekly.unrevealed_film(GUILD) == cranes
    assert await store.weekly.unrevealed_film(GUILD + 1) is None  # another server's week is its own

    # A skipped week does not reveal it: only the next ballot does.
    await _pick(store, "2026-W14", None, "2026-03-30T09:00:00+00:00")
    assert await store.weekly.unrevealed_film(GUILD) == cranes

    # Any ballot opening after the pick reveals it, even one later called off.
    await _ballot(store, "2026-W15", "2026-04-06T18:00:00+00:00", status="cancelled")
    assert await store.weekly.unrevealed_film(GUILD) is None

    # The next film of the week is hidden in its turn, and the old one stays revealed.
    await _pick(store, "2026-W15", ballad, "2026-04-06T19:00:00+00:00")
    assert await store.weekly.unrevealed_film(GUILD) == ballad
    await _ballot(store, "2026-W16", "2026-04-13T18:00:00+00:00", status="open")
    assert await store.weekly.unrevealed_film(GUILD) is None


async def test_hiding_follows_the_servers_hide_ratings_setting(catalogue_store, config):
    store = catalogue_store
    cranes = await _film(store, CRANES)
    await _pick(store, "2026-W13", cranes, "2026-03-23T18:00:00+00:00")
    assert await reveal.hidden_film(store, config, GUILD) == cranes
    now = datetime(2026, 3, 24, tzinfo=UTC)
    await weekly_settings.update(store, config, GUILD, MOD, now, hide_ratings=False)
    assert await reveal.hidden_film(store, config, GUILD) is None
    await weekly_settings.update(store, config, GUILD, MOD, now, hide_ratings=True)
    assert await reveal.hidden_film(store, config, GUILD) == cranes


def test_a_viewer_sees_their_own_rating_of_the_hidden_film_and_everything_else():
    def rating(user_id: int, film_id: int) -> Rating:
        return Rating(GUILD, user_id, film_id, 7, None, False, None, "t", "t")

    ratings = [rating(ALICE, 1), rating(BORIS, 1), rating(BORIS, 2)]
    assert reveal.shown_to(ratings, ALICE, None) == ratings
    assert reveal.shown_to(ratings, ALICE, 1) == [rating(ALICE, 1), rating(BORIS, 2)]
    assert reveal.shown_to(ratings, BORIS, 1) == [rating(BORIS, 1), rating(BORIS, 2)]
