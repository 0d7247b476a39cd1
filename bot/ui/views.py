"""The project's views, forms and persistent buttons: whatever goes wrong in one of their callbacks
takes the one error path (`answer_error`), never discord.py's default log-and-"interaction failed"."""

from __future__ import annotations

from typing import Any

import discord

from bot import i18n
from bot.ui.replies import answer_error


def _name(item: discord.ui.Item[Any]) -> str:
    label = getattr(item, "label", None) or getattr(item, "placeholder", None) or type(item).__name__
    return f"the {label} control"  # untranslated: names the control in the log


class View(discord.ui.View):
    """Every button and menu of the bot's views: errors from a callback or a check reach `answer_error`,
    and what the bot answers is in the language of the member who pressed."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        i18n.use(str(interaction.locale))  # discord.py runs each press in its own task
        return True

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await answer_error(interaction, error, f"{_name(item)} of {type(self).__name__}")


class Modal(discord.ui.Modal):
    """Every form of the bot: errors from on_submit reach `answer_error`; it answers in the member's language."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        i18n.use(str(interaction.locale))
        return True

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await answer_error(interaction, error, f"the {self.title} form")  # untranslated: for the log


class Guarded:
    """Mixed in before `discord.ui.DynamicItem`: discord.py only logs a dynamic item's failing callback,
    so the item implements `pressed` and this callback routes its errors to `answer_error`."""

    async def callback(self, interaction: discord.Interaction) -> None:
        i18n.use(str(interaction.locale))
        try:
            await self.pressed(interaction)
        except Exception as error:  # the one error path decides what the member reads
            await answer_error(interaction, error, f"the {type(self).__name__} button")  # untranslated: for the log

    async def pressed(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError
