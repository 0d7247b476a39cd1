"""The bot itself: `create_bot` builds it exactly as production runs it, for tests and playground too."""

from __future__ import annotations

import logging
import pkgutil

import discord
from discord import app_commands
from discord.ext import commands

import cogs
from bot.catalogue.bundled import load_bundle, read_bundle
from bot.catalogue.search import Catalogue
from bot.config import Config
from bot.errors import UserError
from bot.store import Store
from bot.ui.replies import tell

log = logging.getLogger("kinoclub")

APOLOGY = "Something went wrong on our side and it has been logged. Please try again in a moment."


def cog_extensions() -> list[str]:
    """Every module in cogs/ (a leading underscore marks a helper, not a cog)."""
    return sorted(
        f"{cogs.__name__}.{module.name}"
        for module in pkgutil.iter_modules(cogs.__path__)
        if not module.name.startswith("_")
    )


def user_message(error: app_commands.AppCommandError) -> str | None:
    """What to tell the member about `error`, or None when it is our fault and must be logged."""
    original = getattr(error, "original", error)
    if isinstance(original, UserError):
        return original.message
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works in a server, not in direct messages."
    if isinstance(error, app_commands.CheckFailure):
        return str(error) or "You are not allowed to use this command here."
    if isinstance(error, app_commands.TransformerError):
        return f"That value for {error.transformer.type.name.lower()} is not one I can use."
    return None


class KinoTree(app_commands.CommandTree):
    """One error path: a `UserError` becomes an ephemeral reply; anything else is logged in full.

    (An autocomplete callback that fails is logged by discord.py itself; Discord then shows no choices.)
    """

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        message = user_message(error)
        command = interaction.command.qualified_name if interaction.command else "?"
        if message is None:
            log.error(
                "/%s failed for user %s in guild %s",
                command, interaction.user.id, interaction.guild_id, exc_info=error,
            )
            message = APOLOGY
        try:
            await tell(interaction, message)
        except discord.HTTPException:
            log.warning("could not tell user %s about a failed /%s", interaction.user.id, command, exc_info=True)


class KinoBot(commands.Bot):
    def __init__(self, config: Config, store: Store) -> None:
        # kinoclub has no voice features: the missing voice libraries are not worth a warning.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        # Slash commands and components need only the guilds intent; no privileged intent is used.
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            tree_cls=KinoTree,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.config = config
        self.store = store
        self.catalogue = Catalogue(store)

    async def setup_hook(self) -> None:
        applied = await self.store.migrate()
        if applied:
            log.info("database %s: applied %s", self.store.path, ", ".join(applied))
        if self.config.catalogue.load_on_start:
            bundle = read_bundle(self.config.catalogue.data_dir, self.config.catalogue.lists)
            log.info("bundled data: %s", await load_bundle(self.store, bundle))
        for extension in cog_extensions():
            await self.load_extension(extension)
        guild_id = self.config.discord.dev_guild_id
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to the dev guild %s", len(synced), guild_id)

    async def on_ready(self) -> None:
        log.info("online as %s (id %s) in %d servers", self.user, self.user.id, len(self.guilds))


def create_bot(config: Config, store: Store) -> KinoBot:
    """The bot as production runs it; `kinoclub run`, the tests and the playground all use this."""
    return KinoBot(config, store)
