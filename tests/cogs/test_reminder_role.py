"""The reminder role: moderators name it in /club weekly, members join and leave it themselves."""

from __future__ import annotations

import discord
import pytest

from bot.club.weekly import settings as weekly_settings
from cogs.weekly._remind import CUSTOM_ID, reminder_view
from tests.cogs.weekly_helpers import text_of, turn_on

ON = "You will be pinged for the film of the week's reminders."
OFF = "You will no longer be pinged for the film of the week's reminders."


def has_role(club, member, role) -> bool:
    """Discord's own record of the member, not the bot's cache."""
    return role.id in club.env.backend.get_member(club.guild.id, member.id).role_ids


def bot_role(club):
    (role,) = [r for r in club.env.backend.get_guild(club.guild.id).roles.values() if r.managed]
    return role


def take_from_bot(club, *names: str) -> None:
    """What a server owner does by unticking the bot role's permissions."""
    permissions = discord.Permissions(bot_role(club).permissions)
    for name in names:
        setattr(permissions, name, False)
    club.env.backend.edit_role(club.guild.id, bot_role(club).id, {"permissions": permissions.value})


async def with_role(club, **options):
    role = club.guild.create_role("Film night")
    result = await club.mod.slash(club.channel, "club weekly", reminder_role=role, **options)
    await club.env.advance_time(1)  # the role's creation reaches the bot's cache first
    return role, text_of(result)


async def remind(club, member, pings: str) -> str:
    result = await member.slash(club.channel, "week remind", pings=pings)
    assert result.ephemeral
    return text_of(result)


async def posted_reminder(club):
    """A reminder as the scheduler posts it: the bot's own message with the button."""
    channel = club.bot.get_channel(club.channel.id)
    await channel.send("Voting closes in 24 h.", view=reminder_view())
    return club.channel.last_message


async def test_moderators_set_the_reminders_and_see_them(club):
    role = club.guild.create_role("Film night")
    text = await turn_on(
        club, remind_close=48, remind_screening=2, reminder_role=role, hide_ratings=False, screening="sat 19:00"
    )
    assert f"Reminders: 48 h before the close, 2 h before the screening, ping <@&{role.id}>" in text
    assert "Ratings of the film of the week: shown as members rate" in text
    settings = await weekly_settings.load(club.store, club.bot.config, club.guild.id)
    assert (settings.remind_close, settings.remind_screening, settings.reminder_role_id) == (48, 2, role.id)
    assert settings.hide_ratings is False
    assert "⚠" not in text  # the bot's role is above the new one and it has every permission

    cleared = await club.mod.slash(club.channel, "club weekly", no_reminder_role=True, remind_close=0)
    assert "Reminders: 2 h before the screening, no ping" in text_of(cleared)
    off = await club.mod.slash(club.channel, "club weekly", remind_screening=0, hide_ratings=True)
    assert "Reminders: off" in text_of(off)
    assert "hidden until the next ballot opens" in text_of(off)
    shown = await club.mod.slash(club.channel, "club weekly")
    assert "Reminders: off" in text_of(shown)
    log = [e.action for e in await club.store.audit.latest(club.guild.id, 10)]
    assert log.count("club.weekly") == 3
    club.assert_pings_no_one()


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"remind_close": 200}, "remind_close: choose a number from 0 to 144."),
        ({"remind_close": -1}, "remind_close: choose a number from 0 to 144."),
        ({"remind_screening": 145}, "remind_screening: choose a number from 0 to 144."),
    ],
)
async def test_bad_reminder_hours_are_explained_and_change_nothing(club, options, expected):
    result = await club.mod.slash(club.channel, "club weekly", **options)
    assert result.ephemeral and text_of(result) == expected
    assert await club.store.settings.get(club.guild.id, weekly_settings.SETTING) is None
    club.assert_pings_no_one()


async def test_everyone_and_a_bots_own_role_are_refused(club):
    bots = club.guild.roles[bot_role(club).name]
    for role, expected in ((club.guild.default_role, "not @everyone"), (bots, "managed by Discord or a bot")):
        result = await club.mod.slash(club.channel, "club weekly", reminder_role=role)
        assert result.ephemeral and expected in text_of(result), text_of(result)
    both = await club.mod.slash(club.channel, "club weekly", reminder_role=club.moderator_role, no_reminder_role=True)
    assert "not both" in text_of(both)
    assert await club.store.settings.get(club.guild.id, weekly_settings.SETTING) is None
    refused = await club.alice.slash(club.channel, "club weekly", reminder_role=club.moderator_role)
    assert "Only the club's moderators" in text_of(refused)
    assert await club.store.settings.get(club.guild.id, weekly_settings.SETTING) is None
    club.assert_pings_no_one()


async def test_members_join_and_leave_the_role_with_week_remind(club):
    role, _ = await with_role(club)
    assert await remind(club, club.alice, "on") == ON
    assert has_role(club, club.alice, role)
    assert await remind(club, club.alice, "on") == ON  # asking twice changes nothing
    assert has_role(club, club.alice, role) and not has_role(club, club.boris, role)
    assert await remind(club, club.alice, "off") == OFF
    assert not has_role(club, club.alice, role)
    assert await remind(club, club.alice, "off") == OFF
    assert not has_role(club, club.alice, role)
    club.assert_pings_no_one()


async def test_the_button_on_a_reminder_toggles_the_role(club):
    role, _ = await with_role(club)
    msg = await posted_reminder(club)
    (button,) = [child for row in msg.components for child in row.children]
    assert button.custom_id == CUSTOM_ID and len(CUSTOM_ID) <= 100
    pressed = await club.boris.click(msg, custom_id=CUSTOM_ID)
    assert pressed.ephemeral and text_of(pressed) == ON
    assert has_role(club, club.boris, role)
    again = await club.boris.click(msg, custom_id=CUSTOM_ID)
    assert text_of(again) == OFF and not has_role(club, club.boris, role)
    assert await remind(club, club.boris, "on") == ON  # the command and the button are one switch
    assert text_of(await club.boris.click(msg, custom_id=CUSTOM_ID)) == OFF
    assert not has_role(club, club.boris, role)
    club.assert_pings_no_one()


async def test_without_a_reminder_role_members_are_told_nobody_is_pinged(club):
    text = await remind(club, club.alice, "on")
    assert "Reminders ping nobody here" in text and "/club weekly reminder_role:" in text
    msg = await posted_reminder(club)
    pressed = await club.alice.click(msg, custom_id=CUSTOM_ID)
    assert "Reminders ping nobody here" in text_of(pressed)
    assert club.env.backend.get_member(club.guild.id, club.alice.id).role_ids == []
    club.assert_pings_no_one()


async def test_a_bot_without_manage_roles_refuses_clearly_and_changes_nothing(club):
    role, _ = await with_role(club)
    take_from_bot(club, "manage_roles")
    await club.env.advance_time(1)
    text = await remind(club, club.alice, "on")
    assert text.startswith("I can't give you the reminder role: I need the Manage Roles permission")
    assert f"above <@&{role.id}> — ask a moderator" in text
    msg = await posted_reminder(club)
    pressed = await club.alice.click(msg, custom_id=CUSTOM_ID)
    assert text_of(pressed) == text
    assert club.env.backend.get_member(club.guild.id, club.alice.id).role_ids == []
    assert not any("/roles/" in r.path for r in club.env.http_requests)  # refused before asking Discord
    club.assert_pings_no_one()


async def test_a_refusal_from_discord_itself_is_explained(club):
    role, _ = await with_role(club)
    # Discord changed its mind without telling the bot yet: its cache still shows Manage Roles.
    bot_role(club).permissions &= ~discord.Permissions(manage_roles=True).value
    text = await remind(club, club.alice, "on")
    assert text.startswith("I can't give you the reminder role") and f"<@&{role.id}>" in text
    assert any(r.method == "PUT" and "/roles/" in r.path for r in club.env.http_requests)
    assert not has_role(club, club.alice, role)
    club.assert_pings_no_one()


async def test_a_role_above_the_bots_refuses_clearly_and_changes_nothing(club):
    high = club.guild.create_role("Above the bot", position=bot_role(club).position + 1)
    await club.mod.slash(club.channel, "club weekly", reminder_role=high)
    await club.env.advance_time(1)
    text = await remind(club, club.alice, "on")
    assert text.startswith("I can't give you the reminder role") and f"<@&{high.id}>" in text
    assert club.env.backend.get_member(club.guild.id, club.alice.id).role_ids == []
    club.assert_pings_no_one()


async def test_a_role_the_bot_cannot_give_is_warned_about_when_saving(club):
    high = club.guild.create_role("Above the bot", position=bot_role(club).position + 1)
    result = await club.mod.slash(club.channel, "club weekly", reminder_role=high)
    assert f"⚠ I need Manage Roles and my role above <@&{high.id}> so members can join and leave it." in text_of(result)
    club.assert_pings_no_one()


async def test_the_warning_after_saving_lists_create_events_and_manage_roles(club):
    take_from_bot(club, "manage_roles", "manage_events", "create_events")
    await club.env.advance_time(1)
    role = club.guild.create_role("Film night")
    text = await turn_on(club, screening="sat 19:00", reminder_role=role)
    assert "⚠ I need Create Events in this server to create the screening event." in text
    assert f"⚠ I need Manage Roles and my role above <@&{role.id}> so members can join and leave it." in text

    club.env.backend.edit_role(club.guild.id, bot_role(club).id, {"permissions": discord.Permissions.all().value & ~8})
    await club.env.advance_time(1)
    fixed = await club.mod.slash(club.channel, "club weekly", remind_close=12)
    assert "⚠" not in text_of(fixed)
    club.assert_pings_no_one()
