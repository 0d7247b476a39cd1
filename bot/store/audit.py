"""The audit trail: who did what to the club's data, when, with the state before and after."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from bot import clock
from bot.store.models import AuditEntry

if TYPE_CHECKING:
    from bot.store import Store, Transaction


class AuditRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def record(
        self,
        tx: Transaction,
        guild_id: int,
        user_id: int,
        action: str,
        target: str,
        before: Any = None,
        after: Any = None,
    ) -> None:
        """Write one entry inside the transaction that makes the change, so neither exists alone."""
        await tx.execute(
            "INSERT INTO audit_log (guild_id, user_id, action, target, before, after, created_at) "
            "VALUES (?,?,?,?,?,?,?)",
            (guild_id, user_id, action, target, _json(before), _json(after), clock.now_iso()),
        )

    async def latest(self, guild_id: int, limit: int, offset: int = 0) -> list[AuditEntry]:
        return await self.filtered(guild_id, limit, offset)

    async def filtered(
        self,
        guild_id: int,
        limit: int,
        offset: int = 0,
        *,
        user_id: int | None = None,
        prefixes: tuple[str, ...] = (),
    ) -> list[AuditEntry]:
        """Newest first; only `user_id`'s entries, and only actions starting with one of `prefixes`, when given."""
        where, params = ["guild_id = ?"], [guild_id]
        if user_id is not None:
            where.append("user_id = ?")
            params.append(user_id)
        if prefixes:
            # substr, not LIKE: the prefixes hold "." and "_", which LIKE would read as patterns.
            where.append("(" + " OR ".join("substr(action, 1, ?) = ?" for _ in prefixes) + ")")
            for prefix in prefixes:
                params.extend((len(prefix), prefix))
        rows = await self._store.fetchall(
            "SELECT id, user_id, action, target, before, after, created_at FROM audit_log "
            f"WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [
            AuditEntry(
                id=row[0], user_id=row[1], action=row[2], target=row[3],
                before=None if row[4] is None else json.loads(row[4]),
                after=None if row[5] is None else json.loads(row[5]),
                created_at=row[6],
            )
            for row in rows
        ]

    async def recorded(self, guild_id: int, action: str, target: str) -> bool:
        """Whether this server's trail holds `action` on `target` (the audit_log_guild range for the server)."""
        row = await self._store.fetchone(
            "SELECT 1 FROM audit_log WHERE guild_id = ? AND action = ? AND target = ? LIMIT 1",
            (guild_id, action, target),
        )
        return row is not None

    async def count(self, guild_id: int) -> int:
        row = await self._store.fetchone("SELECT count(*) FROM audit_log WHERE guild_id = ?", (guild_id,))
        return int(row[0])


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
