"""The playground's server: the real bot, built by `create_bot` as production does, inside SimCord.

A ready-made club: `#film-club`, a `Moderator` role, and the members mod (a moderator), alice, boris
and dasha. The bot's commands are published globally, once, as `kinoclub sync` publishes them (a dev
guild's copies beside the global ones would show every command twice in the browser preview), and
the bot reads SimCord's virtual clock, so `advance 3d` moves the bot's week too.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import discord
from simcord import Env
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle, GuildHandle, RoleHandle

from bot import clock
from bot.app import KinoBot, create_bot
from bot.config import Config
from bot.playground import locales
from bot.playground.slash import CommandIndex
from bot.store import Store

GUILD_ID = 1_111_111_111_111_111_111
GUILD_NAME = "Film Club"
CHANNEL = "film-club"
MODERATOR_ROLE = "Moderator"
MODERATOR = "mod"
PEOPLE = (MODERATOR, "alice", "boris", "dasha")
BOT_NAME = "kinoclub"
# SimCord waits this long (real seconds) for the bot to go quiet after a step; generous, for slow machines.
SETTLE_TIMEOUT = 30.0


@dataclass
class World:
    config: Config
    store: Store
    bot: KinoBot
    env: Env
    guild: GuildHandle
    channel: ChannelHandle
    moderator_role: RoleHandle
    people: dict[str, MemberActor]
    locale: str = "en-US"  # the server's and every member's: how the transcript shows Discord's timestamps

    def commands(self) -> CommandIndex:
        """What the bot's command tree holds now (read afresh: cogs may load and unload)."""
        return CommandIndex.from_tree(self.bot.tree, self.config.discord.dev_guild_id)


def playground_config(config: Config, database: Path) -> Config:
    """The settings in force, with the playground's database, no dev guild (commands are global here)
    and no online film sources: the simulated server reaches no real service."""
    return dataclasses.replace(
        config,
        database=dataclasses.replace(config.database, path=database),
        discord=dataclasses.replace(config.discord, dev_guild_id=None),
        providers=dataclasses.replace(config.providers, wikidata=False, tmdb=False),
    )


@asynccontextmanager
async def open_world(config: Config, database: Path | None = None, locale: str = "en-US") -> AsyncIterator[World]:
    """Start the bot in its simulated server; on leaving, shut it down and give the clock back.

    `locale` is the server's preferred locale and every member's client language ("ru": a Russian club)."""
    async with AsyncExitStack() as stack:
        if database is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="kinoclub-playground-db-"))
            database = Path(folder) / "playground.db"
        config = playground_config(config, database)
        store = await stack.enter_async_context(Store.open(database))
        bot = create_bot(config, store)
        env = Env(bot, settle_timeout=SETTLE_TIMEOUT)
        env.backend.bot_user.name = BOT_NAME  # cosmetic: SimCord calls its bot user "TestBot"
        guild = env.create_guild(GUILD_NAME, id=GUILD_ID, preferred_locale=locale)
        locales.install()
        clock.use(env.now)
        stack.callback(clock.use, None)
        await env.start()
        stack.push_async_callback(env.shutdown)
        await bot.tree.sync()
        channel = guild.create_text_channel(CHANNEL)
        role = guild.create_role(MODERATOR_ROLE, permissions=discord.Permissions.none())
        people = {
            name: guild.add_member(env.create_user(name), roles=[role] if name == MODERATOR else [])
            for name in PEOPLE
        }
        for member in people.values():
            locales.speaks(member, locale)
        await env.settle()
        yield World(config, store, bot, env, guild, channel, role, people, locale)
