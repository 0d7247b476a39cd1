"""The server's language: what its public posts (ballots, announcements, threads, events, reminders,
cards posted in the channel) are written in. Private replies follow each member's own client."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import i18n

if TYPE_CHECKING:
    from bot.store import Store

SETTING = "language"  # guild setting


async def server_language(store: Store, guild_id: int | None, preferred: str | None = None) -> str:
    """The language a moderator chose with /club language; until then the server's preferred locale
    when Discord reports one we speak other than its en-US default, else English."""
    if guild_id is None:
        return i18n.ENGLISH
    chosen = await store.settings.get(guild_id, SETTING)
    if chosen in i18n.LANGUAGES:
        return chosen
    return i18n.language_of(preferred) if preferred and preferred != "en-US" else i18n.ENGLISH


async def choose(store: Store, guild_id: int, moderator_id: int, language: str, preferred: str | None) -> str:
    """Set the server's language; the one it had before, for the reply."""
    before = await server_language(store, guild_id, preferred)
    async with store.transaction() as tx:
        await store.settings.put(tx, guild_id, SETTING, language)
        await store.audit.record(tx, guild_id, moderator_id, "club.language", "server language", before, language)
    return before
