"""The Share button under a /rate reply: persistent, so it still answers after ten minutes or a restart."""

from __future__ import annotations

import re

import discord

from bot.club import rating
from bot.errors import UserError
from bot.i18n import N_, _
from bot.ui.ratings import NONE, NOT_HERE, share_text
from bot.ui.views import Guarded

NOT_YOURS = N_("Only the member who rated can share this rating.")
GONE = N_("That rating has been removed, so there is nothing to share.")


class ShareButton(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"kino:share:(?P<user>[0-9]{1,19}):(?P<film>[0-9]{1,19})",
):
    """custom_id `kino:share:<member>:<film>`: the post is rebuilt from the stored rating on each press,
    so it shows the rating as it is now, not as it was when the reply was sent."""

    def __init__(self, user_id: int, film_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=_("Share"), style=discord.ButtonStyle.primary, custom_id=f"kino:share:{user_id}:{film_id}"
            )
        )
        self.user_id = user_id
        self.film_id = film_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> ShareButton:
        return cls(int(match["user"]), int(match["film"]))

    async def pressed(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.user_id:
            raise UserError(_(NOT_YOURS))
        # The post goes out through the interaction, which Discord allows whatever the member's rights
        # here: the member's own permissions, as of this click, decide.
        allowed = interaction.permissions
        in_thread = isinstance(interaction.channel, discord.Thread)
        if not (allowed.send_messages_in_threads if in_thread else allowed.send_messages):
            raise UserError(_(NOT_HERE))
        store = interaction.client.store
        saved = await store.ratings.get(interaction.guild_id, self.user_id, self.film_id)
        film = await store.films.get(self.film_id)
        if saved is None or film is None:
            raise UserError(_(GONE))
        scale = await rating.server_scale(store, interaction.guild_id)
        # Once is enough: a second click would post the same rating twice.
        self.item.disabled = True
        await interaction.response.edit_message(view=self.view)
        # Without Embed Links the member could not have made a link preview here either.
        text = share_text(interaction.user, film, saved, scale)
        await interaction.followup.send(text, allowed_mentions=NONE, suppress_embeds=not allowed.embed_links)


def share_view(user_id: int, film_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ShareButton(user_id, film_id))
    return view
