"""The bot itself: `create_bot` builds it exactly as production runs it, for tests and playground too."""

from __future__ import annotations

import gc
import logging
import pkgutil
from collections.abc import Sequence

import discord
from discord import app_commands
from discord.ext import commands

import cogs
from bot import clock, i18n
from bot.catalogue.bundled import load_bundle, read_bundle
from bot.catalogue.enrichment import Enricher
from bot.catalogue.provider_cache import start_purging, stop_purging
from bot.catalogue.providers import Provider, TmdbProvider, WikidataProvider
from bot.catalogue.reindex import renormalise
from bot.catalogue.search import Catalogue
from bot.club.weekly.service import WeeklyService
from bot.config import Config, tmdb_token
from bot.store import Store
from bot.text import UNSENDABLE, sendable
from bot.ui.replies import APOLOGY as APOLOGY  # the error path moved to replies; still importable here
from bot.ui.replies import answer_error, tell
from bot.ui.replies import user_message as user_message
from bot.ui.translator import CommandTranslator
from cogs.weekly._transitions import WeeklyDiscord

log = logging.getLogger("kinoclub")


def cog_extensions() -> list[str]:
    """Every module in cogs/ (a leading underscore marks a helper, not a cog)."""
    return sorted(
        f"{cogs.__name__}.{module.name}"
        for module in pkgutil.iter_modules(cogs.__path__)
        if not module.name.startswith("_")
    )


def _typed_values(options: list[dict]) -> list[str]:
    """Every text a member typed into a command's options, subcommands and focused autocomplete included."""
    found = []
    for option in options:
        if isinstance(option.get("value"), str):
            found.append(option["value"])
        found.extend(_typed_values(option.get("options", [])))
    return found


class KinoTree(app_commands.CommandTree):
    """Every command's errors take `answer_error` (autocomplete's take `replies.suggestions`)."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Text with a lone surrogate can be neither stored nor sent back, so no command sees it: one
        check here instead of one in every command. Forms are checked where their text is read.

        Every command and autocomplete runs in its own task, so the member's language set here holds
        for all it says; a public post switches to the server's with `i18n.speaking`."""
        i18n.use(str(interaction.locale))
        data = interaction.data or {}
        if all(sendable(value) for value in _typed_values(data.get("options", []))):
            return True
        if interaction.type is discord.InteractionType.autocomplete:
            await interaction.response.autocomplete([])
        else:
            await tell(interaction, i18n._(UNSENDABLE))
        return False

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        command = interaction.command.qualified_name if interaction.command else "?"
        await answer_error(interaction, error, f"/{command}")


class KinoBot(commands.Bot):
    def __init__(self, config: Config, store: Store, providers: Sequence[Provider] = ()) -> None:
        # kinoclub has no voice features: the missing voice libraries are not worth a warning.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        # Slash commands and components need only the guilds intent; no privileged intent is used.
        intents = discord.Intents.none()
        intents.guilds = True
        # Not privileged: tells the bot when members mark the screening event Interested.
        intents.guild_scheduled_events = True
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
        self._watch_rsvps()
        # The weekly cycle's deadlines: one supervised service, built here and started in setup_hook.
        self.weekly = WeeklyService(store, WeeklyDiscord(self))
        # What online providers add to cards; with none, every card is the catalogue's alone.
        self.enrichment = Enricher(store, providers, clock.now)
        self.purging = None  # the provider cache's scheduled purge, started in setup_hook

    async def setup_hook(self) -> None:
        applied = await self.store.migrate()
        if applied:
            log.info("database %s: applied %s", self.store.path, ", ".join(applied))
        await renormalise(self.store)  # search keys made by an older normaliser, before any search
        if self.config.catalogue.load_on_start:
            bundle = read_bundle(self.config.catalogue.data_dir, self.config.catalogue.lists)
            log.info("bundled data: %s", await load_bundle(self.store, bundle))
        for extension in cog_extensions():
            await self.load_extension(extension)
        await self.tree.set_translator(CommandTranslator())
        self.weekly.start(self.wait_until_ready)
        self.purging = start_purging(self.store, clock)  # expired provider data, every few hours
        await self.enrichment.prefetch_lists()  # the curated lists' films, in the background
        # Start-up's objects live as long as the bot: later full collections scan only what came
        # after, so a member's large import never sets off a pause over the whole heap.
        gc.freeze()
        guild_id = self.config.discord.dev_guild_id
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to the dev guild %s", len(synced), guild_id)

    def _watch_rsvps(self) -> None:
        """Dispatch `rsvp_changed(guild_id, event_id)` when a member marks an event Interested or not.

        discord.py drops GUILD_SCHEDULED_EVENT_USER_ADD/REMOVE unless the member is cached, and
        without the privileged members intent no member is, so its own events never fire here. The
        parsers are wrapped, not replaced: discord.py still does everything it did before."""
        parsers = self._connection.parsers
        for name in ("GUILD_SCHEDULED_EVENT_USER_ADD", "GUILD_SCHEDULED_EVENT_USER_REMOVE"):
            original = parsers[name]

            def parse(data: dict, original=original) -> None:
                original(data)
                self.dispatch("rsvp_changed", int(data["guild_id"]), int(data["guild_scheduled_event_id"]))

            parsers[name] = parse

    async def close(self) -> None:
        """Stop cleanly: in-flight weekly transitions finish (or are abandoned after a grace
        period) before the connection closes, so nothing acknowledged is cut in half."""
        await self.weekly.stop()
        self.weekly.transitions.poster.stop()
        await stop_purging(self.purging)
        await self.enrichment.close()
        await super().close()

    async def on_ready(self) -> None:
        log.info("online as %s (id %s) in %d servers", self.user, self.user.id, len(self.guilds))


def providers_from(config: Config) -> list[Provider]:
    """The providers the settings turn on: Wikidata unless switched off, TMDB when it has a token too."""
    chosen: list[Provider] = []
    timeout = config.providers.timeout
    if config.providers.wikidata:
        chosen.append(WikidataProvider(timeout=timeout))
    token = tmdb_token(config) if config.providers.tmdb else None
    if token:
        chosen.append(TmdbProvider(token, timeout=timeout))
    return chosen


def create_bot(config: Config, store: Store, providers: Sequence[Provider] | None = None) -> KinoBot:
    """The bot as production runs it; `kinoclub run`, the tests and the playground all use this.
    `providers` replaces those the settings choose (tests and benchmarks point them at a local server)."""
    return KinoBot(config, store, providers_from(config) if providers is None else providers)
