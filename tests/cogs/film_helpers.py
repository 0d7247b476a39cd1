"""Helpers for the /film behaviour tests: writing ratings (no /rate yet) and dumping the database."""

from __future__ import annotations

from bot.store import Store

CRANES = "the-cranes-are-flying-1957"


async def rate(store: Store, guild_id: int, user_id: int, film_key: str, score: int, when: str) -> None:
    film = await store.films.get_by_key(film_key)
    async with store.transaction() as tx:
        await tx.execute(
            "INSERT INTO ratings (guild_id, user_id, film_id, score, created_at, updated_at) VALUES (?,?,?,?,?,?)",
            (guild_id, user_id, film.id, score, when, when),
        )


async def dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, to show that a refused command changed nothing."""
    tables = [
        row[0]
        for row in await store.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'film_titles_%'"
        )
    ]
    rows = {table: [tuple(row) for row in await store.fetchall(f'SELECT * FROM "{table}"')] for table in tables}
    return {table: sorted(found, key=repr) for table, found in rows.items()}  # repr: NULLs sort beside numbers


def fields(embed) -> dict[str, str]:
    return {field.name: field.value for field in embed.fields}
