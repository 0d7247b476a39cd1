"""A burst of votes and ratings against the real SQLite file while another process holds its write lock.

How it is concurrent: every vote and every rating is its own coroutine, all started at once by one
asyncio.gather on one Store, so hundreds wait on the store's write lock together and their thread
hops into aiosqlite interleave. Meanwhile a second OS process, with its own SQLite connection to the
same file, keeps taking the database's write lock (BEGIN IMMEDIATE), holding it for a few
milliseconds and committing a row of its own: the store's transactions must wait in SQLite's busy
handler, exactly as they would for `kinoclub db backup` or a second bot started by mistake. The
burst begins while that process is holding the lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import sys
import textwrap
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.club import rating
from bot.club.weekly import ballots, voting
from bot.club.weekly import settings as weekly_settings
from bot.store import DatabaseError

GUILD = 9_001
OUTSIDE_GUILD = 9_999  # the other process writes audit rows for a server of its own
MOD = 77
MONDAY = datetime(2026, 6, 8, 18, 0, tzinfo=UTC)
VOTERS = range(2_000, 2_100)
RATERS = range(3_000, 3_016)
HOLD, GAP = 0.02, 0.02  # seconds the other process holds the write lock, then leaves it free
OUTSIDE_MAX = 400  # its iterations at most (16 s), should the test never tell it to stop

OUTSIDE_WRITER = textwrap.dedent(
    """\
    import sqlite3, sys, time
    from pathlib import Path

    path, stop, guild, hold, gap, most = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), *map(float, sys.argv[4:7])
    db = sqlite3.connect(path, timeout=5.0, isolation_level=None)
    done = 0
    while not stop.exists() and done < most:
        db.execute("BEGIN IMMEDIATE")
        if done == 0:
            print("holding", flush=True)
        time.sleep(hold)
        db.execute(
            "INSERT INTO audit_log (guild_id, user_id, action, target, created_at) VALUES (?, 0, 'test.outside', ?, ?)",
            (guild, str(done), repr(time.time())),
        )
        db.execute("COMMIT")
        done += 1
        time.sleep(gap)
    db.close()
    print(f"committed {done}", flush=True)
    """
)


def toggles_of(user: int, position: int) -> int:
    """How often a voter presses a candidate: 0, 1 or 2 times (twice: approve, then withdraw)."""
    return (user + position) % 3


def score_of(user: int, film_id: int) -> int:
    return (user * 7 + film_id) % 10 + 1


def review_of(user: int, film_id: int) -> str | None:
    return f"review {user}/{film_id}" if (user + film_id) % 2 else None


async def test_a_burst_of_votes_and_ratings_under_an_outside_writer_loses_nothing(catalogue_store, config, tmp_path):
    store = catalogue_store
    await weekly_settings.update(store, config, GUILD, MOD, MONDAY - timedelta(days=1), channel_id=123)
    ballot = await ballots.open_ballot(store, config, GUILD, MONDAY, seed=7)
    candidates = [c.film_id for c in await store.weekly.candidates(ballot.id)]
    films = [row[0] for row in await store.fetchall("SELECT id FROM films ORDER BY id")]
    voted_at = MONDAY + timedelta(hours=1)

    votes = [
        (user, film)
        for press in range(2)  # all first presses, then the second ones: the two of a pair are far apart
        for user in VOTERS
        for position, film in enumerate(candidates)
        if toggles_of(user, position) > press
    ]
    ratings = [(user, film) for user in RATERS for film in films]
    assert len(votes) >= 200 and len(ratings) >= 200, (len(votes), len(ratings))

    calls = []
    for index in range(max(len(votes), len(ratings))):  # interleaved, so votes and ratings queue together
        if index < len(votes):
            user, film = votes[index]
            calls.append(("vote", user, film, voting.toggle(store, GUILD, ballot.id, film, user, voted_at)))
        if index < len(ratings):
            user, film = ratings[index]
            score, review = score_of(user, film), review_of(user, film)
            calls.append(("rate", user, film, rating.rate(store, GUILD, user, film, score, review, bool(film % 2))))

    stop = tmp_path / "stop-outside-writer"
    outside = await asyncio.create_subprocess_exec(
        sys.executable, "-c", OUTSIDE_WRITER, str(store.path), str(stop), str(OUTSIDE_GUILD),
        str(HOLD), str(GAP), str(OUTSIDE_MAX),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert await asyncio.wait_for(outside.stdout.readline(), 10.0) == b"holding\n"
        began = time.time()
        results = await asyncio.wait_for(asyncio.gather(*(call for *_, call in calls), return_exceptions=True), 60.0)
        ended = time.time()
        stop.touch()
        out, err = await asyncio.wait_for(outside.communicate(), 10.0)
    finally:
        if outside.returncode is None:
            outside.kill()
            await outside.wait()
    assert outside.returncode == 0, err.decode()
    outside_commits = int(out.decode().split()[-1])

    acknowledged = [(kind, user, film, result) for (kind, user, film, _), result in zip(calls, results, strict=True)
                    if not isinstance(result, BaseException)]
    failed = [result for result in results if isinstance(result, BaseException)]
    # A failure may only ever be the documented one, never a stray error type.
    assert all(isinstance(error, DatabaseError | rating.NotSaved) for error in failed), [repr(e) for e in failed]

    # Votes: a voter's approvals are the films they pressed an odd number of times; a film pressed
    # twice got one "approved" and one "withdrawn" answer, and every answer's list agrees with it.
    pressed = Counter((user, film) for kind, user, film, _ in acknowledged if kind == "vote")
    answers: dict[tuple[int, int], list[bool]] = {}
    for kind, user, film, result in acknowledged:
        if kind == "vote":
            answers.setdefault((user, film), []).append(result.voted)
            assert (film in result.film_ids) == result.voted
    expected_votes = sorted(pair for pair, times in pressed.items() if times % 2)
    assert await store.weekly.votes(ballot.id) == expected_votes
    for pair, got in answers.items():
        assert sorted(got, reverse=True) == [True, False][: len(got)], (pair, got)
    approved = set(expected_votes)
    for user in VOTERS:
        assert await store.weekly.votes_of(ballot.id, user) == [f for f in candidates if (user, f) in approved]

    # Ratings: each acknowledged one is stored once, with its score, review and spoiler flag; each is a
    # first rating (rate returned no earlier one) with one history row.
    rated = [(user, film) for kind, user, film, _ in acknowledged if kind == "rate"]
    assert all(result is None for kind, *_, result in acknowledged if kind == "rate")
    with contextlib.closing(sqlite3.connect(store.path)) as db:
        stored = db.execute(
            "SELECT user_id, film_id, score, review, spoiler FROM ratings WHERE guild_id = ? ORDER BY user_id, film_id",
            (GUILD,),
        ).fetchall()
        history = db.execute(
            "SELECT user_id, film_id, score FROM rating_history WHERE guild_id = ? ORDER BY user_id, film_id",
            (GUILD,),
        ).fetchall()
        outside_rows = db.execute(
            "SELECT target, created_at FROM audit_log WHERE guild_id = ? ORDER BY id", (OUTSIDE_GUILD,)
        ).fetchall()
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert stored == sorted(
        (user, film, score_of(user, film), review_of(user, film), film % 2) for user, film in rated
    )
    assert history == sorted((user, film, score_of(user, film)) for user, film in rated)

    # The other process's writes are all there too, and it really wrote while the burst ran.
    assert [int(target) for target, _ in outside_rows] == list(range(outside_commits))
    during = [float(at) for _, at in outside_rows if began <= float(at) <= ended]
    assert during, (began, ended, [at for _, at in outside_rows][:5])

    # With a 5 s busy timeout and locks held for milliseconds, nothing is refused at all.
    assert failed == []
    assert (len(pressed), sum(pressed.values()), len(rated)) == (
        len({(u, f) for u, f in votes}), len(votes), len(ratings)
    )
    assert await store.check() == []
