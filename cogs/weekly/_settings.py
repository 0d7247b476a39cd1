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
from bot.i18n import _, counted, pgettext
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
        head = _("The film of the week is **off** here: choose its channel with `/club weekly channel:`.")
    else:
        head = _("The film of the week runs in {channel}; the next ballot opens {when}.").format(
            channel=f"<#{settings.channel_id}>", when=when(next_occurrence(settings.opens, settings.zone, now))
        )
    counts = _("visible while voting") if settings.counts_visible else _("hidden until the close")
    screening = str(settings.screening) if settings.screening else pgettext("screening", "none")
    lines = [
        head,
        _("Time zone: {zone} · opens {opens} · closes {closes}").format(
            zone=settings.timezone, opens=settings.opens, closes=settings.closes
        ),
        _("Candidates: {candidates} · {repeats}").format(
            candidates=settings.candidates,
            repeats=counted(settings.no_repeat_weeks, "no repeats within {n} week", "no repeats within {n} weeks"),
        ),
        _("Counts: {counts} · nominations: {nominations} · screening: {screening}").format(
            counts=counts,
            nominations=pgettext("nominations", "on") if settings.nominations else pgettext("nominations", "off"),
            screening=screening,
        ),
        _reminders(settings),
        _("Ratings of the film of the week: {shown}").format(
            shown=_("hidden until the next ballot opens") if settings.hide_ratings else _("shown as members rate")
        ),
        _("Lists in rotation (weight): {lists}").format(lists=_rotation(rotation) or pgettext("lists", "none")),
    ]
    return limits.clip("\n".join(lines), limits.MESSAGE)


def _rotation(rotation: list[tuple[str, int]]) -> str:
    return ", ".join(f"{name} ({weight})" for name, weight in rotation)


def _reminders(settings: WeeklySettings) -> str:
    times = []
    if settings.remind_close:
        times.append(_("{hours} h before the close").format(hours=settings.remind_close))
    if settings.remind_screening:
        times.append(_("{hours} h before the screening").format(hours=settings.remind_screening))
    if not times:
        return _("Reminders: off")
    if settings.reminder_role_id:
        ping = _("ping {role}").format(role=f"<@&{settings.reminder_role_id}>")
    else:
        ping = _("no ping")
    return _("Reminders: {times}, {ping}").format(times=", ".join(times), ping=ping)


def reminder_role_id(role: discord.Role, guild_id: int) -> int:
    """The role reminders may ping: one members can join and leave, so never @everyone or a bot's own."""
    if role.guild.id != guild_id:
        raise UserError(_("reminder_role: choose a role of this server."))
    if role.is_default():
        raise UserError(_("reminder_role: not @everyone — reminders ping only members who asked to be pinged."))
    if role.managed:
        raise UserError(
            _(
                "reminder_role: {role} is managed by Discord or a bot, so members cannot join it; "
                "choose or create a plain role."
            ).format(role=role.mention)
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
        found.append(_("⚠ I need Create Events in this server to create the screening event."))
    if settings.reminder_role_id is not None:
        role = guild.get_role(settings.reminder_role_id)
        if role is None:
            found.append(_("⚠ The reminder role no longer exists; name another with reminder_role:."))
        elif not (allowed.manage_roles and role.is_assignable()):
            found.append(
                _("⚠ I need Manage Roles and my role above {role} so members can join and leave it.").format(
                    role=role.mention
                )
            )
    return found


async def apply(bot: KinoBot, interaction: discord.Interaction, changes: dict) -> str:
    settings = await weekly_settings.update(
        bot.store, bot.config, interaction.guild_id, interaction.user.id, clock.now(), **changes
    )
    bot.weekly.wake()
    # Choosing a working channel is how a moderator fixes a failed post: try what is owed at once.
    await bot.weekly.transitions.poster.catch_up(interaction.guild_id)
    text = _("Saved.") + " " + describe(settings, await rotation_names(bot, interaction.guild_id))
    channel = interaction.guild.get_channel(settings.channel_id) if settings.channel_id else None
    if channel is not None and (missing := missing_permissions(channel)):
        text += "\n" + _("⚠ In {channel} I still need: {permissions}.").format(
            channel=channel.mention, permissions=", ".join(missing)
        )
    for warning in server_warnings(interaction.guild, settings):
        text += "\n" + warning
    return limits.clip(text, limits.MESSAGE)


async def set_rotation(bot: KinoBot, interaction: discord.Interaction, key: str, weight: int) -> str:
    curated = await Curation(bot.store).usable(interaction.guild_id, key)
    await weekly_settings.set_weight(
        bot.store, interaction.guild_id, interaction.user.id, curated.id, curated.name, weight
    )
    if weight == 0:
        change = _("{list} is out of rotation.").format(list=curated.name)
    else:
        change = _("{list} is in rotation with weight {weight}.").format(list=curated.name, weight=weight)
    names = await rotation_names(bot, interaction.guild_id)
    lists = _("Lists in rotation (weight): {lists}").format(lists=_rotation(names))
    return limits.clip(change + " " + lists, limits.MESSAGE)
