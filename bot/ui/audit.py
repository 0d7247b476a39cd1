"""The audit trail as pages of embeds."""

from __future__ import annotations

import json
from datetime import datetime

import discord

from bot.store.models import AuditEntry
from bot.ui import limits
from bot.ui.pages import chunk

PER_PAGE = 10


def _state(value: object) -> str:
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return limits.clip(text, 150)


def _who(user_id: int) -> str:
    # The bot itself writes entries too (a weekly post it could not make), as user 0.
    return "kinoclub" if user_id == 0 else f"<@{user_id}>"


def audit_pages(entries: list[AuditEntry]) -> list[discord.Embed]:
    if not entries:
        return [discord.Embed(title="Moderator log", description="No moderator has changed anything yet.")]
    pages = []
    for group in chunk(entries, PER_PAGE):
        embed = discord.Embed(title="Moderator log")
        for entry in group:
            when = int(datetime.fromisoformat(entry.created_at).timestamp())
            embed.add_field(
                name=limits.clip(f"{entry.action} · {entry.target}", limits.FIELD_NAME),
                value=limits.clip(
                    f"by {_who(entry.user_id)} <t:{when}:R>\n"
                    f"before: {_state(entry.before)}\nafter: {_state(entry.after)}",
                    limits.FIELD_VALUE,
                ),
                inline=False,
            )
        pages.append(limits.fit(embed))
    return pages
