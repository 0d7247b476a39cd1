"""Server-side permission checks for app commands (Discord's `default_permissions` is only a hint)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.club import moderators
from bot.i18n import N_, _

if TYPE_CHECKING:
    from bot.app import KinoBot

REFUSAL = N_("Only the club's moderators can do that (a moderator role, or Manage Server).")
NO_LONGER = N_("You are no longer one of the club's moderators, so nothing was changed.")


async def is_moderator(bot: KinoBot, member: discord.Member) -> bool:
    chosen = await bot.store.settings.get(member.guild.id, moderators.SETTING)
    return moderators.is_moderator(
        [(role.id, role.name) for role in member.roles],
        member.guild_permissions.manage_guild,
        chosen,
        bot.config.club.moderator_roles,
    )


def still_moderator(bot: KinoBot) -> Callable[[discord.Interaction], Awaitable[str | None]]:
    """A Confirm button's recheck: the member who pressed must be a moderator now, not only when asking."""

    async def recheck(pressed: discord.Interaction) -> str | None:
        if isinstance(pressed.user, discord.Member) and await is_moderator(bot, pressed.user):
            return None
        return _(NO_LONGER)

    return recheck


def moderator_only():
    """The real check, run on every invocation: the member must be a moderator of this server."""

    async def predicate(interaction: discord.Interaction) -> bool:
        if interaction.guild is None or not isinstance(interaction.user, discord.Member):
            raise app_commands.NoPrivateMessage()
        if not await is_moderator(interaction.client, interaction.user):
            raise app_commands.CheckFailure(_(REFUSAL))
        return True

    return app_commands.check(predicate)
