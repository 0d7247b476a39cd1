"""The weekly service under faults, on SimCord's virtual clock: a locked database, one server's
failing deadline beside another's, and a stop between closing and announcing."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime

import discord
import pytest

from bot import clock
from bot.app import create_bot
from bot.club.weekly import ballots
from bot.club.weekly import settings as weekly_settings
from tests.cogs.weekly_helpers import advance_to, follow_simulated_clock, message, turn_on, vote

MONDAY_BEFORE = datetime(2026, 3, 23, 10, 0, tzinfo=UTC)
OPENS = datetime(2026, 3, 23, 17, 0, tzinfo=UTC)  # mon 18:00 in Berlin (CET)


def ballot_posts(channel) -> list:
    return [m for m in channel.history() if m.content.startswith("🎬 **Film of the week — ballot")]


@pytest.mark.busy_timeout(100)
async def test_a_deadline_under_another_connections_write_lock_runs_once_after_it(club, caplog):
    follow_simulated_clock(club, MONDAY_BEFORE)
    await turn_on(club, timezone="Europe/Berlin")
    # What `kinoclub import imdb` does for a minute at full size: another connection holds the lock.
    other = sqlite3.connect(club.store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        await advance_to(club, datetime(2026, 3, 23, 17, 0, 1, tzinfo=UTC))
        await club.env.advance_time(60)  # retried after 5, 10, 20 s … each time still locked
        assert await club.store.weekly.open_ballot(club.guild.id) is None
        assert ballot_posts(club.channel) == []
        assert club.bot.weekly.alive
        locked = [r for r in caplog.records if r.name == "kinoclub.weekly" and r.levelno == logging.ERROR]
        assert len(locked) >= 3 and all("database is locked" in r.exc_text for r in locked)
        assert await club.store.weekly.deadline(club.guild.id, "open") == "2026-03-23T17:00:00+00:00"
    finally:
        other.execute("ROLLBACK")
        other.close()

    # Released: the next retry (at most 40 s on) opens the ballot, once.
    await club.env.advance_time(45)
    ballot = await club.store.weekly.open_ballot(club.guild.id)
    assert ballot is not None and ballot.week == "2026-W13"
    assert len(ballot_posts(club.channel)) == 1
    assert await club.store.weekly.deadline(club.guild.id, "open") == "2026-03-30T16:00:00+00:00"
    await club.env.advance_time(3600)
    assert len(ballot_posts(club.channel)) == 1
    assert len(await club.store.fetchall("SELECT id FROM ballots")) == 1

    # The loop is alive: it closes the ballot on Friday at 20:00 as scheduled.
    await advance_to(club, datetime(2026, 3, 27, 19, 0, 1, tzinfo=UTC))
    assert (await club.store.weekly.ballot(ballot.id)).status == "closed"
    assert club.bot.weekly.alive


async def _second_server(club):
    """Another club on the same bot, opening at the same moment as the first."""
    guild = club.env.create_guild("Other Club")
    channel = guild.create_text_channel("kino")
    await club.env.settle()
    await weekly_settings.update(
        club.store, club.bot.config, guild.id, 1, clock.now(), channel_id=channel.id, timezone="Europe/Berlin"
    )
    club.bot.weekly.wake()
    return guild, channel


async def test_a_failing_server_never_holds_another_servers_deadline(club):
    follow_simulated_clock(club, MONDAY_BEFORE)
    await turn_on(club, timezone="Europe/Berlin")
    other, other_channel = await _second_server(club)
    # A real failure in the first server's transition: its ballot can never be written.
    ddl = sqlite3.connect(club.store.path, isolation_level=None)
    ddl.execute(
        "CREATE TRIGGER refuse_first BEFORE INSERT ON candidates WHEN NEW.ballot_id IN "
        f"(SELECT id FROM ballots WHERE guild_id = {club.guild.id}) BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
    )
    await advance_to(club, datetime(2026, 3, 23, 17, 0, 1, tzinfo=UTC))
    # The other server's ballot opened at its deadline, to the second, and was posted.
    theirs = await club.store.weekly.open_ballot(other.id)
    assert theirs is not None and theirs.opened_at == "2026-03-23T17:00:00+00:00"
    assert len(ballot_posts(other_channel)) == 1
    assert await club.store.weekly.open_ballot(club.guild.id) is None

    # The first keeps being retried; after three failures its moderators read why in /club log.
    await club.env.advance_time(60)
    log = await club.mod.slash(club.channel, "club log")
    lines = log.response.embeds[0].description.split("\n")
    (problem,) = [line for line in lines if "kinoclub reported a problem with" in line and "weekly open" in line]
    assert "failed 3 times in a row" in problem and "injected fault" in problem
    ddl.execute("DROP TRIGGER refuse_first")
    ddl.close()
    await club.env.advance_time(120)
    mine = await club.store.weekly.open_ballot(club.guild.id)
    assert mine is not None and len(ballot_posts(club.channel)) == 1
    assert club.bot.weekly.alive


async def test_a_gone_channel_in_one_server_leaves_the_other_on_time(club):
    follow_simulated_clock(club, MONDAY_BEFORE)
    await turn_on(club, timezone="Europe/Berlin")
    other, other_channel = await _second_server(club)
    club.env.backend.delete_channel(club.channel.id)
    await club.env.settle()
    await advance_to(club, datetime(2026, 3, 23, 17, 0, 1, tzinfo=UTC))
    theirs = await club.store.weekly.open_ballot(other.id)
    assert theirs.opened_at == "2026-03-23T17:00:00+00:00" and len(ballot_posts(other_channel)) == 1
    mine = await club.store.weekly.open_ballot(club.guild.id)
    # Opened (the week's ballot is a fact), but owed: the post waits for a working channel.
    assert mine.message_id is None and "is gone" in mine.problem
    assert await club.store.weekly.deadline(club.guild.id, "retry") is not None
    assert club.bot.weekly.alive


async def test_a_stop_between_closing_and_announcing_announces_the_recorded_decision(club, config):
    follow_simulated_clock(club, MONDAY_BEFORE)
    await turn_on(club, timezone="Europe/Berlin")
    dasha = club.guild.add_member(club.env.create_user("dasha"))
    carl = club.guild.add_member(club.env.create_user("carl"))
    await advance_to(club, datetime(2026, 3, 23, 17, 0, 1, tzinfo=UTC))
    ballot = await club.store.weekly.open_ballot(club.guild.id)
    films = [c.film_id for c in await club.store.weekly.candidates(ballot.id)]
    # A tie between the first two, which carl's vote would have broken had he stayed.
    await vote(club.alice, club, ballot, 1)
    await vote(club.boris, club, ballot, 2)
    await vote(carl, club, ballot, 2)
    await vote(dasha, club, ballot, 3)
    club.guild.remove_member(carl)

    # The close commits (as the service does, carl found gone), and the process dies before posting.
    follow_simulated_clock(club, datetime(2026, 3, 27, 19, 0, 2, tzinfo=UTC))
    closed = await ballots.close_ballot(
        club.store, config, club.guild.id, clock.now(), departed=frozenset({carl.id}),
        due_at=await club.store.weekly.deadline(club.guild.id, "close"),
    )
    assert closed.result.decided in ("list_rotation", "seed")
    how = ballots.decided(closed.result).value
    await club.env.restart_bot(create_bot(config, club.store))

    pick = await club.store.weekly.pick_of_week(club.guild.id, "2026-W13")
    assert pick.film_id == closed.result.winner_id and pick.message_id is not None
    card = message(club.channel, pick.message_id).embeds[0]
    tally = next(f for f in card.fields if f.name.startswith("Final votes"))
    assert tally.name == f"Final votes ({how})"
    lines = tally.value.splitlines()
    assert [line.rsplit(" — ", 1)[1] for line in lines[:-1]] == ["1", "1", "1", "0"]
    assert lines[-1] == "3 members voted (the votes of 1 member who left the server were not counted)."
    # Carl's vote is still in the votes table: nothing recounted it back in.
    assert (carl.id, films[1]) in set(await club.store.weekly.votes(ballot.id))

    # /week show and /week history read the same record.
    shown = await club.alice.slash(club.channel, "week show")
    field = next(f for f in shown.response.embeds[0].fields if f.name.startswith("Final votes"))
    assert field.value == tally.value
    history = await club.alice.slash(club.channel, "week history")
    assert "1 vote from 3 members" in history.response.embeds[0].description


async def test_discord_cannot_say_keeps_the_vote(club):
    """A member lookup that fails with a 500 is not a departure: the vote counts."""
    follow_simulated_clock(club, MONDAY_BEFORE)
    await turn_on(club, timezone="Europe/Berlin")
    await advance_to(club, datetime(2026, 3, 23, 17, 0, 1, tzinfo=UTC))
    ballot = await club.store.weekly.open_ballot(club.guild.id)
    await vote(club.alice, club, ballot, 1)
    club.bot.get_guild(club.guild.id)._members.clear()  # the cache a guilds-only bot really has: none
    club.env.inject_error("GET", f"/guilds/{club.guild.id}/members/*", status=500, times=None)
    departed = await club.bot.weekly.transitions.departed(club.guild.id, ballot)
    assert departed == frozenset()
    assert isinstance(club.bot.get_guild(club.guild.id), discord.Guild)
