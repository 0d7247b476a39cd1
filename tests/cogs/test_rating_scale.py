"""/club scale: switching between 1–10 and half stars changes only how scores are shown."""

from __future__ import annotations

from bot.club import scales
from cogs._checks import REFUSAL
from tests.cogs.film_helpers import CRANES, dump


async def _score(club, member) -> int:
    film = await club.store.films.get_by_key(CRANES)
    return (await club.store.ratings.get(club.guild.id, member.id, film.id)).score


async def test_a_plain_member_cannot_switch_the_scale(club):
    before = await dump(club.store)
    result = await club.alice.slash(club.channel, "club scale", scale="stars")
    assert result.ephemeral and result.response.content == REFUSAL
    assert await dump(club.store) == before


async def test_switching_scales_round_trips_without_loss(club):
    rated = await club.alice.slash(club.channel, "rate", film=CRANES, score=7)
    assert rated.response.content == "Rated The Cranes Are Flying (1957): 7/10"

    switched = await club.mod.slash(club.channel, "club scale", scale="stars")
    assert switched.ephemeral and "★★★½" in switched.response.content
    assert await club.store.settings.get(club.guild.id, scales.SETTING) == "stars"
    assert await club.store.audit.recorded(club.guild.id, "club.scale", "rating scale")
    assert await _score(club, club.alice) == 7
    shown = await club.alice.slash(club.channel, "ratings")
    assert "★★★½" in shown.response.embeds[0].description

    again = await club.alice.slash(club.channel, "rate", film=CRANES, score=4.5)
    assert again.response.content == "Rated The Cranes Are Flying (1957): ★★★★½ (was ★★★½)"
    assert await _score(club, club.alice) == 9

    await club.mod.slash(club.channel, "club scale", scale="ten")
    assert await _score(club, club.alice) == 9
    shown = await club.alice.slash(club.channel, "ratings")
    assert "9/10" in shown.response.embeds[0].description
    club.assert_pings_no_one()


async def test_scores_off_each_scale_are_refused(club):
    before = await dump(club.store)
    for score in (0, 11, 7.5, -1):
        result = await club.alice.slash(club.channel, "rate", film=CRANES, score=score)
        assert result.ephemeral and "whole number from 1 to 10" in result.response.content, score
    await club.mod.slash(club.channel, "club scale", scale="stars")
    before = await dump(club.store)
    for score in (0, 5.5, 3.25, 0.25):
        result = await club.alice.slash(club.channel, "rate", film=CRANES, score=score)
        assert result.ephemeral and "0.5 to 5 stars" in result.response.content, score
    assert await dump(club.store) == before
    club.assert_pings_no_one()


async def test_the_film_card_shows_the_club_rating_on_the_servers_scale(club):
    await club.alice.slash(club.channel, "rate", film="the-cranes-are-flying-1957", score=7)
    await club.mod.slash(club.channel, "club scale", scale="stars")
    card = (await club.alice.slash(club.channel, "film show", title="the-cranes-are-flying-1957")).response.embeds[0]
    rating = next(field.value for field in card.fields if field.name == "Club rating")
    assert rating == "3.50★ from 1 member · yours: ★★★½"
