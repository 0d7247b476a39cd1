"""Answering an interaction whether or not it has been answered already."""

from __future__ import annotations

import discord


async def tell(interaction: discord.Interaction, content: str) -> None:
    """A short ephemeral message to the member, mentions never pinging."""
    none = discord.AllowedMentions.none()
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=True, allowed_mentions=none)
    else:
        await interaction.response.send_message(content, ephemeral=True, allowed_mentions=none)
