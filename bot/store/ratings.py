"""Ratings: each member's 1–10 score for a film, per server, with the history of its changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import clock
from bot.store.models import Rating, RatingSummary

if TYPE_CHECKING:
    from bot.store import Store, Transaction

_COLUMNS = "guild_id, user_id, film_id, score, review, spoiler, watched_on, created_at, updated_at"


def _rating(row) -> Rating:
    return Rating(
        guild_id=row[0], user_id=row[1], film_id=row[2], score=row[3], review=row[4], spoiler=bool(row[5]),
        watched_on=row[6], created_at=row[7], updated_at=row[8],
    )


class RatingRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    # ------------------------------------------------------------------ reads

    async def summary(self, guild_id: int, film_id: int, user_id: int) -> RatingSummary:
        """The server's average and count for `film_id` (ratings_film index), and `user_id`'s own score."""
        row = await self._store.fetchone(
            "SELECT count(*), avg(score), max(CASE WHEN user_id = ? THEN score END) FROM ratings "
            "WHERE guild_id = ? AND film_id = ?",
            (user_id, guild_id, film_id),
        )
        return RatingSummary(count=int(row[0]), average=row[1], mine=row[2])

    async def get(self, guild_id: int, user_id: int, film_id: int) -> Rating | None:
        row = await self._store.fetchone(
            f"SELECT {_COLUMNS} FROM ratings WHERE guild_id = ? AND user_id = ? AND film_id = ?",
            (guild_id, user_id, film_id),
        )
        return None if row is None else _rating(row)

    async def of_member(self, guild_id: int, user_id: int, *, best_first: bool = False) -> list[Rating]:
        """A member's ratings here, newest first (or best first, newest breaking ties)."""
        order = "score DESC, updated_at DESC" if best_first else "updated_at DESC, score DESC"
        rows = await self._store.fetchall(
            f"SELECT {_COLUMNS} FROM ratings WHERE guild_id = ? AND user_id = ? ORDER BY {order}, film_id",
            (guild_id, user_id),
        )
        return [_rating(row) for row in rows]

    async def of_film(self, guild_id: int, film_id: int) -> list[Rating]:
        """Everyone's rating of a film here, best first."""
        rows = await self._store.fetchall(
            f"SELECT {_COLUMNS} FROM ratings WHERE guild_id = ? AND film_id = ? ORDER BY score DESC, updated_at",
            (guild_id, film_id),
        )
        return [_rating(row) for row in rows]

    async def matrix(self, guild_id: int, since: str | None = None) -> list[tuple[int, int, int]]:
        """Every (user_id, film_id, score) of the server, rated or re-rated since `since` if given."""
        if since is None:
            rows = await self._store.fetchall(
                "SELECT user_id, film_id, score FROM ratings WHERE guild_id = ?", (guild_id,)
            )
        else:
            rows = await self._store.fetchall(
                "SELECT user_id, film_id, score FROM ratings WHERE guild_id = ? AND updated_at >= ?",
                (guild_id, since),
            )
        return [(row[0], row[1], row[2]) for row in rows]

    async def history(self, guild_id: int, user_id: int, film_id: int) -> list[tuple[int | None, str]]:
        """(score, when) for every change of one member's rating of one film, oldest first."""
        rows = await self._store.fetchall(
            "SELECT score, changed_at FROM rating_history WHERE guild_id = ? AND user_id = ? AND film_id = ? "
            "ORDER BY id",
            (guild_id, user_id, film_id),
        )
        return [(row[0], row[1]) for row in rows]

    async def distribution(
        self, guild_id: int, *, user_id: int | None = None, film_id: int | None = None
    ) -> tuple[int, ...]:
        """How many ratings of each score 1–10 (index 0 is score 1): one member's, one film's, or the server's."""
        where, params = "guild_id = ?", [guild_id]
        if user_id is not None:
            where, params = where + " AND user_id = ?", [*params, user_id]
        if film_id is not None:
            where, params = where + " AND film_id = ?", [*params, film_id]
        rows = await self._store.fetchall(
            f"SELECT score, count(*) FROM ratings WHERE {where} GROUP BY score", tuple(params)
        )
        counts = dict.fromkeys(range(1, 11), 0)
        for score, count in rows:
            counts[score] = int(count)
        return tuple(counts[score] for score in range(1, 11))

    # ----------------------------------------------------------------- writes

    async def put(
        self,
        tx: Transaction,
        guild_id: int,
        user_id: int,
        film_id: int,
        score: int,
        *,
        review: str | None = None,
        spoiler: bool = False,
        watched_on: str | None = None,
        at: str | None = None,
    ) -> Rating | None:
        """Rate or re-rate; returns the rating it replaced. A changed score is added to the history."""
        at = at or clock.now_iso()
        before = await _get_in(tx, guild_id, user_id, film_id)
        await tx.execute(
            "INSERT INTO ratings (guild_id, user_id, film_id, score, review, spoiler, watched_on, created_at, "
            "updated_at) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (guild_id, user_id, film_id) DO UPDATE SET "
            "score = excluded.score, review = excluded.review, spoiler = excluded.spoiler, "
            "watched_on = coalesce(excluded.watched_on, ratings.watched_on), updated_at = excluded.updated_at",
            (guild_id, user_id, film_id, score, review, int(spoiler), watched_on, at, at),
        )
        if before is None or before.score != score:
            await _log(tx, guild_id, user_id, film_id, score, at)
        return before

    async def remove(self, tx: Transaction, guild_id: int, user_id: int, film_id: int) -> Rating | None:
        """Unrate; returns the rating removed (None if there was none)."""
        before = await _get_in(tx, guild_id, user_id, film_id)
        if before is not None:
            await tx.execute(
                "DELETE FROM ratings WHERE guild_id = ? AND user_id = ? AND film_id = ?",
                (guild_id, user_id, film_id),
            )
            await _log(tx, guild_id, user_id, film_id, None, clock.now_iso())
        return before

    async def forget_member(self, tx: Transaction, guild_id: int, user_id: int) -> dict[str, int]:
        """Delete what refers to a member as a member in one server; counts of rows deleted per kind.

        Ratings with their reviews, rating history, votes and the nomination go; the candidates they
        nominated stay on their ballots without their name, and they leave the list of voters a
        closed ballot did not count. What names them as a moderator acting for the server (audit
        entries, ballots opened, weekly picks, lists and list entries, films added) is the server's
        record and stays: README, /forget me; tests/store/test_forget_member.py checks every column.
        """
        in_server = "ballot_id IN (SELECT id FROM ballots WHERE guild_id = ?1)"
        counts = {}
        for name, table, where in (
            ("ratings", "ratings", "guild_id = ?1 AND user_id = ?2"),
            ("history", "rating_history", "guild_id = ?1 AND user_id = ?2"),
            ("votes", "votes", f"user_id = ?2 AND {in_server}"),
            ("nominations", "nominations", "guild_id = ?1 AND user_id = ?2"),
        ):
            counts[name] = await tx.changes(f"DELETE FROM {table} WHERE {where}", (guild_id, user_id))
        await tx.execute(
            f"UPDATE candidates SET nominated_by = NULL WHERE nominated_by = ?2 AND {in_server}", (guild_id, user_id)
        )
        # left_out is JSON [[user id, reason], ...]; json() keeps each kept pair an array, not a string.
        await tx.execute(
            "UPDATE results SET left_out = (SELECT json_group_array(json(j.value)) FROM json_each(results.left_out) j "
            f"WHERE j.value ->> 0 IS NOT ?2) WHERE {in_server} AND EXISTS "
            "(SELECT 1 FROM json_each(results.left_out) j WHERE j.value ->> 0 = ?2)",
            (guild_id, user_id),
        )
        return counts


async def _get_in(tx: Transaction, guild_id: int, user_id: int, film_id: int) -> Rating | None:
    row = await tx.fetchone(
        f"SELECT {_COLUMNS} FROM ratings WHERE guild_id = ? AND user_id = ? AND film_id = ?",
        (guild_id, user_id, film_id),
    )
    return None if row is None else _rating(row)


async def _log(tx: Transaction, guild_id: int, user_id: int, film_id: int, score: int | None, at: str) -> None:
    await tx.execute(
        "INSERT INTO rating_history (guild_id, user_id, film_id, score, changed_at) VALUES (?,?,?,?,?)",
        (guild_id, user_id, film_id, score, at),
    )
