"""Answering an interaction whether or not it has been answered already, and the one error path."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.errors import UserError
from bot.i18n import N_, _

log = logging.getLogger("kinoclub")

APOLOGY = N_("Something went wrong on our side and it has been logged. Please try again in a moment.")
# What an option's type is called in "That value for … is not one I can use".
_OPTION_KINDS = {
    "string": N_("text"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "boolean": N_("yes or no"),
    "user": N_("a member"),
    "channel": N_("a channel"),
    "role": N_("a role"),
    "mentionable": N_("a member or role"),
    "attachment": N_("a file"),
}
# What `waiting` tells a member, by what waits: one whole sentence each, as the noun changes its grammar.
_WAITING = {
    "rating": N_(
        "The catalogue is being updated right now; your rating is queued and will be saved "
        "as soon as the update finishes (usually within a minute or two)."
    ),
    "vote": N_(
        "The catalogue is being updated right now; your vote is queued and will be saved "
        "as soon as the update finishes (usually within a minute or two)."
    ),
}


async def tell(interaction: discord.Interaction, content: str) -> None:
    """A short ephemeral message to the member, mentions never pinging.

    An interaction Discord no longer knows (older than its 3 s or 15 min, or the bot restarted in
    between) cannot be answered at all: that becomes one log line instead of a traceback."""
    none = discord.AllowedMentions.none()
    try:
        if interaction.response.is_done():
            await interaction.followup.send(content, ephemeral=True, allowed_mentions=none)
        else:
            await interaction.response.send_message(content, ephemeral=True, allowed_mentions=none)
    except discord.NotFound as error:
        log.warning("could not answer user %s: the interaction has expired (%s)", interaction.user.id, error.code)


async def thinking(interaction: discord.Interaction) -> None:
    """Answer Discord before writing: the write may wait up to the database's busy timeout (5 s) for
    the lock an IMDb import holds, past the 3 s Discord gives an unanswered interaction. The member
    sees "thinking" and then what was saved or that nothing was, never "interaction failed"."""
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)


def waiting(interaction: discord.Interaction, what: str) -> Callable[[], Awaitable[None]]:
    """What to tell a member whose `what` (a key of `_WAITING`: "rating", "vote") waits for another
    program's write lock, on the "thinking" reply `thinking` left: the truth, then the outcome replaces it."""

    async def tell_waiting() -> None:
        try:
            await interaction.edit_original_response(content=_(_WAITING.get(what, _WAITING["rating"])))
        except discord.HTTPException:
            log.warning("could not tell user %s that their %s waits", interaction.user.id, what)

    return tell_waiting


def user_message(error: Exception) -> str | None:
    """What to tell the member about `error`, or None when it is our fault and must be logged."""
    original = getattr(error, "original", error)
    if isinstance(original, UserError):
        return original.message
    if isinstance(error, app_commands.CommandOnCooldown):
        return _("Slow down: try again in {seconds} s.").format(seconds=f"{error.retry_after:.0f}")
    if isinstance(error, app_commands.NoPrivateMessage):
        return _("This command works in a server, not in direct messages.")
    if isinstance(error, app_commands.CheckFailure):
        return str(error) or _("You are not allowed to use this command here.")
    if isinstance(error, app_commands.TransformerError):
        kind = error.transformer.type.name.lower()
        if kind not in _OPTION_KINDS:
            return _("That value is not one I can use.")
        return _("That value is not one I can use: give {kind}.").format(kind=_(_OPTION_KINDS[kind]))
    return None


async def answer_error(interaction: discord.Interaction, error: Exception, what: str) -> None:
    """The one error path, for commands, buttons and forms alike: a `UserError` becomes an ephemeral
    reply; anything else is logged in full and the member gets an apology, never the traceback.

    `what` names the failed thing in the log: "/rate", "the Rate form".
    """
    message = user_message(error)
    if message is None:
        log.error(
            "%s failed for user %s in guild %s",
            what,
            interaction.user.id,
            interaction.guild_id,
            exc_info=error,
        )
        message = _(APOLOGY)
    try:
        await tell(interaction, message)
    except discord.HTTPException as failed:
        log.warning("could not tell user %s about a failed %s (%s)", interaction.user.id, what, failed.code)


Suggest = Callable[..., Awaitable[list[app_commands.Choice[Any]]]]


def suggestions(callback: Suggest) -> Suggest:
    """Every autocomplete callback is wrapped in this, so its errors take the one path too (discord.py
    would only log them and leave the member with "Loading options failed"): a `UserError` becomes the
    one suggestion, saying what is wrong, whose value is what was typed (choosing it runs the command,
    which answers the same); anything else is logged in full and leaves no suggestions."""

    @functools.wraps(callback)
    async def guarded(*args: Any) -> list[app_commands.Choice[Any]]:
        interaction, current = args[-2], args[-1]
        try:
            return await callback(*args)
        except Exception as error:
            message = user_message(error)
            if message is None:
                log.error(
                    "suggestions for %s failed for user %s in guild %s",
                    _command(interaction), interaction.user.id, interaction.guild_id, exc_info=error,
                )
                return []
            typed = str(current).strip()[:100]
            return [app_commands.Choice(name=message[:100], value=typed)] if typed else []

    guarded.guarded_suggestions = True  # type: ignore[attr-defined]
    return guarded


def _command(interaction: discord.Interaction) -> str:
    command = interaction.command
    return f"/{command.qualified_name}" if command is not None else "a command"
