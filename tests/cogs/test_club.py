"""/club moderators and /club log, and the server-side moderator check behind every moderator command."""

from __future__ import annotations

import discord

from bot.club import moderators
from cogs._checks import REFUSAL


async def test_a_plain_member_cannot_read_the_log(club):
    result = await club.alice.slash(club.channel, "club log")
    assert result.ephemeral and result.response.content == REFUSAL


async def test_a_moderator_reads_an_empty_log(club):
    result = await club.mod.slash(club.channel, "club log")
    assert result.ephemeral
    assert "No moderator has changed anything yet" in result.response.embeds[0].description


async def test_only_manage_server_chooses_moderator_roles(club):
    result = await club.mod.slash(club.channel, "club moderators", role=club.moderator_role)
    assert result.ephemeral and "Manage Server" in result.response.content
    assert await club.store.settings.get(club.guild.id, moderators.SETTING) is None


async def test_choosing_roles_replaces_the_configured_names_and_is_logged(club):
    admins = club.guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    owner = club.guild.add_member(club.env.create_user("owner"), roles=[admins])
    curators = club.guild.create_role("Curators")
    boris_role = club.guild.create_role("Boris fans")
    club.boris = club.guild.add_member(club.env.create_user("curator"), roles=[curators, boris_role])

    result = await owner.slash(club.channel, "club moderators", role=curators)
    assert result.ephemeral and f"<@&{curators.id}>" in result.response.content
    club.assert_pings_no_one()  # the role is shown, never pinged
    assert await club.store.settings.get(club.guild.id, moderators.SETTING) == [curators.id]

    # The old "Moderator" role no longer counts; the new one does.
    assert (await club.mod.slash(club.channel, "club log")).response.content == REFUSAL
    log = await club.boris.slash(club.channel, "club log")
    (line,) = log.response.embeds[0].description.split("\n")
    assert line.endswith(f"<@{owner.id}> changed the moderator roles: the configured roles → @Curators")
    assert str(curators.id) not in line

    await owner.slash(club.channel, "club moderators", reset=True)
    assert await club.store.settings.get(club.guild.id, moderators.SETTING) is None
    assert (await club.mod.slash(club.channel, "club log")).ephemeral


def test_the_rule_itself():
    assert moderators.is_moderator([], True, None, ["Moderator"])
    assert moderators.is_moderator([(1, "moderator")], False, None, ["Moderator"])
    assert not moderators.is_moderator([(1, "Moderator")], False, [2], ["Moderator"])
    assert moderators.is_moderator([(2, "x")], False, [2], ["Moderator"])
    assert not moderators.is_moderator([(1, "Member")], False, None, ["Moderator"])
