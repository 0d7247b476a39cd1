"""Members joining and leaving the server's reminder role: /week remind and the button on reminders.

The role is the only thing a reminder ever pings, so membership is each member's own choice.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord

from bot.club.weekly import settings as weekly_settings
from bot.i18n import N_, _
from bot.ui.replies import tell
from bot.ui.views import Guarded

if TYPE_CHECKING:
    from bot.app import KinoBot

log = logging.getLogger("kinoclub.weekly")

CUSTOM_ID = "kino:remind"
# Translated where they are told, in the member's language.
ON = N_("You will be pinged for the film of the week's reminders.")
OFF = N_("You will no longer be pinged for the film of the week's reminders.")
NO_ROLE = N_(
    "Reminders ping nobody here: there is no reminder role. A moderator can name one with /club weekly reminder_role:."
)
GONE = N_(
    "The reminder role of this server no longer exists, so reminders ping nobody. "
    "A moderator can name another with /club weekly reminder_role:."
)


def refusal(role: discord.Role) -> str:
    return _(
        "I can't give you the reminder role: I need the Manage Roles permission and my role must be "
        "above {role} — ask a moderator."
    ).format(role=role.mention)


def can_assign(role: discord.Role) -> bool:
    """Whether Discord will let the bot give and take `role`: it refuses otherwise with a 403."""
    me = role.guild.me
    return me is not None and me.guild_permissions.manage_roles and role.is_assignable()


async def set_reminded(bot: KinoBot, interaction: discord.Interaction, on: bool) -> str:
    """Give the member the reminder role or take it away; what to tell them."""
    return await _change(bot, interaction, on)


async def _change(bot: KinoBot, interaction: discord.Interaction, on: bool | None) -> str:
    """`on` None: the opposite of what the member has now (the button)."""
    guild, member = interaction.guild, interaction.user
    if guild is None or not isinstance(member, discord.Member):
        return _("Reminders belong to a server's film of the week; use this in the server.")
    settings = await weekly_settings.load(bot.store, bot.config, guild.id)
    if settings.reminder_role_id is None:
        return _(NO_ROLE)
    role = guild.get_role(settings.reminder_role_id)
    if role is None:
        return _(GONE)
    if on is None:
        on = role not in member.roles
    if (role in member.roles) == on:
        return _(ON if on else OFF)
    if not can_assign(role):
        return refusal(role)
    # Discord's audit log reason is for the server's admins, like a log line.
    asked = "asked to be pinged" if on else "asked not to be pinged"  # untranslated: the admins' audit log
    reason = "/week remind: " + asked  # untranslated: the admins' audit log
    try:
        if on:
            await member.add_roles(role, reason=reason)
        else:
            await member.remove_roles(role, reason=reason)
    except discord.Forbidden:
        return refusal(role)
    except discord.NotFound:
        return _(GONE)
    except discord.HTTPException as error:
        log.warning("reminder role %s for %s in guild %s: %s", role.id, member.id, guild.id, error)
        return _("Discord did not take the change ({status}); please try again in a moment.").format(
            status=error.status
        )
    return _(ON if on else OFF)


class RemindButton(Guarded, discord.ui.DynamicItem[discord.ui.Button], template=re.escape(CUSTOM_ID)):
    """One id for every reminder: the server and the member come with the press, so it survives restarts."""

    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(
                label=_("Ping me for reminders / stop"),
                emoji="🔔",
                style=discord.ButtonStyle.secondary,
                custom_id=CUSTOM_ID,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> RemindButton:
        return cls()

    async def pressed(self, interaction: discord.Interaction) -> None:
        member = interaction.user
        if member.bot:
            await tell(interaction, _("Bots are not pinged for reminders."))
            return
        await tell(interaction, await _change(interaction.client, interaction, None))


def reminder_view() -> discord.ui.View:
    """The button the scheduler puts on each reminder."""
    view = discord.ui.View(timeout=None)
    view.add_item(RemindButton())
    return view
