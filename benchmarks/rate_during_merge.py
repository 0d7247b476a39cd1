"""/rate while `kinoclub import imdb` merges: how fast the member is answered, and whether the answer is true.

    python -m benchmarks.rate_during_merge [--films 20000]

The import runs as the operator runs it, `python -m bot import imdb DIR`, in its own process on the
bot's database file, over a seeded IMDb-shaped dataset (benchmarks/imdb_data.py). Meanwhile the bot,
built by `create_bot` and logged in to SimCord as the tests do, takes one /rate after another from a
member until the import ends. For each /rate, in wall time (SimCord's clock is virtual):

- answered: until the bot's first reply to the interaction (Discord allows 3 s);
- told: until the member reads whether the rating was saved;
- true: the reply says saved exactly when the database holds that score afterwards.

Beside them, the merge's longest hold of the write lock, seen from outside: a third connection
tries `BEGIN IMMEDIATE` without waiting every 10 ms and records the longest run of refusals.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.imdb_data import write_dataset

GUILD = 424_242_424_242_424_242
RATED = "the-cranes-are-flying-1957"  # a bundled film
FILMS = 20_000
ACK_SECONDS = 3.0  # Discord's limit for the first reply
BUSY_SECONDS = 5.0  # the bot's busy timeout (bot.store.BUSY_TIMEOUT_MS): the longest a write waits

Row = tuple[str, str, str, str]


class _LockProbe(threading.Thread):
    """The longest stretch during which another connection held the write lock."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.longest = 0.0
        self.stretches: list[tuple[float, float]] = []

    def run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=0, check_same_thread=False)
        locked_since: float | None = None
        try:
            while not self.stop.is_set():
                now = time.perf_counter()
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute("ROLLBACK")
                    if locked_since is not None:
                        self.stretches.append((locked_since, now))
                        self.longest = max(self.longest, now - locked_since)
                        locked_since = None
                except sqlite3.OperationalError:
                    locked_since = now if locked_since is None else locked_since
                time.sleep(0.01)
        finally:
            conn.close()


class _Answered(threading.Thread):
    """Wall time until the bot's first reply to the next interaction (a thread keeps time while the
    event loop waits on the database)."""

    def __init__(self, requests: list) -> None:
        super().__init__(daemon=True)
        self.requests, self.seen = requests, len(requests)
        self.after: float | None = None
        self.done = threading.Event()

    def run(self) -> None:
        started = time.perf_counter()
        while not self.done.is_set() and self.after is None:
            if any("/callback" in entry.path for entry in list(self.requests)[self.seen :]):
                self.after = time.perf_counter() - started
            time.sleep(0.002)


@dataclasses.dataclass
class Figures:
    films: int
    rates: int = 0
    saved: int = 0
    not_saved: int = 0
    true: int = 0
    during_hold: int = 0  # rates that were running while the merge held the lock longest
    worst_answer: float = 0.0
    worst_told: float = 0.0
    longest_hold: float = 0.0
    import_seconds: float = 0.0
    import_ok: bool = False


async def _measure(films: int) -> Figures:
    import discord
    from simcord import Env

    from bot.app import create_bot
    from bot.config import parse_config
    from bot.store import Store

    figures = Figures(films)
    with tempfile.TemporaryDirectory(prefix="kinoclub-rate-merge-") as folder:
        root = Path(folder)
        write_dataset(root / "imdb", films=films)
        database = root / "club.db"
        settings = root / "config.yaml"
        settings.write_text(f"database:\n  path: {database}\n", encoding="utf-8")
        config = parse_config(
            {"discord": {"dev_guild_id": GUILD}, "providers": {"wikidata": False, "tmdb": False}}, environ={}
        )
        config = dataclasses.replace(config, database=dataclasses.replace(config.database, path=database))
        async with Store.open(database) as store:
            env = Env(create_bot(config, store))
            env.settle_timeout = 30  # a write may genuinely wait seconds for the import's lock
            guild = env.create_guild("Film Club", id=GUILD)
            await env.start()
            try:
                channel = guild.create_text_channel("film-club")
                guild.create_role("Moderator", permissions=discord.Permissions.none())
                member = guild.add_member(env.create_user("alice"))
                film = await store.films.get_by_key(RATED)
                probe = _LockProbe(database)
                probe.start()
                started = time.perf_counter()
                importer = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bot",
                    "import",
                    "imdb",
                    str(root / "imdb"),
                    "--config",
                    str(settings),
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.DEVNULL,
                    cwd=Path(__file__).resolve().parent.parent,
                )
                spans = []
                while importer.returncode is None:
                    score = 1 + figures.rates % 10
                    watch = _Answered(env.http_requests)
                    watch.start()
                    began = time.perf_counter()
                    result = await member.slash(channel, "rate", film=RATED, score=score)
                    told = time.perf_counter() - began
                    watch.done.set()
                    watch.join()
                    spans.append((began, began + told))
                    text = result.response.content if result.response is not None else ""
                    stored = await store.ratings.get(guild.id, member.id, film.id)
                    holds = stored is not None and stored.score == score
                    said_saved = text.startswith("Rated")
                    figures.rates += 1
                    figures.saved += said_saved
                    figures.not_saved += text.startswith("Your rating was not saved")
                    figures.true += said_saved == holds and (said_saved or text.startswith("Your rating was not"))
                    figures.worst_answer = max(figures.worst_answer, watch.after if watch.after is not None else told)
                    figures.worst_told = max(figures.worst_told, told)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(importer.wait(), 0.05)
                figures.import_seconds = time.perf_counter() - started
                figures.import_ok = importer.returncode == 0
                probe.stop.set()
                probe.join()
                figures.longest_hold = probe.longest
                if probe.stretches:
                    start, end = max(probe.stretches, key=lambda s: s[1] - s[0])
                    figures.during_hold = sum(1 for a, b in spans if a < end and b > start)
            finally:
                await env.shutdown()
    return figures


def rows(figures: Figures) -> list[Row]:
    def status(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    n = f"{figures.films:,}"
    return [
        (
            f"/rate during an IMDb merge ({n} films): slowest first reply",
            f"{figures.worst_answer:.2f} s",
            f"≤ {ACK_SECONDS:g} s",
            status(figures.worst_answer <= ACK_SECONDS),
        ),
        (
            f"/rate during an IMDb merge ({n} films): slowest saved / not saved reply",
            f"{figures.worst_told:.2f} s",
            f"≤ {BUSY_SECONDS + 1:g} s (busy timeout + 1 s)",
            status(figures.worst_told <= BUSY_SECONDS + 1),
        ),
        (
            f"/rate during an IMDb merge ({n} films): replies true to the database",
            f"{figures.true}/{figures.rates} ({figures.saved} saved, {figures.not_saved} not saved, "
            f"{figures.during_hold} during the longest hold)",
            "all",
            status(figures.rates > 0 and figures.true == figures.rates and figures.import_ok),
        ),
        (
            f"IMDb merge ({n} films): longest write-lock hold",
            f"{figures.longest_hold:.2f} s",
            f"≤ {BUSY_SECONDS:g} s (else writes meanwhile are not saved)",
            status(figures.longest_hold <= BUSY_SECONDS),
        ),
    ]


def measure(films: int = FILMS) -> list[Row]:
    """(measure, value, target, "ok" | "MISSED") rows for the benchmark table."""
    return rows(asyncio.run(_measure(films)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--films", type=int, default=FILMS)
    args = parser.parse_args()
    print("| Measure | Value | Target | |\n|---|---|---|---|")
    for row in measure(args.films):
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
