"""What the weekly cycle does when Discord refuses a post: the moderators are told in /club log,
once per new problem, and the post is owed until it goes through, tried again every RETRY."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.club.weekly.calendar import iso

if TYPE_CHECKING:
    from bot.store import Store

RETRY = timedelta(minutes=10)
BOT = 0  # the audit log's user for what the bot itself reports


async def tell_moderators(store: Store, guild_id: int, target: str, problem: str) -> None:
    """What went wrong without a command to answer: the moderators read it in /club log."""
    async with store.transaction() as tx:
        await store.audit.record(tx, guild_id, BOT, "week.problem", target, None, problem)


async def owed(store: Store, guild_id: int, target: str, problem: str, previous: str | None, now: datetime) -> None:
    """A post is still owed: told once per new problem (not every retry), and retried in RETRY."""
    if problem != previous:
        await tell_moderators(store, guild_id, target, problem)
    async with store.transaction() as tx:
        await store.weekly.set_deadline(tx, guild_id, "retry", iso(now + RETRY))
