"""/rate, /unrate, /ratings and /seen (which also serves as "/film ratings")."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from bot import clock
from tests.cogs.film_helpers import CRANES, dump

PNG = b"\x89PNG"
BALLAD = "ballad-of-a-soldier-1959"


async def _film(club):
    return await club.store.films.get_by_key(CRANES)


async def test_rate_rerate_and_unrate_are_stored_with_their_history(club):
    film = await _film(club)
    first = await club.alice.slash(club.channel, "rate", film=CRANES, score=7, review="Tender and fierce.")
    assert first.ephemeral and first.response.content == "Rated The Cranes Are Flying (1957): 7/10"
    saved = await club.store.ratings.get(club.guild.id, club.alice.id, film.id)
    assert (saved.score, saved.review, saved.spoiler) == (7, "Tender and fierce.", False)

    second = await club.alice.slash(club.channel, "rate", film=CRANES, score=9, spoiler=True, review="The ending!")
    assert second.response.content == "Rated The Cranes Are Flying (1957): 9/10 (was 7/10)"
    saved = await club.store.ratings.get(club.guild.id, club.alice.id, film.id)
    assert (saved.score, saved.review, saved.spoiler) == (9, "The ending!", True)

    removed = await club.alice.slash(club.channel, "unrate", film=CRANES)
    assert removed.ephemeral
    assert "Removed your rating of The Cranes Are Flying (1957) (9/10)" in removed.response.content
    assert await club.store.ratings.get(club.guild.id, club.alice.id, film.id) is None
    history = await club.store.ratings.history(club.guild.id, club.alice.id, film.id)
    assert [score for score, _ in history] == [7, 9, None]

    again = await club.alice.slash(club.channel, "unrate", film=CRANES)
    assert again.ephemeral and "You have not rated The Cranes Are Flying (1957)" in again.response.content
    unknown = await club.alice.slash(club.channel, "unrate", film="zzqx no such film qqq")
    assert unknown.ephemeral and "No film matching" in unknown.response.content
    club.assert_pings_no_one()


async def test_share_posts_the_rating_publicly_without_pinging(club):
    result = await club.alice.slash(club.channel, "rate", film=CRANES, score=8, review="Everyone should see it",
                                    spoiler=True)
    # /rate answers "thinking" at once and edits in what was saved, Share button included.
    shared = await club.alice.click(result.response, label="Share")
    posted = shared.followups[0]
    assert not posted.ephemeral and posted.channel_id == club.channel.id
    rated = f"<@{club.alice.id}> rated **The Cranes Are Flying (1957)**: 8/10"
    assert posted.content == f"{rated}\n> ||Everyone should see it||"
    club.assert_pings_no_one()


async def test_a_failed_write_tells_the_member_it_was_not_saved(club):
    # SQLite itself refuses the write (as it would on a full disk): no stand-in for the store.
    with sqlite3.connect(club.store.path) as other:
        other.execute("CREATE TRIGGER refuse BEFORE INSERT ON ratings BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    before = await dump(club.store)
    result = await club.alice.slash(club.channel, "rate", film=CRANES, score=7)
    assert result.ephemeral and result.response.content.startswith("Your rating was not saved")
    assert "disk full" not in result.response.content  # the cause is logged, not shown
    assert await dump(club.store) == before
    cranes = await club.store.films.get_by_key(CRANES)
    assert await club.store.ratings.get(club.guild.id, club.alice.id, cranes.id) is None
    club.take_errors()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"film": ""}, "Give a film title"),
        ({"film": "   "}, "Give a film title"),
        ({"film": "zzqx no such film qqq"}, "No film matching"),
        ({"review": ""}, "The review is empty"),
        ({"review": "x" * 5000}, "at most 1,000 characters"),
        ({"review": "bad\x00byte"}, "control characters"),
        ({"review": "bell\x07"}, "control characters"),
        ({"review": "hey @everyone"}, "cannot mention"),
        ({"review": "hey @here"}, "cannot mention"),
        ({"review": "hey <@&1>"}, "cannot mention"),
        ({"review": "hey <@12345>"}, "cannot mention"),
        ({"score": 0}, "whole number from 1 to 10"),
        ({"score": 10.5}, "whole number from 1 to 10"),
    ],
)
async def test_bad_input_is_refused_briefly_and_writes_nothing(club, options, message):
    before = await dump(club.store)
    result = await club.alice.slash(club.channel, "rate", **({"film": CRANES, "score": 7} | options))
    assert result.ephemeral and message in result.response.content
    assert len(result.response.content) < 300
    assert await dump(club.store) == before
    club.assert_pings_no_one()


async def test_a_burst_of_200_members_is_every_one_acknowledged_and_stored(club):
    # SimCord refuses overlapping operations ("operation overlaps active …"), so the burst is driven
    # back to back; each rating is still committed before its reply.
    members = [club.guild.add_member(club.env.create_user(f"m{i}")) for i in range(200)]
    results = []
    for number, member in enumerate(members):
        results.append(await member.slash(club.channel, "rate", film=CRANES, score=number % 10 + 1))
    assert all(result.acknowledged and result.ephemeral for result in results)
    film = await _film(club)
    rated = await club.store.ratings.of_film(club.guild.id, film.id)
    assert len(rated) == 200
    summary = await club.store.ratings.summary(club.guild.id, film.id, club.alice.id)
    assert summary.count == 200 and summary.average == 5.5
    assert await club.store.ratings.distribution(club.guild.id, film_id=film.id) == (20,) * 10


async def test_ratings_lists_a_members_scores_with_a_chart(club):
    clock.use(lambda: datetime(2026, 1, 1, tzinfo=UTC))
    assert not (await club.alice.slash(club.channel, "rate", film=BALLAD, score=10)).response.content.startswith("No")
    clock.use(lambda: datetime(2026, 1, 2, tzinfo=UTC))
    await club.alice.slash(club.channel, "rate", film=CRANES, score=6)
    newest = await club.alice.slash(club.channel, "ratings")
    embed = newest.response.embeds[0]
    assert "2 ratings · average 8.00/10" in embed.description
    assert embed.description.index("Cranes") < embed.description.index("Ballad")
    best = await club.boris.slash(club.channel, "ratings", member=club.alice, order="best")
    assert best.response.embeds[0].description.index("— 10/10") < best.response.embeds[0].description.index("— 6/10")
    attachment = best.response.attachments[0]
    assert attachment.filename == "ratings.png"
    assert (await attachment.read()).startswith(PNG)
    empty = await club.boris.slash(club.channel, "ratings")
    assert "No ratings yet." in empty.response.embeds[0].description
    # Nothing to draw: a sentence, not an empty axis.
    assert empty.response.attachments == [] and not empty.response.embeds[0].image
    unseen = await club.boris.slash(club.channel, "seen", film="mother-1955")
    assert "No ratings yet." in unseen.response.embeds[0].description
    assert unseen.response.attachments == [] and not unseen.response.embeds[0].image


async def test_seen_pages_who_rated_a_film_with_its_chart(club):
    members = [club.guild.add_member(club.env.create_user(f"m{i}")) for i in range(12)]
    for number, member in enumerate(members):
        await member.slash(club.channel, "rate", film=CRANES, score=number % 3 + 7, review=f"note {number}")
    seen = await club.boris.slash(club.channel, "seen", film=CRANES)
    first = seen.response.embeds[0]
    assert first.title == "Seen: The Cranes Are Flying (1957)"
    assert "12 ratings · average 8.00/10" in first.description
    assert first.description.count("\n1") >= 1 and "Page 1 of 2" in first.footer.text
    assert (await seen.response.attachments[0].read()).startswith(PNG)
    turned = await club.boris.click(seen.response, label="▶")
    assert "11. <@" in turned.response.embeds[0].description
    club.assert_pings_no_one()


async def test_film_ratings_answers_as_seen_does(club):
    await club.alice.slash(club.channel, "rate", film=CRANES, score=9)
    await club.boris.slash(club.channel, "rate", film=CRANES, score=6)
    via_film = await club.mod.slash(club.channel, "film ratings", film="журавли")
    via_seen = await club.mod.slash(club.channel, "seen", film=CRANES)
    assert via_film.response.embeds[0].description == via_seen.response.embeds[0].description
    assert "2 ratings · average 7.50/10" in via_film.response.embeds[0].description
    assert (await via_film.response.attachments[0].read()).startswith(PNG)
    unknown = await club.mod.slash(club.channel, "film ratings", film="@everyone")
    assert unknown.ephemeral and unknown.response.content.startswith("No film matching")
    club.assert_pings_no_one()
