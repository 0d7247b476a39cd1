"""The film of the week, a whole cycle at a time, on SimCord's virtual clock."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import clock
from tests.cogs.weekly_helpers import (
    advance_to,
    buttons,
    follow_simulated_clock,
    labels,
    message,
    stored_votes,
    turn_on,
    vote,
)

# Berlin moves its clocks forward at 02:00 on Sunday 29 March 2026: the week below spans it.
MONDAY_BEFORE = datetime(2026, 3, 23, 10, 0, tzinfo=UTC)


async def test_a_full_week_across_a_daylight_saving_change(club):
    follow_simulated_clock(club, MONDAY_BEFORE)
    dasha = club.guild.add_member(club.env.create_user("dasha"))
    carl = club.guild.add_member(club.env.create_user("carl"))
    robot = club.guild.add_member(club.env.create_user("robot", bot=True))
    await turn_on(club, timezone="Europe/Berlin", opens="mon 18:00", closes="sun 20:00", screening="sun 21:00")
    assert await club.store.weekly.deadline(club.guild.id, "open") == "2026-03-23T17:00:00+00:00"  # 18:00 CET

    # Open: posted by the schedule at 18:00 Berlin time, not a minute before.
    await advance_to(club, datetime(2026, 3, 23, 16, 59, tzinfo=UTC))
    assert await club.store.weekly.open_ballot(club.guild.id) is None
    await advance_to(club, datetime(2026, 3, 23, 17, 0, 1, tzinfo=UTC))
    ballot = await club.store.weekly.open_ballot(club.guild.id)
    assert ballot.opened_at == "2026-03-23T17:00:00+00:00" and ballot.week == "2026-W13"
    # Sunday 20:00 is summer time (UTC+2): 18:00 UTC, an hour earlier in UTC than the opening's offset gives.
    assert ballot.closes_at == "2026-03-29T18:00:00+00:00"
    posted = message(club.channel, ballot.message_id)
    assert "ballot for 2026-W13" in posted.content and len(posted.embeds) == 4
    assert [label.split(" · ")[0] for label in labels(posted)] == ["1", "2", "3", "4"]
    assert all(button.custom_id.startswith(f"kino:vote:{ballot.id}:") for button in buttons(posted))
    films = [c.film_id for c in await club.store.weekly.candidates(ballot.id)]

    # Votes: approvals of several films, a withdrawal, a bot, a member who then leaves.
    first = await vote(club.alice, club, ballot, 1)
    assert first.ephemeral and first.response.content.startswith("You voted for **")
    second = await vote(club.alice, club, ballot, 2)
    assert "Your votes: " in second.response.content and second.response.content.count(",") >= 1
    await vote(club.boris, club, ballot, 2)
    await vote(dasha, club, ballot, 1)
    withdrawn = await vote(dasha, club, ballot, 1)
    assert withdrawn.response.content.startswith("You took back your vote for")
    assert "You vote for nothing on this ballot now." in withdrawn.response.content
    refused = await vote(robot, club, ballot, 3)
    assert refused.ephemeral and "Bots do not vote" in refused.response.content
    await vote(carl, club, ballot, 3)
    assert await stored_votes(club, ballot) == {
        (club.alice.id, films[0]), (club.alice.id, films[1]), (club.boris.id, films[1]), (carl.id, films[2]),
    }
    await club.env.advance_time(6)
    counts = [label.rsplit("(", 1)[1] for label in labels(message(club.channel, ballot.message_id))]
    assert counts == ["1)", "2)", "1)", "0)"]
    club.guild.remove_member(carl)

    # Close: Sunday 20:00 Berlin summer time = 18:00 UTC.
    await advance_to(club, datetime(2026, 3, 29, 17, 59, tzinfo=UTC))
    assert (await club.store.weekly.ballot(ballot.id)).status == "open"
    await advance_to(club, datetime(2026, 3, 29, 18, 0, 1, tzinfo=UTC))
    closed = await club.store.weekly.ballot(ballot.id)
    assert closed.status == "closed" and closed.closed_at == "2026-03-29T18:00:00+00:00"
    pick = await club.store.weekly.pick_of_week(club.guild.id, "2026-W13")
    assert pick.film_id == films[1] and pick.how == "vote"  # 2 approvals; carl's left with him
    winner = await club.store.films.get(films[1])

    final = message(club.channel, ballot.message_id)
    assert all(button.disabled for button in buttons(final))
    assert f"Film of the week: **{winner.title}**" in final.content
    announcement = message(club.channel, pick.message_id)
    assert announcement.content == f"🏆 **Film of the week (2026-W13): {winner.title}**"
    card = announcement.embeds[0]
    assert card.title.startswith(winner.title)
    # The recorded tally, most votes first; carl's vote left with him, and every surface says so.
    tally = next(field for field in card.fields if field.name.startswith("Final votes"))
    assert tally.name == "Final votes (most votes)"
    titles = {film.id: film.title for film in await club.store.films.get_many(films)}
    assert tally.value.splitlines() == [
        f"{titles[films[1]][:60]} — 2",
        f"{titles[films[0]][:60]} — 1",
        f"{titles[films[2]][:60]} — 0",
        f"{titles[films[3]][:60]} — 0",
        "2 members voted (the votes of 1 member who left the server were not counted).",
    ]
    assert "2 members voted (the votes of 1 member who left the server were not counted)" in final.content
    assert [e.footer.text.rsplit(" · ", 1)[1] for e in final.embeds] == ["1 vote", "2 votes", "0 votes", "0 votes"]
    result = await club.store.weekly.result(ballot.id)
    assert result.counts == ((films[0], 1), (films[1], 2), (films[2], 0), (films[3], 0))
    assert result.voters == 2 and result.left_out == ((carl.id, "left the server"),)
    assert result.winner_id == films[1] and result.decided == "most_votes"
    assert "/rate" in next(field.value for field in card.fields if field.name == "After watching")
    (thread,) = [t for t in club.channel.threads if t.id == pick.thread_id]
    assert thread.name == f"2026-W13 · {winner.title}"[:100]
    etiquette = thread.history()[0].content
    assert "||like this||" in etiquette and "until the screening" in etiquette
    events = club.env.backend.get_guild(club.guild.id).scheduled_events
    event = events[pick.event_id]
    assert event.name == f"Film of the week: {winner.title}"[:100]
    assert event.scheduled_start_time.startswith("2026-03-29T19:00:00")  # Sunday 21:00 CEST
    club.assert_pings_no_one()

    # Members rate it; the next ballot (Monday 18:00 CEST = 16:00 UTC) reveals the club's verdict.
    await club.alice.slash(club.channel, "rate", film=winner.key, score=9)
    await club.boris.slash(club.channel, "rate", film=winner.key, score=8)
    assert await club.store.weekly.deadline(club.guild.id, "open") == "2026-03-30T16:00:00+00:00"
    await advance_to(club, datetime(2026, 3, 30, 16, 0, 1, tzinfo=UTC))
    following = await club.store.weekly.open_ballot(club.guild.id)
    assert following.week == "2026-W14" and following.opened_at == "2026-03-30T16:00:00+00:00"
    revealed = message(club.channel, following.message_id).content
    assert f"Last film of the week, **{winner.title}** (2026-W13): the club gave it 8.50/10 from 2 members." in revealed
    assert winner.id not in {c.film_id for c in await club.store.weekly.candidates(following.id)}


async def test_week_show_and_history_follow_the_cycle(club):
    follow_simulated_clock(club, MONDAY_BEFORE)
    nothing = await club.alice.slash(club.channel, "week show")
    assert nothing.ephemeral and "not set up here yet" in nothing.response.content
    await turn_on(club, timezone="Europe/Berlin")
    waiting = await club.alice.slash(club.channel, "week show")
    assert waiting.response.content.startswith("No ballot is open. The next one opens <t:")
    await advance_to(club, datetime(2026, 3, 23, 17, 0, 1, tzinfo=UTC))
    ballot = await club.store.weekly.open_ballot(club.guild.id)
    await vote(club.alice, club, ballot, 2)
    shown = await club.alice.slash(club.channel, "week show")
    assert shown.ephemeral and "ballot for 2026-W13" in shown.response.content
    marks = [label.startswith("✓ ") for label in labels(shown.response.message)]
    assert marks == [False, True, False, False]
    # A vote from /week show's private copy of the ballot counts the same.
    again = await club.alice.click(shown.response.message, custom_id=buttons(shown.response.message)[0].custom_id)
    assert again.response.content.startswith("You voted for") and len(await club.store.weekly.votes(ballot.id)) == 2
    await club.mod.slash(club.channel, "week close")
    pick = await club.store.weekly.pick_of_week(club.guild.id, "2026-W13")
    film = await club.store.films.get(pick.film_id)
    after = await club.alice.slash(club.channel, "week show")
    assert after.response.content == f"Film of the week (2026-W13): **{film.title}**"
    history = await club.alice.slash(club.channel, "week history")
    assert history.ephemeral and f"**2026-W13** — {film.title}" in history.response.embeds[0].description
    # The week's ratings wait for the next ballot; the recorded vote behind the pick is shown.
    assert "ratings hidden until the next ballot opens · 1 vote from 1 member" in history.response.embeds[0].description
    assert clock.now() > MONDAY_BEFORE


async def test_a_restart_mid_ballot_keeps_every_vote_and_the_buttons_working(club, config):
    from bot.app import create_bot

    follow_simulated_clock(club, MONDAY_BEFORE)
    await turn_on(club, timezone="Europe/Berlin")
    await advance_to(club, datetime(2026, 3, 23, 17, 0, 1, tzinfo=UTC))
    ballot = await club.store.weekly.open_ballot(club.guild.id)
    films = [c.film_id for c in await club.store.weekly.candidates(ballot.id)]
    await vote(club.alice, club, ballot, 1)

    await club.env.restart_bot(create_bot(config, club.store))
    club.bot = club.env.bot

    # The message posted before the restart still takes votes: the buttons are dynamic items.
    after = await vote(club.boris, club, ballot, 1)
    assert after.ephemeral and after.response.content.startswith("You voted for")
    await vote(club.alice, club, ballot, 2)
    assert await stored_votes(club, ballot) == {
        (club.alice.id, films[0]), (club.boris.id, films[0]), (club.alice.id, films[1])
    }
    # The restarted scheduler still closes it on time, once.
    await advance_to(club, datetime(2026, 3, 27, 19, 0, 1, tzinfo=UTC))  # fri 20:00 CET
    pick = await club.store.weekly.pick_of_week(club.guild.id, "2026-W13")
    assert pick.film_id == films[0]
    announcements = [m for m in club.channel.history() if m.content.startswith("🏆")]
    assert len(announcements) == 1


async def test_a_deadline_missed_while_down_is_handled_once_on_start(club, config):
    from bot.app import create_bot

    follow_simulated_clock(club, MONDAY_BEFORE)
    await turn_on(club, timezone="Europe/Berlin")
    await advance_to(club, datetime(2026, 3, 23, 17, 0, 1, tzinfo=UTC))
    ballot = await club.store.weekly.open_ballot(club.guild.id)
    await vote(club.alice, club, ballot, 3)

    # The bot is down from Thursday to Saturday: Friday's closing passes while nobody runs.
    follow_simulated_clock(club, datetime(2026, 3, 28, 9, 0, tzinfo=UTC))
    await club.env.restart_bot(create_bot(config, club.store))
    closed = await club.store.weekly.ballot(ballot.id)
    assert closed.status == "closed"
    pick = await club.store.weekly.pick_of_week(club.guild.id, "2026-W13")
    assert pick.message_id is not None and pick.thread_id is not None
    assert await club.store.weekly.deadline(club.guild.id, "close") is None

    # Another restart, and time going on, change nothing about that week.
    await club.env.restart_bot(create_bot(config, club.store))
    await club.env.advance_time(3600)
    announcements = [m for m in club.channel.history() if m.content.startswith("🏆")]
    assert len(announcements) == 1 and len(club.channel.threads) == 1
    assert (await club.store.weekly.history(club.guild.id, 10)) == [
        await club.store.weekly.pick_of_week(club.guild.id, "2026-W13")
    ]


async def test_two_runs_of_the_same_due_closing_close_it_once(club):
    import asyncio

    follow_simulated_clock(club, MONDAY_BEFORE)
    await turn_on(club, timezone="Europe/Berlin")
    await advance_to(club, datetime(2026, 3, 23, 17, 0, 1, tzinfo=UTC))
    ballot = await club.store.weekly.open_ballot(club.guild.id)
    # Both runs are handed the same due row, as a service and a stale copy of it would be.
    (due,) = [d for d in await club.store.weekly.due("2026-03-27T19:00:05+00:00") if d.kind == "close"]
    follow_simulated_clock(club, datetime(2026, 3, 27, 19, 0, 5, tzinfo=UTC))
    transitions = club.bot.weekly.transitions
    await asyncio.gather(transitions.run(due), transitions.run(due))
    assert (await club.store.weekly.ballot(ballot.id)).status == "closed"
    assert len(await club.store.weekly.history(club.guild.id, 10)) == 1
    assert len([m for m in club.channel.history() if m.content.startswith("🏆")]) == 1
