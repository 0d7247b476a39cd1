"""/club language: the server's public language, and each member's own for private replies."""

from __future__ import annotations

from bot.club.language import server_language
from tests.locales import speaks


async def test_a_moderator_switches_the_server_to_russian_and_it_is_recorded(club):
    reply = await club.mod.slash(club.channel, "club language", language="ru")
    assert reply.ephemeral
    assert reply.response.content.startswith("The bot's public posts here are now in Русский.")
    assert await server_language(club.store, club.guild.id) == "ru"
    (entry,) = [e for e in await club.store.audit.latest(club.guild.id, 10) if e.action == "club.language"]
    assert (entry.before, entry.after) == ("en", "ru")
    again = await club.mod.slash(club.channel, "club language", language="ru")
    assert "already" in again.response.content


async def test_a_russian_moderator_is_answered_in_russian(club):
    speaks(club.mod, "ru")
    reply = await club.mod.slash(club.channel, "club language", language="en")
    assert reply.response.content.startswith("Общие сообщения бота на этом сервере уже на языке: English.")


async def test_a_plain_member_cannot_change_the_language(club):
    reply = await club.alice.slash(club.channel, "club language", language="ru")
    assert reply.ephemeral
    assert await server_language(club.store, club.guild.id) == "en"


async def test_until_a_moderator_chooses_the_servers_preferred_locale_decides(club):
    assert await server_language(club.store, club.guild.id, "ru") == "ru"
    assert await server_language(club.store, club.guild.id, "en-US") == "en"
    assert await server_language(club.store, club.guild.id, "ja") == "en"  # not a language we speak
    await club.mod.slash(club.channel, "club language", language="en")
    assert await server_language(club.store, club.guild.id, "ru") == "en"  # a choice outranks the default
