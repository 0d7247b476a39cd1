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
from bot.errors import UserError
from bot.ui import limits
from bot.ui.replies import suggestions
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


@suggestions
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
        _reminders(settings),
        "Ratings of the film of the week: "
        + ("hidden until the next ballot opens" if settings.hide_ratings else "shown as members rate"),
        "Lists in rotation (weight): " + (", ".join(f"{name} ({weight})" for name, weight in rotation) or "none"),
    ]
    return limits.clip("\n".join(lines), limits.MESSAGE)


def _reminders(settings: WeeklySettings) -> str:
    times = [
        f"{hours} h before the {moment}"
        for hours, moment in ((settings.remind_close, "close"), (settings.remind_screening, "screening"))
        if hours
    ]
    if not times:
        return "Reminders: off"
    ping = f"ping <@&{settings.reminder_role_id}>" if settings.reminder_role_id else "no ping"
    return f"Reminders: {', '.join(times)}, {ping}"


def reminder_role_id(role: discord.Role, guild_id: int) -> int:
    """The role reminders may ping: one members can join and leave, so never @everyone or a bot's own."""
    if role.guild.id != guild_id:
        raise UserError("reminder_role: choose a role of this server.")
    if role.is_default():
        raise UserError("reminder_role: not @everyone — reminders ping only members who asked to be pinged.")
    if role.managed:
        raise UserError(
            f"reminder_role: {role.mention} is managed by Discord or a bot, so members cannot join it; "
            "choose or create a plain role."
        )
    return role.id


async def rotation_names(bot: KinoBot, guild_id: int) -> list[tuple[str, int]]:
    return [(curated.name, weight) for curated, weight in await weekly_settings.rotation(bot.store, guild_id)]


def missing_permissions(channel: discord.abc.GuildChannel) -> list[str]:
    allowed = channel.permissions_for(channel.guild.me)
    return [name.replace("_", " ") for name in NEEDED if not getattr(allowed, name)]


def server_warnings(guild: discord.Guild, settings: WeeklySettings) -> list[str]:
    """What the bot lacks server-wide for these settings: the screening event and the reminder role."""
    me = guild.me
    allowed = me.guild_permissions
    found = []
    # Discord creates an event with Create Events; the older Manage Events still grants it.
    if settings.channel_id is not None and settings.screening is not None and not (
        allowed.create_events or allowed.manage_events
    ):
        found.append("⚠ I need Create Events in this server to create the screening event.")
    if settings.reminder_role_id is not None:
        role = guild.get_role(settings.reminder_role_id)
        if role is None:
            found.append("⚠ The reminder role no longer exists; name another with reminder_role:.")
        elif not (allowed.manage_roles and role.is_assignable()):
            found.append(
                f"⚠ I need Manage Roles and my role above {role.mention} so members can join and leave it."
            )
    return found


async def apply(bot: KinoBot, interaction: discord.Interaction, changes: dict) -> str:
    settings = await weekly_settings.update(
        bot.store, bot.config, interaction.guild_id, interaction.user.id, clock.now(), **changes
    )
    bot.weekly.wake()
    # Choosing a working channel is how a moderator fixes a failed post: try what is owed at once.
    await bot.weekly.transitions.poster.catch_up(interaction.guild_id)
    text = "Saved. " + describe(settings, await rotation_names(bot, interaction.guild_id))
    channel = interaction.guild.get_channel(settings.channel_id) if settings.channel_id else None
    if channel is not None and (missing := missing_permissions(channel)):
        text += f"\n⚠ In {channel.mention} I still need: {', '.join(missing)}."
    for warning in server_warnings(interaction.guild, settings):
        text += "\n" + warning
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
