"""The bot as production builds it: login, cogs, command sync, the error path."""

from __future__ import annotations

import logging
from pathlib import Path

import cogs
from bot.app import APOLOGY, cog_extensions
from tests.conftest import DEV_GUILD


async def test_logs_in_and_syncs_commands_to_the_dev_guild(club):
    assert club.bot.is_ready()
    assert club.bot.user is not None
    synced = {command["name"] for command in club.env.backend.commands.get(DEV_GUILD, {}).values()}
    assert "film" in synced
    # Nothing is published globally unless an owner runs `kinoclub sync`.
    assert not club.env.backend.commands.get(None)
    assert "film show" in club.alice.available_commands(club.channel)


async def test_every_cog_in_the_folder_is_loaded(club):
    folder = Path(cogs.__file__).parent
    modules = [path.stem for path in folder.glob("*.py")] + [path.parent.name for path in folder.glob("*/__init__.py")]
    on_disk = {f"cogs.{name}" for name in modules if not name.startswith("_")}
    assert on_disk and set(cog_extensions()) == on_disk
    assert set(club.bot.extensions) == on_disk


async def test_start_up_loads_the_bundled_catalogue(club):
    assert await club.store.films.count() == 16
    lists = await club.store.lists.visible_to(club.guild.id)
    assert {lst.key for lst in lists} == {"soviet-films-about-parenthood", "soviet-cinema-essentials"}


async def test_uses_no_privileged_intent_and_pings_no_one_by_default(club):
    intents = club.bot.intents
    assert not (intents.members or intents.presences or intents.message_content)
    mentions = club.bot.allowed_mentions
    assert not (mentions.everyone or mentions.users or mentions.roles)


async def test_an_unexpected_failure_is_logged_and_the_member_gets_a_short_apology(club, caplog):
    # Break the store for real: the read connection is gone, as after a disk failure.
    await club.store._read.close()
    with caplog.at_level(logging.ERROR, logger="kinoclub"):
        result = await club.alice.slash(club.channel, "film show", title="cranes")
    assert result.ephemeral
    assert result.response.content == APOLOGY
    assert "Traceback" not in result.response.content
    failures = [record for record in caplog.records if record.name == "kinoclub" and record.exc_info]
    assert failures and "/film show failed" in failures[0].getMessage()
    (error,) = club.take_errors()
    assert "Connection closed" in str(error)
