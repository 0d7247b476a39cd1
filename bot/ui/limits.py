"""Discord's size limits, and trimming that keeps a message inside them instead of failing."""

from __future__ import annotations

import discord

from bot.i18n import counted

EMBED_TOTAL = 6000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
CUSTOM_ID = 100
MESSAGE = 2000


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, marked with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"


def clip_words(text: str, limit: int) -> str:
    """Like `clip`, but cut at a word's end (unless that would throw away most of the room), so a
    card reads "a quarrelsome…" rather than "a quarrelsome hou…"."""
    if len(text) <= limit:
        return text
    room = text[: max(limit - 1, 0)]
    space = room.rfind(" ")
    if space >= limit * 0.6 and not text[len(room)].isspace():
        room = room[:space]
    return room.rstrip(" ,;:-—") + "…"


def join_clipped(items: list[str] | tuple[str, ...], limit: int, separator: str = ", ") -> str:
    """As many whole items as fit in `limit`, then "and N more"."""
    for count in range(len(items), 0, -1):
        text = separator.join(items[:count])
        if count < len(items):
            text += counted(len(items) - count, " and {n} more", " and {n} more")
        if len(text) <= limit:
            return text
    return clip(items[0], limit) if items else ""


def fit(embed: discord.Embed) -> discord.Embed:
    """Trim an embed in place to every one of Discord's limits, longest text first."""
    if embed.title:
        embed.title = clip(embed.title, EMBED_TITLE)
    if embed.description:
        embed.description = clip(embed.description, EMBED_DESCRIPTION)
    fields = embed.fields[:EMBED_FIELDS]
    embed.clear_fields()
    for field in fields:
        embed.add_field(
            name=clip(field.name or "\u200b", FIELD_NAME),
            value=clip(field.value or "\u200b", FIELD_VALUE),
            inline=bool(field.inline),
        )
    if embed.footer.text:
        embed.set_footer(text=clip(embed.footer.text, FOOTER), icon_url=embed.footer.icon_url)
    excess = len(embed) - EMBED_TOTAL
    if excess > 0 and embed.description:
        embed.description = clip(embed.description, max(len(embed.description) - excess, 50))
    while len(embed) > EMBED_TOTAL and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    return embed
