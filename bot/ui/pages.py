"""Paginated replies: ◀ ▶ buttons that only the member who asked can press."""

from __future__ import annotations

import contextlib

import discord

from bot.i18n import _
from bot.ui import limits
from bot.ui.views import View

TIMEOUT = 600  # seconds before the buttons are disabled


class Pages(View):
    """Flip through `pages` (embeds). The footer says "Page n of m"."""

    def __init__(self, pages: list[discord.Embed], owner_id: int) -> None:
        super().__init__(timeout=TIMEOUT)
        self.pages = pages
        self.owner_id = owner_id
        self.index = 0
        self.message: discord.Message | discord.InteractionMessage | None = None
        for number, page in enumerate(pages, 1):
            footer = _("Page {number} of {pages}").format(number=number, pages=len(pages))
            if page.footer.text:
                footer = f"{page.footer.text} · {footer}"
            page.set_footer(text=limits.clip(footer, limits.FOOTER))
        self._refresh()

    @property
    def current(self) -> discord.Embed:
        return self.pages[self.index]

    def _refresh(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        await super().interaction_check(interaction)  # the presser's language
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(
                _("These pages belong to whoever asked; run the command yourself to browse."), ephemeral=True
            )
            return False
        return True

    @discord.ui.button(label="◀", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.index = max(self.index - 1, 0)
        await self._show(interaction)

    @discord.ui.button(label="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.index = min(self.index + 1, len(self.pages) - 1)
        await self._show(interaction)

    async def _show(self, interaction: discord.Interaction) -> None:
        self._refresh()
        await interaction.response.edit_message(embed=self.current, view=self)

    async def on_timeout(self) -> None:
        for item in self.children:
            item.disabled = True
        if self.message is not None:
            # The message may be gone or its token expired: then there is nothing left to disable.
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=self)


async def send_pages(interaction: discord.Interaction, pages: list[discord.Embed], *, ephemeral: bool = False) -> None:
    """Reply with the first page, and buttons only when there is more than one."""
    if len(pages) == 1:
        await interaction.response.send_message(embed=pages[0], ephemeral=ephemeral)
        return
    view = Pages(pages, interaction.user.id)
    await interaction.response.send_message(embed=view.current, view=view, ephemeral=ephemeral)
    view.message = await interaction.original_response()


def chunk(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)] or [[]]
