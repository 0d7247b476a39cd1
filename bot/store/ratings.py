"""Ratings: each member's 1–10 score for a film, per server. Read-only until /rate lands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.store.models import RatingSummary

if TYPE_CHECKING:
    from bot.store import Store


class RatingRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def summary(self, guild_id: int, film_id: int, user_id: int) -> RatingSummary:
        """The server's average and count for `film_id` (ratings_film index), and `user_id`'s own score."""
        row = await self._store.fetchone(
            "SELECT count(*), avg(score), max(CASE WHEN user_id = ? THEN score END) FROM ratings "
            "WHERE guild_id = ? AND film_id = ?",
            (user_id, guild_id, film_id),
        )
        return RatingSummary(count=int(row[0]), average=row[1], mine=row[2])
