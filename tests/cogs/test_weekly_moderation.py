"""Moderators steering the film of the week, members refused it, and posts that fail and recover."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest
import simcord

from cogs._checks import REFUSAL
from tests.cogs.film_helpers import CRANES, dump
from tests.cogs.weekly_helpers import (
    advance_to,
    buttons,
    follow_simulated_clock,
    labels,
    message,
    open_ballot,
    text_of,
    turn_on,
    vote,
)

MONDAY = datetime(2026, 3, 23, 10, 0, tzinfo=UTC)  # ISO week 2026-W13
PARENTHOOD = "soviet-films-about-parenthood"
ESSENTIALS = "soviet-cinema-essentials"

WEEK_MODERATOR_COMMANDS = [
    ("week open", {}),
    ("week close", {}),
    ("week extend", {"hours": 24}),
    ("week pick", {"film": CRANES}),
    ("week skip", {}),
    ("week cancel", {}),
    ("club weekly", {"candidates": 3}),
    ("club rotation", {"list": PARENTHOOD, "weight": 5}),
]


async def _list_id(club, key: str) -> int:
    return (await club.store.lists.find(club.guild.id, key)).id


async def test_plain_members_are_refused_every_weekly_moderator_command(club):
    follow_simulated_clock(club, MONDAY)
    await turn_on(club)
    ballot = await open_ballot(club)
    before = await dump(club.store)
    for command, options in WEEK_MODERATOR_COMMANDS:
        result = await club.alice.slash(club.channel, command, **options)
        assert result.ephemeral and result.response.content == REFUSAL, command
    assert await dump(club.store) == before
    assert (await club.store.weekly.open_ballot(club.guild.id)) == ballot
    assert await club.store.settings.get(club.guild.id, "weekly") == {"channel_id": club.channel.id}
    club.assert_pings_no_one()


async def test_a_tie_goes_to_the_list_picked_from_least_recently(club):
    follow_simulated_clock(club, MONDAY)
    # Ten places from 16 films on two lists (10 and 6): both lists are always on the ballot.
    await turn_on(club, candidates=10)
    parenthood, essentials = await _list_id(club, PARENTHOOD), await _list_id(club, ESSENTIALS)
    first = await open_ballot(club)
    rows = await club.store.weekly.candidates(first.id)
    from_parenthood = next(row.position for row in rows if row.list_id == parenthood)
    await vote(club.alice, club, first, from_parenthood)
    await club.mod.slash(club.channel, "week close")
    assert (await club.store.weekly.pick_of_week(club.guild.id, "2026-W13")).list_id == parenthood

    await advance_to(club, datetime(2026, 3, 30, 9, 0, tzinfo=UTC))  # Monday of W14, before the 18:00 opening
    second = await open_ballot(club)
    rows = await club.store.weekly.candidates(second.id)
    a = next(row for row in rows if row.list_id == parenthood)
    b = next(row for row in rows if row.list_id == essentials)
    await vote(club.alice, club, second, a.position)
    await vote(club.boris, club, second, b.position)
    result = await club.mod.slash(club.channel, "week close")
    assert "(a tie, broken by the list picked from least recently)" in text_of(result)
    pick = await club.store.weekly.pick_of_week(club.guild.id, "2026-W14")
    assert pick.film_id == b.film_id and pick.list_id == essentials


async def test_moderator_overrides(club):
    follow_simulated_clock(club, MONDAY)
    await turn_on(club, timezone="Europe/Moscow")
    nothing = await club.mod.slash(club.channel, "week close")
    assert text_of(nothing) == "No ballot is open."
    ballot = await open_ballot(club)
    twice = await club.mod.slash(club.channel, "week open")
    assert "A ballot is open already" in text_of(twice)

    extended = await club.mod.slash(club.channel, "week extend", hours=24)
    later = await club.store.weekly.ballot(ballot.id)
    assert later.closes_at == "2026-03-28T17:00:00+00:00"  # fri 20:00 Moscow (UTC+3), plus a day
    assert await club.store.weekly.deadline(club.guild.id, "close") == later.closes_at
    stamp = f"<t:{int(datetime(2026, 3, 28, 17, tzinfo=UTC).timestamp())}:F>"
    assert stamp in text_of(extended) and stamp in message(club.channel, ballot.message_id).content

    await vote(club.alice, club, ballot, 1)
    stale = (await club.boris.slash(club.channel, "week show")).response.message  # his private copy
    chosen = await club.mod.slash(club.channel, "week pick", film=CRANES)
    assert "is the film of the week" in text_of(chosen)
    cranes = await club.store.films.get_by_key(CRANES)
    called_off = message(club.channel, ballot.message_id)
    assert f"called off by a moderator. A moderator chose **{cranes.title}**" in called_off.content
    assert all(button.disabled for button in buttons(called_off))
    assert (await club.store.weekly.ballot(ballot.id)).status == "cancelled"
    pick = await club.store.weekly.pick_of_week(club.guild.id, "2026-W13")
    assert (pick.film_id, pick.how, pick.picked_by) == (cranes.id, "moderator", club.mod.id)
    announcement = message(club.channel, pick.message_id)
    assert any(field.name == "Chosen by" for field in announcement.embeds[0].fields)
    late_vote = await club.boris.click(stale, custom_id=buttons(stale)[1].custom_id)
    assert late_vote.response.content == "This ballot was cancelled; votes can no longer change."
    again = await club.mod.slash(club.channel, "week open")
    assert "This week (2026-W13) already has its film of the week." in text_of(again)

    await advance_to(club, datetime(2026, 3, 30, 9, 0, tzinfo=UTC))
    third = await open_ballot(club)
    cancelled = await club.mod.slash(club.channel, "week cancel")
    assert "called off" in text_of(cancelled)
    assert (await club.store.weekly.ballot(third.id)).status == "cancelled"
    assert await club.store.weekly.deadline(club.guild.id, "close") is None
    reopened = await open_ballot(club)
    assert reopened.week == "2026-W14" and reopened.id != third.id
    skipped = await club.mod.slash(club.channel, "week skip")
    assert text_of(skipped) == "No film this week. The open ballot was called off."
    assert (await club.store.weekly.pick_of_week(club.guild.id, "2026-W14")).how == "skip"

    history = await club.alice.slash(club.channel, "week history")
    text = history.response.embeds[0].description
    assert text.index("**2026-W14** — skipped") < text.index("**2026-W13** — The Cranes Are Flying")
    log = await club.store.audit.latest(club.guild.id, 20)
    assert [e.action for e in log if e.action.startswith("week.")] == [
        "week.skip", "week.open", "week.cancel", "week.open", "week.pick", "week.extend", "week.open",
    ]
    club.assert_pings_no_one()


async def test_a_channel_the_bot_cannot_post_in_is_reported_and_the_cycle_resumes_when_fixed(club):
    follow_simulated_clock(club, MONDAY)
    me = club.guild.me
    locked = club.guild.create_text_channel(
        "locked", overwrites={me: discord.PermissionOverwrite(send_messages=False)}
    )
    warned = await turn_on(club, channel=locked)
    assert "⚠ In <#" in warned and "send messages" in warned
    result = await club.mod.slash(club.channel, "week open")
    assert "is open, but: I am not allowed to post the ballot" in text_of(result)
    ballot = await club.store.weekly.open_ballot(club.guild.id)
    assert ballot.message_id is None and ballot.problem.startswith("I am not allowed")
    (problem,) = [e for e in await club.store.audit.latest(club.guild.id, 10) if e.action == "week.problem"]
    assert problem.user_id == 0 and "not allowed to post the ballot" in problem.after
    assert await club.store.weekly.deadline(club.guild.id, "retry") is not None
    shown = await club.mod.slash(club.channel, "club log")
    assert "· kinoclub reported a problem with" in shown.response.embeds[0].description.split("\n")[0]

    await turn_on(club, channel=club.channel)
    posted = await club.store.weekly.open_ballot(club.guild.id)
    assert posted.message_id is not None and posted.problem is None
    assert "ballot for 2026-W13" in message(club.channel, posted.message_id).content


async def test_nominations_join_the_draw(club):
    follow_simulated_clock(club, MONDAY)
    await turn_on(club, candidates=10)
    await club.mod.slash(club.channel, "club rotation", list=PARENTHOOD, weight=0)
    assert await club.store.weekly.rotation(club.guild.id) == {await _list_id(club, ESSENTIALS): 1}
    on_parenthood = [e.film for e in await club.store.lists.entries(await _list_id(club, PARENTHOOD))]
    first, second = on_parenthood[0], on_parenthood[1]
    done = await club.alice.slash(club.channel, "week nominate", film=first.key)
    assert done.ephemeral and f"You nominated **{first.title}**" in done.response.content
    replaced = await club.alice.slash(club.channel, "week nominate", film=second.key)
    assert f"It replaces your nomination of {first.title}." in replaced.response.content
    assert [n.film_id for n in await club.store.weekly.nominations(club.guild.id)] == [second.id]

    ballot = await open_ballot(club)
    rows = await club.store.weekly.candidates(ballot.id)
    assert len(rows) == 7  # the six essentials and the nomination: fewer films than places
    nominated = next(row for row in rows if row.list_id is None)
    assert (nominated.film_id, nominated.nominated_by) == (second.id, club.alice.id)
    footer = message(club.channel, ballot.message_id).embeds[nominated.position - 1].footer.text
    assert footer.startswith("Nominated by a member")
    assert await club.store.weekly.nominations(club.guild.id) == []  # a new cycle, a new nomination each
    on_ballot = await club.boris.slash(club.channel, "week nominate", film=second.key)
    assert "is on the open ballot already" in on_ballot.response.content

    await club.mod.slash(club.channel, "club weekly", nominations=False)
    off = await club.boris.slash(club.channel, "week nominate", film=first.key)
    assert off.response.content == "Nominations are turned off on this server."
    emptied = await club.mod.slash(club.channel, "club rotation", list=ESSENTIALS, weight=0)
    assert "At least one list must stay in rotation" in emptied.response.content


@pytest.mark.parametrize(
    "value", ["", " ", "x" * 5000, "\x00\x1b[31m", "@everyone", "<@&1234>", "<@1234>", "no such film at all"]
)
async def test_bad_film_values_for_nominate_and_pick_are_refused_and_change_nothing(club, value):
    follow_simulated_clock(club, MONDAY)
    await turn_on(club)
    before = await dump(club.store)
    for member, command in ((club.alice, "week nominate"), (club.mod, "week pick")):
        result = await member.slash(club.channel, command, film=value)
        assert result.ephemeral and 0 < len(text_of(result)) < 400, (command, text_of(result))
        assert "@everyone" not in text_of(result) or "“" in text_of(result)
    assert await dump(club.store) == before
    assert await club.store.weekly.nominations(club.guild.id) == []
    club.assert_pings_no_one()


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"opens": "someday 10:00"}, 'opens: expected "DAY HH:MM" with DAY one of'),
        ({"closes": "fri 25:00"}, "closes: expected \"DAY HH:MM\" with a time from 00:00 to 23:59"),
        ({"screening": "@everyone"}, 'screening: expected "DAY HH:MM"'),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone: that is not a time zone I know"),
        ({"timezone": "../../etc/passwd"}, "timezone: that is not a time zone I know"),
        ({"timezone": "Europe/\x00"}, "timezone: that is not a time zone I know"),
        ({"opens": "fri 20:00", "closes": "fri 20:00"}, "cannot open and close at the same moment"),
    ],
)
async def test_bad_weekly_settings_are_named_and_nothing_is_saved(club, options, expected):
    follow_simulated_clock(club, MONDAY)
    result = await club.mod.slash(club.channel, "club weekly", **options)
    assert result.ephemeral and expected in text_of(result), text_of(result)
    assert await club.store.settings.get(club.guild.id, "weekly") is None
    assert await club.store.weekly.deadline(club.guild.id, "open") is None
    club.assert_pings_no_one()


async def test_out_of_range_numbers_never_reach_the_bot(club):
    for command, options in (
        ("week extend", {"hours": 0}), ("week extend", {"hours": 169}),
        ("club weekly", {"candidates": 11}), ("club rotation", {"list": PARENTHOOD, "weight": 101}),
    ):
        with pytest.raises(simcord.OptionError):
            await club.mod.slash(club.channel, command, **options)


@pytest.mark.parametrize("typed", ["", "europe", "@everyone", "x" * 100, "\x00"])
async def test_timezone_autocomplete_within_discords_limits(club, typed):
    choices = await club.mod.autocomplete(club.channel, "club weekly", "timezone", typed)
    assert len(choices) <= 25 and all(len(c["name"]) <= 100 and len(str(c["value"])) <= 100 for c in choices)
    if typed == "europe":
        assert "Europe/Amsterdam" in [c["value"] for c in choices]


async def test_hidden_counts_stay_hidden_until_the_close(club):
    follow_simulated_clock(club, MONDAY)
    await turn_on(club, counts="hidden")
    ballot = await open_ballot(club)
    await vote(club.alice, club, ballot, 1)
    await club.env.advance_time(6)
    posted = message(club.channel, ballot.message_id)
    assert "Counts are hidden until the ballot closes." in posted.content
    assert all("(" not in label for label in labels(posted))
    assert all(" vote" not in embed.footer.text for embed in posted.embeds)
    await club.mod.slash(club.channel, "week close")
    closed = message(club.channel, ballot.message_id)
    assert labels(closed)[0].endswith("(1)") and closed.embeds[0].footer.text.endswith(" · 1 vote")


@pytest.mark.parametrize("value", ["", "x" * 5000, "\x00\x1b", "@everyone", "<@&1234>", "no-such-list"])
async def test_bad_list_values_for_rotation_are_refused_and_change_nothing(club, value):
    before = await dump(club.store)
    result = await club.mod.slash(club.channel, "club rotation", list=value, weight=3)
    assert result.ephemeral and 0 < len(text_of(result)) < 400, text_of(result)
    assert await club.store.weekly.rotation(club.guild.id) == {}
    assert await dump(club.store) == before
    club.assert_pings_no_one()
