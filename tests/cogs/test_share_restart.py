"""The Share button under a /rate reply answers from its custom id alone: after ten minutes and after a restart."""

from __future__ import annotations

from bot.app import create_bot
from cogs._share import GONE
from tests.cogs.film_helpers import CRANES


async def test_share_after_a_restart_posts_the_stored_rating_without_pinging(club, config):
    rated = await club.alice.slash(club.channel, "rate", film=CRANES, score=6, review="First thoughts")
    # Re-rated before sharing: the post shows what is stored at the press, not what the reply said.
    await club.alice.slash(club.channel, "rate", film=CRANES, score=9, review="It grew on me")
    await club.env.advance_time(11 * 60)
    await club.env.restart_bot(create_bot(config, club.store))

    shared = await club.alice.click(rated.response, label="Share")
    (posted,) = shared.followups
    assert not posted.ephemeral and posted.channel_id == club.channel.id
    assert posted.content == f"<@{club.alice.id}> rated **The Cranes Are Flying (1957)**: 9/10\n> It grew on me"
    club.assert_pings_no_one()


async def test_share_of_a_removed_rating_says_so_and_posts_nothing(club, config):
    # The refusal is a UserError raised inside the dynamic item: the one error path words it privately.
    rated = await club.alice.slash(club.channel, "rate", film=CRANES, score=8)
    await club.alice.slash(club.channel, "unrate", film=CRANES)
    await club.env.restart_bot(create_bot(config, club.store))
    shared = await club.alice.click(rated.response, label="Share")
    assert shared.ephemeral and shared.response.content == GONE
    assert not shared.followups
    assert [m for m in club.channel.history() if not m.flags.ephemeral] == []
