"""A Confirm / Cancel pair for destructive actions; the action runs in the button's own callback."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from bot.i18n import N_, _
from bot.ui.views import View

OnConfirm = Callable[[discord.Interaction], Awaitable[None]]
# What a press is refused with, or None when the member may still do what they asked.
Recheck = Callable[[discord.Interaction], Awaitable[str | None]]


class Confirm(View):
    """`recheck` runs again when Confirm is pressed: up to two minutes after the command, the member
    may no longer hold the role the command required."""

    def __init__(
        self, owner_id: int, on_confirm: OnConfirm, *, label: str | None = None, recheck: Recheck | None = None
    ) -> None:
        super().__init__(timeout=120)
        self.owner_id = owner_id
        self._on_confirm = on_confirm
        self._recheck = recheck
        self.confirm.label = label or _("Confirm")
        # The decorators' labels are read once, at import: each view gets its own in the reader's language.
        self.cancel.label = _("Cancel")

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        await super().interaction_check(interaction)  # the presser's language
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(_("Only the moderator who asked can answer this."), ephemeral=True)
            return False
        return True

    def _close(self) -> None:
        self.stop()
        for item in self.children:
            item.disabled = True

    @discord.ui.button(label=N_("Confirm"), style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self._close()
        refusal = None if self._recheck is None else await self._recheck(interaction)
        if refusal is not None:
            await interaction.response.edit_message(content=refusal, view=None)
            return
        await self._on_confirm(interaction)

    @discord.ui.button(label=N_("Cancel"), style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self._close()
        await interaction.response.edit_message(content=_("Cancelled; nothing was changed."), view=self)
