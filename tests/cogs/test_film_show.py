"""/film show: the club's rating and the lists a film is on."""

from __future__ import annotations

from tests.cogs.film_helpers import CRANES, fields, rate


async def test_a_film_nobody_rated_says_so_and_shows_its_list_with_the_note(club):
    result = await club.alice.slash(club.channel, "film show", title=CRANES)
    shown = fields(result.response.embeds[0])
    assert shown["Club rating"] == "No ratings yet"
    assert "Soviet films about parenthood" in shown["On the club's lists"]
    assert "(bundled)" in shown["On the club's lists"]
    assert "Palme d'Or" in shown["On the club's lists"]


async def test_the_rating_is_this_servers_average_with_the_members_own_score(club):
    await rate(club.store, club.guild.id, club.alice.id, CRANES, 9, "2026-01-01T00:00:00+00:00")
    await rate(club.store, club.guild.id, club.boris.id, CRANES, 6, "2026-01-01T00:00:00+00:00")
    await rate(club.store, 777, club.boris.id, CRANES, 1, "2026-01-01T00:00:00+00:00")  # another server
    alice = fields((await club.alice.slash(club.channel, "film show", title=CRANES)).response.embeds[0])
    assert alice["Club rating"] == "7.50/10 from 2 members · yours: 9/10"
    mod = fields((await club.mod.slash(club.channel, "film show", title=CRANES)).response.embeds[0])
    assert mod["Club rating"] == "7.50/10 from 2 members"

