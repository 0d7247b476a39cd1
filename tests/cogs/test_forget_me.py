"""/forget me in a server whose week is running: the nomination, the votes and the name all go."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.cogs.weekly_helpers import follow_simulated_clock, open_ballot, stored_votes, turn_on, vote

MONDAY = datetime(2026, 3, 23, 10, 0, tzinfo=UTC)
CRANES = "the-cranes-are-flying-1957"


async def test_forget_me_takes_the_nomination_out_of_the_next_draw(club):
    follow_simulated_clock(club, MONDAY)
    # One list of six films in rotation and ten places: every nomination is drawn.
    await turn_on(club, candidates=10)
    await club.mod.slash(club.channel, "club rotation", list="soviet-films-about-parenthood", weight=0)
    # Films on no list, so the draw can only bring them in as nominations.
    for title, year in (("Stalker", 1979), ("Solaris", 1972)):
        await club.mod.slash(club.channel, "film add", title=title, year=year)
    await club.alice.slash(club.channel, "week nominate", film="m-stalker-1979")
    ballot = await open_ballot(club)
    stalker = await club.store.films.get_by_key("m-stalker-1979")
    nominated = [row for row in await club.store.weekly.candidates(ballot.id) if row.film_id == stalker.id]
    assert [row.nominated_by for row in nominated] == [club.alice.id]
    await vote(club.alice, club, ballot, nominated[0].position)
    await vote(club.boris, club, ballot, nominated[0].position)
    await club.alice.slash(club.channel, "rate", film=CRANES, score=9)
    again = await club.alice.slash(club.channel, "week nominate", film="m-solaris-1972")  # for the next draw
    assert again.ephemeral and "You nominated" in again.response.content

    asked = await club.alice.slash(club.channel, "forget me")
    assert "votes and nomination" in asked.response.content
    done = await club.alice.click(asked.response.message, label="Delete my data")
    assert done.response.message.content == (
        "Done: deleted 1 rating (with its review), 1 rating history entry, 1 vote and 1 nomination."
    )
    assert await club.store.weekly.nominations(club.guild.id) == []
    assert await stored_votes(club, ballot) == {(club.boris.id, stalker.id)}
    rows = await club.store.weekly.candidates(ballot.id)
    assert [row.nominated_by for row in rows if row.film_id == stalker.id] == [None]  # still a candidate
    assert await club.store.ratings.of_member(club.guild.id, club.alice.id) == []
    club.assert_pings_no_one()
