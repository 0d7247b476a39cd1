"""Per-server settings, one JSON value per key."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.store import Store, Transaction


class SettingsRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def get(self, guild_id: int, key: str, default: Any = None) -> Any:
        row = await self._store.fetchone(
            "SELECT value FROM guild_settings WHERE guild_id = ? AND key = ?", (guild_id, key)
        )
        return default if row is None else json.loads(row[0])

    async def put(self, tx: Transaction, guild_id: int, key: str, value: Any) -> None:
        await tx.execute(
            "INSERT INTO guild_settings (guild_id, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value",
            (guild_id, key, json.dumps(value, ensure_ascii=False)),
        )

    async def clear(self, tx: Transaction, guild_id: int, key: str) -> None:
        """Back to the default."""
        await tx.execute("DELETE FROM guild_settings WHERE guild_id = ? AND key = ?", (guild_id, key))
