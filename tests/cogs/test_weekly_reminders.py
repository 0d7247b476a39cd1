"""Reminders before the close and the screening, RSVPs, and the rating window, on SimCord's
virtual clock in a time zone whose clocks change inside the week."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import create_bot
from tests.cogs.weekly_helpers import advance_to, follow_simulated_clock, message, turn_on, vote

# Berlin moves its clocks forward at 02:00 on Sunday 29 March 2026, inside this week.
MONDAY_BEFORE = datetime(2026, 3, 23, 10, 0, tzinfo=UTC)
OPENS = datetime(2026, 3, 23, 17, 0, 1, tzinfo=UTC)  # mon 18:00 CET
CLOSES = datetime(2026, 3, 29, 18, 0, tzinfo=UTC)  # sun 20:00 CEST
SCREENING = datetime(2026, 3, 29, 20, 0, tzinfo=UTC)  # sun 22:00 CEST


def reminders(channel, mark: str) -> list:
    return [m for m in channel.history() if mark in m.content]


def sent_bodies(club, mark: str) -> list[dict]:
    return [
        r.json for r in club.env.http_requests
        if r.method == "POST" and isinstance(r.json, dict) and mark in (r.json.get("content") or "")
    ]


async def test_reminders_come_at_the_servers_local_time_once_and_ping_no_one(club):
    follow_simulated_clock(club, MONDAY_BEFORE)
    await turn_on(club, timezone="Europe/Berlin", closes="sun 20:00", screening="sun 22:00")
    await advance_to(club, OPENS)
    ballot = await club.store.weekly.open_ballot(club.guild.id)
    await vote(club.alice, club, ballot, 1)
    await vote(club.boris, club, ballot, 1)
    await vote(club.boris, club, ballot, 2)

    # 24 h before Sunday 20:00 on the club's clock is Saturday 20:00, which is still winter time
    # (19:00 UTC): not 18:00 UTC, which a plain 24-hour subtraction would give.
    await advance_to(club, datetime(2026, 3, 28, 18, 59, 30, tzinfo=UTC))
    assert reminders(club.channel, "⏰") == []
    await advance_to(club, datetime(2026, 3, 28, 19, 0, 1, tzinfo=UTC))
    (reminder,) = reminders(club.channel, "⏰")
    assert "The ballot for 2026-W13 closes" in reminder.content
    assert "2 members have voted so far." in reminder.content
    url = f"https://discord.com/channels/{club.guild.id}/{club.channel.id}/{ballot.message_id}"
    assert url in reminder.content
    for candidate in await club.store.weekly.candidates(ballot.id):
        film = await club.store.films.get(candidate.film_id)
        assert f"{candidate.position}. {film.title[:80]}" in reminder.content
    assert not reminder.content.startswith("<@&")
    assert [b.custom_id for row in reminder.components for b in row.children] == ["kino:remind"]

    # The close, the announcement, its event: a member marks it Interested and the count shows.
    await advance_to(club, datetime(2026, 3, 29, 18, 0, 1, tzinfo=UTC))
    pick = await club.store.weekly.pick_of_week(club.guild.id, "2026-W13")
    assert pick.event_id and pick.screening_at == "2026-03-29T20:00:00+00:00"
    await club.alice.subscribe_event(pick.event_id)
    await club.boris.subscribe_event(pick.event_id)
    await club.boris.unsubscribe_event(pick.event_id)
    await club.mod.subscribe_event(pick.event_id)
    await club.env.advance_time(6)
    screening = next(f for f in message(club.channel, pick.message_id).embeds[0].fields if f.name == "Screening")
    assert screening.value.endswith("· 2 members interested")
    shown = await club.boris.slash(club.channel, "week show")
    assert any(f.value.endswith("· 2 members interested") for f in shown.response.embeds[0].fields)

    # 1 h before the screening (Sunday 21:00 CEST = 19:00 UTC): the event, the thread, the RSVPs.
    await advance_to(club, datetime(2026, 3, 29, 18, 59, 30, tzinfo=UTC))
    assert reminders(club.channel, "🍿") == []
    await advance_to(club, datetime(2026, 3, 29, 19, 0, 1, tzinfo=UTC))
    (before_screening,) = reminders(club.channel, "🍿")
    assert f"https://discord.com/events/{club.guild.id}/{pick.event_id}" in before_screening.content
    assert f"<#{pick.thread_id}>" in before_screening.content and "2 members interested" in before_screening.content

    # The rating window opens in the thread when the screening starts, with the Rate button.
    (thread,) = [t for t in club.channel.threads if t.id == pick.thread_id]
    assert not any("⭐" in m.content for m in thread.history())
    await advance_to(club, datetime(2026, 3, 29, 20, 0, 1, tzinfo=UTC))
    (rate,) = [m for m in thread.history() if "⭐" in m.content]
    assert [b.custom_id for row in rate.components for b in row.children] == [f"kino:rate:{pick.film_id}"]
    assert (await club.store.weekly.pick(pick.id)).rating_message_id == rate.id

    # Days later, nothing was sent twice.
    await club.env.advance_time(2 * 24 * 3600)
    assert len(reminders(club.channel, "⏰")) == 1 and len(reminders(club.channel, "🍿")) == 1
    assert len([m for m in thread.history() if "⭐" in m.content]) == 1
    club.assert_pings_no_one()


async def test_a_reminder_role_is_the_only_thing_pinged(club):
    follow_simulated_clock(club, MONDAY_BEFORE)
    role = club.guild.create_role("Film night")
    await turn_on(club, timezone="Europe/Berlin", reminder_role=role)
    await advance_to(club, OPENS)
    await advance_to(club, datetime(2026, 3, 26, 19, 0, 1, tzinfo=UTC))  # thu 20:00 CET, 24 h before fri
    (reminder,) = reminders(club.channel, "⏰")
    assert reminder.content.startswith(f"<@&{role.id}> ")
    (body,) = sent_bodies(club, "⏰")
    assert body["allowed_mentions"] == {"parse": [], "roles": [str(role.id)]} or body["allowed_mentions"] == {
        "parse": [], "roles": [role.id]
    }


async def test_after_downtime_a_reminder_is_sent_late_only_while_it_is_useful(club, config):
    follow_simulated_clock(club, MONDAY_BEFORE)
    await turn_on(club, timezone="Europe/Berlin")  # closes fri 20:00 CET; reminder thu 20:00
    await advance_to(club, OPENS)
    ballot = await club.store.weekly.open_ballot(club.guild.id)

    # Down over Thursday evening, back on Friday morning: still before the close, so sent late.
    follow_simulated_clock(club, datetime(2026, 3, 27, 8, 0, tzinfo=UTC))
    await club.env.restart_bot(create_bot(config, club.store))
    (late,) = reminders(club.channel, "⏰")
    assert "The ballot for 2026-W13 closes" in late.content

    # Next week the bot is down over both the reminder and the close: the reminder is skipped.
    await advance_to(club, datetime(2026, 3, 30, 16, 0, 1, tzinfo=UTC))  # mon 18:00 CEST
    following = await club.store.weekly.open_ballot(club.guild.id)
    assert following.id != ballot.id and following.closes_at == "2026-04-03T18:00:00+00:00"
    follow_simulated_clock(club, datetime(2026, 4, 4, 9, 0, tzinfo=UTC))
    await club.env.restart_bot(create_bot(config, club.store))
    assert (await club.store.weekly.ballot(following.id)).status == "closed"
    assert len(reminders(club.channel, "⏰")) == 1
    log = await club.mod.slash(club.channel, "club log")
    (skipped,) = [line for line in log.response.embeds[0].description.split("\n") if "reminder" in line]
    assert "kinoclub reported a problem with" in skipped
    assert "was not sent" in skipped and "the ballot had closed" in skipped


async def test_a_refused_reminder_is_tried_again_while_it_is_useful(club):
    follow_simulated_clock(club, MONDAY_BEFORE)
    await turn_on(club, timezone="Europe/Berlin")  # closes fri 20:00 CET; reminder thu 20:00 = 19:00 UTC
    await advance_to(club, OPENS)
    await advance_to(club, datetime(2026, 3, 26, 18, 59, 30, tzinfo=UTC))
    # Missing permission at that moment (fixed later by a moderator): Discord refuses once.
    club.env.inject_error(
        "POST", f"/channels/{club.channel.id}/messages", status=403, code=50013, message="Missing Permissions"
    )
    await advance_to(club, datetime(2026, 3, 26, 19, 0, 1, tzinfo=UTC))
    assert reminders(club.channel, "⏰") == []
    retry = await club.store.weekly.deadline(club.guild.id, "remind_close")
    assert retry == "2026-03-26T19:10:00+00:00"
    await club.env.advance_time(10 * 60)
    assert len(reminders(club.channel, "⏰")) == 1
    await club.env.advance_time(3600)
    assert len(reminders(club.channel, "⏰")) == 1
    assert await club.store.weekly.deadline(club.guild.id, "remind_close") is None
