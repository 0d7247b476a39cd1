"""Which language a post is written in: a public post in the server's, a private reply in the member's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.club.language import server_language

if TYPE_CHECKING:
    from bot.app import KinoBot


async def public_language(bot: KinoBot, guild_id: int | None) -> str:
    guild = bot.get_guild(guild_id) if guild_id is not None else None
    preferred = str(guild.preferred_locale) if guild is not None else None
    return await server_language(bot.store, guild_id, preferred)
