"""The weekly cycle's records: ballots, candidates, votes, picks, nominations, rotation, deadlines."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Protocol

from bot.store.models import Ballot, BallotResult, Candidate, Deadline, Nomination, Pick

if TYPE_CHECKING:
    from bot.store import Store, Transaction

_BALLOT = (
    "SELECT id, guild_id, week, status, seed, channel_id, message_id, opened_by, opened_at, closes_at, "
    "closed_at, problem FROM ballots"
)
_CANDIDATE = "SELECT ballot_id, film_id, position, list_id, list_name, note, nominated_by FROM candidates"
_PICK = (
    "SELECT id, guild_id, week, film_id, how, ballot_id, list_id, picked_by, picked_at, screening_at, "
    "channel_id, message_id, thread_id, event_id, problem, rating_message_id FROM picks"
)


class Taken(Exception):
    """The week already has a ballot or a pick, or the server already has an open ballot."""


class WeeklyRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    # ------------------------------------------------------------------ ballots

    async def ballot(self, ballot_id: int, db: _Reader | None = None) -> Ballot | None:
        row = await (db or self._store).fetchone(f"{_BALLOT} WHERE id = ?", (ballot_id,))
        return None if row is None else Ballot(*row)

    async def open_ballot(self, guild_id: int, db: _Reader | None = None) -> Ballot | None:
        row = await (db or self._store).fetchone(f"{_BALLOT} WHERE guild_id = ? AND status = 'open'", (guild_id,))
        return None if row is None else Ballot(*row)

    async def ballots_owed(self) -> list[Ballot]:
        """Open ballots whose message was never posted (a failure, or a stop between commit and post)."""
        rows = await self._store.fetchall(f"{_BALLOT} WHERE status = 'open' AND message_id IS NULL ORDER BY id")
        return [Ballot(*row) for row in rows]

    async def candidates(self, ballot_id: int, db: _Reader | None = None) -> list[Candidate]:
        rows = await (db or self._store).fetchall(f"{_CANDIDATE} WHERE ballot_id = ? ORDER BY position", (ballot_id,))
        return [Candidate(*row) for row in rows]

    async def add_ballot(
        self,
        tx: Transaction,
        guild_id: int,
        week: str,
        seed: int,
        channel_id: int,
        opened_by: int | None,
        opened_at: str,
        closes_at: str,
        candidates: list[Candidate],
    ) -> int:
        """The new ballot's id; `Taken` when the week has a ballot or one is open already."""
        try:
            ballot_id = await tx.execute(
                "INSERT INTO ballots (guild_id, week, status, seed, channel_id, opened_by, opened_at, closes_at) "
                "VALUES (?, ?, 'open', ?, ?, ?, ?, ?)",
                (guild_id, week, seed, channel_id, opened_by, opened_at, closes_at),
            )
        except sqlite3.IntegrityError:
            raise Taken(week) from None
        await tx.executemany(
            "INSERT INTO candidates (ballot_id, film_id, position, list_id, list_name, note, nominated_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(ballot_id, c.film_id, c.position, c.list_id, c.list_name, c.note, c.nominated_by) for c in candidates],
        )
        return ballot_id

    async def set_ballot_message(self, tx: Transaction, ballot_id: int, channel_id: int, message_id: int) -> None:
        await tx.execute(
            "UPDATE ballots SET channel_id = ?, message_id = ?, problem = NULL WHERE id = ?",
            (channel_id, message_id, ballot_id),
        )

    async def set_ballot_problem(self, tx: Transaction, ballot_id: int, problem: str | None) -> None:
        await tx.execute("UPDATE ballots SET problem = ? WHERE id = ?", (problem, ballot_id))

    async def end_ballot(self, tx: Transaction, ballot_id: int, status: str, closed_at: str) -> bool:
        """Close or cancel an open ballot; False when it was not open any more (someone else ended it)."""
        changed = await tx.changes(
            "UPDATE ballots SET status = ?, closed_at = ? WHERE id = ? AND status = 'open'",
            (status, closed_at, ballot_id),
        )
        return changed == 1

    async def set_closing(self, tx: Transaction, ballot_id: int, closes_at: str) -> None:
        await tx.execute("UPDATE ballots SET closes_at = ? WHERE id = ?", (closes_at, ballot_id))

    # ------------------------------------------------------------------ results

    async def add_result(self, tx: Transaction, result: BallotResult) -> None:
        await tx.execute(
            "INSERT INTO results (ballot_id, winner_id, counts, voters, left_out, decided, seed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                result.ballot_id,
                result.winner_id,
                json.dumps([list(pair) for pair in result.counts]),
                result.voters,
                json.dumps([list(pair) for pair in result.left_out]),
                result.decided,
                result.seed,
            ),
        )

    async def result(self, ballot_id: int, db: _Reader | None = None) -> BallotResult | None:
        row = await (db or self._store).fetchone(
            "SELECT ballot_id, winner_id, counts, voters, left_out, decided, seed FROM results WHERE ballot_id = ?",
            (ballot_id,),
        )
        if row is None:
            return None
        return BallotResult(
            row[0],
            row[1],
            tuple((film, votes) for film, votes in json.loads(row[2])),
            row[3],
            tuple((user, why) for user, why in json.loads(row[4])),
            row[5],
            row[6],
        )

    # -------------------------------------------------------------------- votes

    async def toggle_vote(self, tx: Transaction, ballot_id: int, user_id: int, film_id: int, at: str) -> bool:
        """Vote for the film, or take the vote back if given; True when it is now a vote."""
        withdrawn = await tx.changes(
            "DELETE FROM votes WHERE ballot_id = ? AND user_id = ? AND film_id = ?", (ballot_id, user_id, film_id)
        )
        if withdrawn:
            return False
        await tx.execute(
            "INSERT INTO votes (ballot_id, user_id, film_id, created_at) VALUES (?, ?, ?, ?)",
            (ballot_id, user_id, film_id, at),
        )
        return True

    async def votes_of(self, ballot_id: int, user_id: int, db: _Reader | None = None) -> list[int]:
        """The films a member votes for on a ballot, in ballot order."""
        rows = await (db or self._store).fetchall(
            "SELECT v.film_id FROM votes v JOIN candidates c ON c.ballot_id = v.ballot_id AND c.film_id = v.film_id "
            "WHERE v.ballot_id = ? AND v.user_id = ? ORDER BY c.position",
            (ballot_id, user_id),
        )
        return [row[0] for row in rows]

    async def votes(self, ballot_id: int, db: _Reader | None = None) -> list[tuple[int, int]]:
        """(user id, film id) for every vote on the ballot."""
        rows = await (db or self._store).fetchall(
            "SELECT user_id, film_id FROM votes WHERE ballot_id = ? ORDER BY user_id, film_id", (ballot_id,)
        )
        return [(row[0], row[1]) for row in rows]

    async def voters(self, ballot_id: int, db: _Reader | None = None) -> list[int]:
        rows = await (db or self._store).fetchall(
            "SELECT DISTINCT user_id FROM votes WHERE ballot_id = ? ORDER BY user_id", (ballot_id,)
        )
        return [row[0] for row in rows]

    # -------------------------------------------------------------------- picks

    async def add_pick(
        self,
        tx: Transaction,
        guild_id: int,
        week: str,
        film_id: int | None,
        how: str,
        *,
        ballot_id: int | None,
        list_id: int | None,
        picked_by: int | None,
        picked_at: str,
        screening_at: str | None,
        channel_id: int | None,
    ) -> int:
        """The new pick's id; `Taken` when the week has its film (or its skip) already."""
        try:
            return await tx.execute(
                "INSERT INTO picks (guild_id, week, film_id, how, ballot_id, list_id, picked_by, picked_at, "
                "screening_at, channel_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (guild_id, week, film_id, how, ballot_id, list_id, picked_by, picked_at, screening_at, channel_id),
            )
        except sqlite3.IntegrityError:
            raise Taken(week) from None

    async def pick(self, pick_id: int, db: _Reader | None = None) -> Pick | None:
        row = await (db or self._store).fetchone(f"{_PICK} WHERE id = ?", (pick_id,))
        return None if row is None else Pick(*row)

    async def pick_of_week(self, guild_id: int, week: str, db: _Reader | None = None) -> Pick | None:
        row = await (db or self._store).fetchone(f"{_PICK} WHERE guild_id = ? AND week = ?", (guild_id, week))
        return None if row is None else Pick(*row)

    async def latest_film_pick(self, guild_id: int, before_week: str) -> Pick | None:
        """The last film of the week before `before_week` (skipped weeks passed over)."""
        row = await self._store.fetchone(
            f"{_PICK} WHERE guild_id = ? AND week < ? AND film_id IS NOT NULL ORDER BY week DESC LIMIT 1",
            (guild_id, before_week),
        )
        return None if row is None else Pick(*row)

    async def history(self, guild_id: int, limit: int) -> list[Pick]:
        rows = await self._store.fetchall(f"{_PICK} WHERE guild_id = ? ORDER BY week DESC LIMIT ?", (guild_id, limit))
        return [Pick(*row) for row in rows]

    async def picked_since(self, guild_id: int, week: str, db: _Reader | None = None) -> set[int]:
        """Films picked in `week` or later: the no-repeat window."""
        rows = await (db or self._store).fetchall(
            "SELECT film_id FROM picks WHERE guild_id = ? AND week >= ? AND film_id IS NOT NULL", (guild_id, week)
        )
        return {row[0] for row in rows}

    async def last_pick_by_source(self, guild_id: int, db: _Reader | None = None) -> dict[int | None, str]:
        """When each list last gave the club its film by vote; None stands for members' nominations."""
        rows = await (db or self._store).fetchall(
            "SELECT list_id, max(picked_at) FROM picks WHERE guild_id = ? AND how = 'vote' GROUP BY list_id",
            (guild_id,),
        )
        return {row[0]: row[1] for row in rows}

    async def picks_owed(self) -> list[Pick]:
        """Each server's latest film pick whose announcement, thread or event is not there yet."""
        rows = await self._store.fetchall(
            f"{_PICK} WHERE id IN (SELECT max(id) FROM picks WHERE film_id IS NOT NULL GROUP BY guild_id) "
            "AND (message_id IS NULL OR thread_id IS NULL OR (screening_at IS NOT NULL AND event_id IS NULL)) "
            "ORDER BY id"
        )
        return [Pick(*row) for row in rows]

    async def set_pick_posts(
        self,
        tx: Transaction,
        pick_id: int,
        *,
        channel_id: int | None,
        message_id: int | None,
        thread_id: int | None,
        event_id: int | None,
        problem: str | None,
    ) -> None:
        await tx.execute(
            "UPDATE picks SET channel_id = ?, message_id = ?, thread_id = ?, event_id = ?, problem = ? WHERE id = ?",
            (channel_id, message_id, thread_id, event_id, problem, pick_id),
        )

    async def unrevealed_film(self, guild_id: int) -> int | None:
        """The film of the server's latest film pick while no ballot has opened since it was picked.

        Strictly after: a ballot a moderator's pick called off opened before (or in the same second as)
        the pick, and must not count as the next one.
        """
        row = await self._store.fetchone(
            "SELECT p.film_id FROM (SELECT film_id, picked_at FROM picks WHERE guild_id = ?1 "
            "AND film_id IS NOT NULL ORDER BY week DESC, id DESC LIMIT 1) p "
            "WHERE NOT EXISTS (SELECT 1 FROM ballots WHERE guild_id = ?1 AND opened_at > p.picked_at)",
            (guild_id,),
        )
        return None if row is None else row[0]

    async def pick_by_event(self, guild_id: int, event_id: int) -> Pick | None:
        row = await self._store.fetchone(f"{_PICK} WHERE guild_id = ? AND event_id = ?", (guild_id, event_id))
        return None if row is None else Pick(*row)

    async def set_rating_message(self, tx: Transaction, pick_id: int, message_id: int) -> None:
        await tx.execute("UPDATE picks SET rating_message_id = ? WHERE id = ?", (message_id, pick_id))

    # -------------------------------------------------------------- nominations

    async def nominations(self, guild_id: int, db: _Reader | None = None) -> list[Nomination]:
        rows = await (db or self._store).fetchall(
            "SELECT guild_id, user_id, film_id, created_at FROM nominations WHERE guild_id = ? ORDER BY created_at",
            (guild_id,),
        )
        return [Nomination(*row) for row in rows]

    async def nomination_of(self, guild_id: int, user_id: int) -> Nomination | None:
        row = await self._store.fetchone(
            "SELECT guild_id, user_id, film_id, created_at FROM nominations WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return None if row is None else Nomination(*row)

    async def nominate(self, tx: Transaction, guild_id: int, user_id: int, film_id: int, at: str) -> None:
        await tx.execute(
            "INSERT INTO nominations (guild_id, user_id, film_id, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guild_id, user_id) DO UPDATE SET film_id = excluded.film_id, "
            "created_at = excluded.created_at",
            (guild_id, user_id, film_id, at),
        )

    async def clear_nominations(self, tx: Transaction, guild_id: int) -> None:
        await tx.execute("DELETE FROM nominations WHERE guild_id = ?", (guild_id,))

    # ----------------------------------------------------------------- rotation

    async def rotation(self, guild_id: int, db: _Reader | None = None) -> dict[int, int]:
        """list id -> weight, for the lists the server chose; empty means every list, weight 1."""
        rows = await (db or self._store).fetchall(
            "SELECT list_id, weight FROM rotation WHERE guild_id = ?", (guild_id,)
        )
        return {row[0]: row[1] for row in rows}

    async def set_weight(self, tx: Transaction, guild_id: int, list_id: int, weight: int) -> None:
        """Weight 0 takes the list out of rotation."""
        if weight == 0:
            await tx.execute("DELETE FROM rotation WHERE guild_id = ? AND list_id = ?", (guild_id, list_id))
            return
        await tx.execute(
            "INSERT INTO rotation (guild_id, list_id, weight) VALUES (?, ?, ?) "
            "ON CONFLICT (guild_id, list_id) DO UPDATE SET weight = excluded.weight",
            (guild_id, list_id, weight),
        )

    async def pool_entries(
        self, list_ids: list[int], db: _Reader | None = None
    ) -> dict[int, list[tuple[int, str | None]]]:
        """(film id, curator's note) for each list, in list order."""
        if not list_ids:
            return {}
        marks = ",".join("?" * len(list_ids))
        rows = await (db or self._store).fetchall(
            f"SELECT list_id, film_id, note FROM list_entries WHERE list_id IN ({marks}) ORDER BY list_id, position",
            tuple(list_ids),
        )
        pools: dict[int, list[tuple[int, str | None]]] = {list_id: [] for list_id in list_ids}
        for list_id, film_id, note in rows:
            pools[list_id].append((film_id, note))
        return pools

    # ---------------------------------------------------------------- deadlines

    async def set_deadline(
        self, tx: Transaction, guild_id: int, kind: str, due_at: str, subject: int | None = None
    ) -> None:
        await tx.execute(
            "INSERT INTO deadlines (guild_id, kind, due_at, subject) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guild_id, kind) DO UPDATE SET due_at = excluded.due_at, subject = excluded.subject",
            (guild_id, kind, due_at, subject),
        )

    async def clear_deadline(self, tx: Transaction, guild_id: int, kind: str) -> None:
        await tx.execute("DELETE FROM deadlines WHERE guild_id = ? AND kind = ?", (guild_id, kind))

    async def claim_deadline(self, tx: Transaction, guild_id: int, kind: str, due_at: str) -> bool:
        """Take a due deadline for this transaction; False when another run already took it."""
        taken = await tx.changes(
            "DELETE FROM deadlines WHERE guild_id = ? AND kind = ? AND due_at = ?", (guild_id, kind, due_at)
        )
        return taken == 1

    async def deadline(self, guild_id: int, kind: str, db: _Reader | None = None) -> str | None:
        row = await (db or self._store).fetchone(
            "SELECT due_at FROM deadlines WHERE guild_id = ? AND kind = ?", (guild_id, kind)
        )
        return None if row is None else row[0]

    async def deadline_row(self, guild_id: int, kind: str, db: _Reader | None = None) -> Deadline | None:
        row = await (db or self._store).fetchone(
            "SELECT guild_id, kind, due_at, subject FROM deadlines WHERE guild_id = ? AND kind = ?", (guild_id, kind)
        )
        return None if row is None else Deadline(*row)

    async def due(self, now: str) -> list[Deadline]:
        """Every deadline at or before `now`, earliest first."""
        rows = await self._store.fetchall(
            "SELECT guild_id, kind, due_at, subject FROM deadlines WHERE due_at <= ? ORDER BY due_at, guild_id, kind",
            (now,),
        )
        return [Deadline(*row) for row in rows]

    async def next_due(self, after: str | None = None) -> str | None:
        """The earliest deadline (after `after`, when given)."""
        row = await self._store.fetchone("SELECT min(due_at) FROM deadlines WHERE due_at > ?", (after or "",))
        return None if row is None else row[0]


class _Reader(Protocol):
    async def fetchone(self, sql: str, params: tuple = ...) -> sqlite3.Row | None: ...

    async def fetchall(self, sql: str, params: tuple = ...) -> list[sqlite3.Row]: ...
