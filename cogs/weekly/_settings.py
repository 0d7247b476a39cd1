"""/club weekly and /club rotation: how a server runs its film of the week (commands of the /club group)."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot import clock
from bot.catalogue.list_curation import Curation
from bot.club.weekly import settings as weekly_settings
from bot.club.weekly.calendar import next_occurrence
from bot.club.weekly.settings import WeeklySettings
from bot.ui import limits
from bot.ui.weekly import when

if TYPE_CHECKING:
    from bot.app import KinoBot

NEEDED = (
    "view_channel",
    "send_messages",
    "embed_links",
    "read_message_history",
    "create_public_threads",
    "send_messages_in_threads",
)


@lru_cache(maxsize=1)
def _zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


async def timezone_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    wanted = current.strip().casefold().replace(" ", "_")[:64]
    found = [zone for zone in _zones() if wanted in zone.casefold()][: limits.CHOICES]
    return [app_commands.Choice(name=zone, value=zone) for zone in found]


def describe(settings: WeeklySettings, rotation: list[tuple[str, int]]) -> str:
    now = clock.now()
    if settings.channel_id is None:
        head = "The film of the week is **off** here: choose its channel with `/club weekly channel:`."
    else:
        head = (
            f"The film of the week runs in <#{settings.channel_id}>; the next ballot opens "
            f"{when(next_occurrence(settings.opens, settings.zone, now))}."
        )
    lines = [
        head,
        f"Time zone: {settings.timezone} · opens {settings.opens} · closes {settings.closes}",
        f"Candidates: {settings.candidates} · no repeats within {settings.no_repeat_weeks} weeks",
        f"Counts: {'visible while voting' if settings.counts_visible else 'hidden until the close'}"
        f" · nominations: {'on' if settings.nominations else 'off'}"
        f" · screening: {settings.screening or 'none'}",
        "Lists in rotation (weight): " + (", ".join(f"{name} ({weight})" for name, weight in rotation) or "none"),
    ]
    return limits.clip("\n".join(lines), limits.MESSAGE)


async def rotation_names(bot: KinoBot, guild_id: int) -> list[tuple[str, int]]:
    return [(curated.name, weight) for curated, weight in await weekly_settings.rotation(bot.store, guild_id)]


def missing_permissions(channel: discord.abc.GuildChannel) -> list[str]:
    allowed = channel.permissions_for(channel.guild.me)
    return [name.replace("_", " ") for name in NEEDED if not getattr(allowed, name)]


async def apply(bot: KinoBot, interaction: discord.Interaction, changes: dict) -> str:
    settings = await weekly_settings.update(
        bot.store, bot.config, interaction.guild_id, interaction.user.id, clock.now(), **changes
    )
    weekly = bot.get_cog("Weekly")
    if weekly is not None:
        weekly.cycle.poke()
        await weekly.poster.catch_up(interaction.guild_id)
    text = "Saved. " + describe(settings, await rotation_names(bot, interaction.guild_id))
    channel = interaction.guild.get_channel(settings.channel_id) if settings.channel_id else None
    if channel is not None and (missing := missing_permissions(channel)):
        text += f"\n⚠ In {channel.mention} I still need: {', '.join(missing)}."
    return limits.clip(text, limits.MESSAGE)


async def set_rotation(bot: KinoBot, interaction: discord.Interaction, key: str, weight: int) -> str:
    curated = await Curation(bot.store).usable(interaction.guild_id, key)
    await weekly_settings.set_weight(
        bot.store, interaction.guild_id, interaction.user.id, curated.id, curated.name, weight
    )
    change = "out of rotation" if weight == 0 else f"in rotation with weight {weight}"
    names = await rotation_names(bot, interaction.guild_id)
    return limits.clip(
        f"{curated.name} is {change}. Lists in rotation (weight): " + ", ".join(f"{name} ({w})" for name, w in names),
        limits.MESSAGE,
    )
