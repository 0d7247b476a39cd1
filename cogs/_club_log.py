"""/club log's lookups: the trail names films, lists, channels and roles by key or id, the page by name."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.ui.audit import KINDS, Names, audit_pages, kind_name, wanted
from bot.ui.ratings import film_title

if TYPE_CHECKING:
    from bot.app import KinoBot

PER_PAGE = 10
LOG_PAGES = 10  # pages of /club log, newest first


async def log_pages(
    bot: KinoBot, guild: discord.Guild, member: discord.abc.User | None, kind: str | None
) -> list[discord.Embed]:
    store = bot.store
    entries = await store.audit.filtered(
        guild.id,
        LOG_PAGES * PER_PAGE,
        user_id=None if member is None else member.id,
        prefixes=KINDS.get(kind or "", ()),
    )
    want = wanted(entries)
    names = Names(
        channels={channel.id: channel.name for channel in guild.channels},
        roles={role.id: role.name for role in guild.roles},
    )
    names.films_by_id = {film.id: film_title(film) for film in await store.films.get_many(sorted(want.film_ids))}
    for key in want.film_keys:
        film = await store.films.get_by_key(key)
        if film is not None:
            names.films_by_key[key] = film_title(film)
    for key in want.list_keys:
        curated = await store.lists.get(guild.id, key)
        if curated is not None:
            names.lists[key] = curated.name
    filters = "".join(
        [f" · {member.display_name}" if member is not None else "", f" · {kind_name(kind)}" if kind else ""]
    )
    return audit_pages(entries, names, filters)
