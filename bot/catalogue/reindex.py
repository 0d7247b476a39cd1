"""Bring the stored search keys up to date with the normaliser, once, when its version changes.

Every film title and credited name is stored with its key (film_titles.norm, film_credits.norm,
and the words of the latter in film_credit_words), and the FTS5 indexes are built from
film_titles.norm. Keys made by an older normaliser would no longer meet the queries the current
one makes, so at start-up, before anything searches, `renormalise` recomputes every key whose
value changed, rebuilds what is derived from them, and records the normaliser's version in the
database (a guild_settings row of guild 0, which no Discord server has). Idempotent and atomic:
one transaction, and a database already at this version costs one lookup.
"""

from __future__ import annotations

import logging

from bot.catalogue.normalise import VERSION, normalise
from bot.store import Store, Transaction

log = logging.getLogger(__name__)

SETTING = "search.normaliser_version"
_BATCH = 50_000
_FTS_TABLES = ("film_titles_trigram", "film_titles_words")


async def renormalise(store: Store) -> int:
    """Rewrite the keys an older normaliser made; the number of titles and names changed."""
    if await store.settings.get(0, SETTING) == VERSION:
        return 0
    async with store.transaction() as tx:
        changed = await _titles(tx) + await _credits(tx)
        await store.settings.put(tx, 0, SETTING, VERSION)
    if changed:
        log.info("search keys re-normalised (normaliser version %d): %d changed", VERSION, changed)
    return changed


async def _titles(tx: Transaction) -> int:
    """New film_titles.norm values, then both FTS5 indexes rebuilt in rowid order.

    The per-row update trigger is set aside meanwhile: re-indexing a million rows one by one
    costs minutes, one 'rebuild' seconds. Its own SQL puts it back, whatever the migrations made it.
    """
    updates: list[tuple[str, int]] = []
    last = -1
    while rows := await tx.fetchall(
        "SELECT id, title, norm FROM film_titles WHERE id > ? ORDER BY id LIMIT ?", (last, _BATCH)
    ):
        for row_id, title, norm in rows:
            if row_id and (new := normalise(title)) != norm:  # id 0: the merge's empty placeholder
                updates.append((new, row_id))
        last = rows[-1][0]
    if not updates:
        return 0
    trigger = await tx.fetchone("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'film_titles_au'")
    if trigger is not None:
        await tx.execute("DROP TRIGGER film_titles_au")
    await tx.executemany("UPDATE film_titles SET norm = ? WHERE id = ?", updates)
    if trigger is not None:
        await tx.execute(trigger[0])
    for table in _FTS_TABLES:
        await tx.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")
    return len(updates)


async def _credits(tx: Transaction) -> int:
    """New film_credits.norm values, and their words in film_credit_words."""
    updates: list[tuple[str, int, str, int]] = []
    last: tuple = (-1, "", -1)
    while rows := await tx.fetchall(
        "SELECT film_id, role, position, name, norm FROM film_credits WHERE (film_id, role, position) > (?, ?, ?) "
        "ORDER BY film_id, role, position LIMIT ?",
        (*last, _BATCH),
    ):
        updates += [(new, film_id, role, position) for film_id, role, position, name, norm in rows
                    if (new := normalise(name)) != norm]
        last = tuple(rows[-1])[:3]
    if not updates:
        return 0
    await tx.executemany("UPDATE film_credits SET norm = ? WHERE film_id = ? AND role = ? AND position = ?", updates)
    await tx.executemany(
        "DELETE FROM film_credit_words WHERE film_id = ? AND role = ? AND position = ?",
        [(film_id, role, position) for _, film_id, role, position in updates],
    )
    await tx.executemany(
        "INSERT OR IGNORE INTO film_credit_words (role, word, film_id, position) VALUES (?, ?, ?, ?)",
        [(role, word, film_id, position) for norm, film_id, role, position in updates for word in set(norm.split())],
    )
    return len(updates)
