"""Two servers' ballots closing at the same instant, one of them large, through the simulated Discord.

    python -m benchmarks.weekly_close [--voters 1000] [--table]

prints ONE JSON object on stdout (logs go to stderr; --table prints the benchmark table's rows
instead), so `python -m benchmarks` runs it in a fresh process with `run_in_subprocess`, as it runs
benchmarks/simulated.py. The bot is the real one (`create_bot`), with the bundled films and lists
it loads at start-up, in SimCord; the bot reads SimCord's virtual clock (`clock.use`), and the
weekly service opens and closes the ballots on it.

- Servers A and B (Europe/Berlin) have the same schedule, so their ballots open on Monday at 18:00
  and close at 21:00 at the same instant (20:00 UTC), in one tick of the weekly service, each server
  in a task of its own. (A 3-hour ballot without a close reminder instead of the default Monday to
  Friday: the close is the same, and SimCord settles fewer virtual hours.) A has `--voters` voters,
  of whom 5% (every 20th) then leave the server (`guild.remove_member`); B has 5 voters. Server C
  (UTC) is B's twin closing alone an hour later: the reference, the same close without A beside
  it, measured in the same process, so the machine's speed is visible beside A's and B's figures.
- Votes are cast by pressing the posted ballot's buttons (`member.click`), one press per voter, as
  members do; none of that is timed.
- The member cache: kinoclub asks only for the guilds intent, and on Discord has no member cache.
  With that intent SimCord 3.2.1 does not cache the voters who joined and pressed the ballot either
  (the JSON's `cached_voters_cleared` counts those found: 0 for every server); should a SimCord
  version cache them, each voter is removed from the bot's `guild._members` before the close anyway
  (the bot's own member stays). So `departed()` really makes one `GET /guilds/{id}/members/{user}`
  per voter, at most MEMBER_LOOKUPS in flight; those requests are counted and checked (N for A).
  SimCord answers REST at once and has no rate limits, so these figures are the bot's own work: a
  real Discord adds its round trips and the members route's limit, which MEMBER_LOOKUPS is about.
- Timing is wall time (time.perf_counter). The virtual clock is first moved to 1 s before the
  deadline and the bot settles; then the clock is taken and `env.advance_time(2)` crosses the
  deadline. Each REST request the bot makes is timestamped by a wrapper around discord.py's
  `HTTPClient.request` (SimCord's `http_requests` log has no times), and a server's announcement is
  the message its recorded pick names: "deadline to announcement" is the wall time from before the
  advance until that message's POST returned. The advance's first virtual second is idle; when the
  service began each server's close (`WeeklyDiscord.run`, wrapped) is in the JSON as
  `close_started_after_s`. The env's settle timeout is raised to 120 s, since a 1,000-voter close
  may take SimCord more than its default 5 s to settle.
- Checks, read back from the store: A's result left out exactly the members who left
  (`result.left_out`), counted the others (`result.voters == N - left`) and their votes film by
  film; B's and C's results count their 5 votes and pick the film with the most.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

GUILD_A = 424_242_424_242_424_242  # the dev guild: the command sync goes there
START = datetime(2026, 3, 23, 16, 30, tzinfo=UTC)  # Monday, half an hour before the first opening
OPENS = datetime(2026, 3, 23, 17, 0, 5, tzinfo=UTC)  # just after A's and B's opening (mon 18:00 Berlin)
OPENS_C = datetime(2026, 3, 23, 18, 0, 5, tzinfo=UTC)  # just after C's (mon 18:00 UTC)
CLOSES = datetime(2026, 3, 23, 20, 0, tzinfo=UTC)  # mon 21:00 in Berlin: A's and B's deadline
CLOSES_C = datetime(2026, 3, 23, 21, 0, tzinfo=UTC)  # mon 21:00 UTC: C's, alone
SCHEDULE = {"closes": "mon 21:00", "remind_close": 0}  # a 3-hour ballot: fewer virtual hours to settle
LEAVE_EVERY = 20  # every 20th voter of A leaves: 5%
SMALL = (1, 1, 1, 2, 2)  # B's and C's voters: the candidate (1-based) each presses; the first wins
STEP = 12 * 3600  # at most this many seconds per advance (the weekly loop wakes at least hourly)
SETTLE_TIMEOUT = 120.0
B_LATE_SECONDS = 2.0  # target: B's announcement at most this long after the deadline
MESSAGE_POST = re.compile(r"/channels/(\d+)/messages$")


class _Runs:
    """When the weekly service began each server's deadline (its `Transitions.run`), by guild id."""

    def __init__(self, transitions) -> None:
        self.started: dict[int, list[float]] = {}
        original = transitions.run

        async def run(deadline):
            self.started.setdefault(deadline.guild_id, []).append(time.perf_counter())
            return await original(deadline)

        transitions.run = run

    def after(self, guild_id: int, started: float) -> float | None:
        later = [at for at in self.started.get(guild_id, ()) if at >= started]
        return round(min(later) - started, 4) if later else None


class _Requests:
    """Every REST request the bot makes, with the wall time it returned; message ids of posts."""

    def __init__(self, http) -> None:
        self.log: list[tuple[float, str, str]] = []  # (perf_counter, method, path)
        self.posted: dict[int, float] = {}  # message id -> perf_counter when its POST returned
        original = http.request

        async def request(route, **kwargs):
            path = route.url.split("?", 1)[0]
            path = path[path.find("/api/v") :]
            path = path[path.find("/", 5) :]
            try:
                result = await original(route, **kwargs)
            finally:  # a refused request (404 for a member who left) is a request too
                now = time.perf_counter()
                self.log.append((now, route.method, path))
            if route.method == "POST" and MESSAGE_POST.search(path) and isinstance(result, dict) and "id" in result:
                self.posted[int(result["id"])] = now
            return result

        http.request = request

    def matching(self, since: int, method: str, prefix: str) -> list[float]:
        """When each request since the `since`-th of this method, its path starting `prefix`, returned."""
        return [at for at, m, p in self.log[since:] if m == method and p.startswith(prefix)]


async def _advance_to(env, instant: datetime) -> None:
    from bot import clock

    seconds = (instant - clock.now()).total_seconds()
    while seconds > 0:
        step = min(seconds, STEP)
        await env.advance_time(step)
        seconds -= step


def _buttons(message) -> list[str]:
    return [child.custom_id for row in message.components for child in row.children]


class _Server:
    """One simulated server with the weekly film turned on, and the voters who pressed its ballot."""

    def __init__(self, env, name: str, zone: str, guild_id: int | None = None) -> None:
        self.env = env
        self.zone = zone
        self.guild = env.create_guild(name, **({} if guild_id is None else {"id": guild_id}))
        self.channel = self.guild.create_text_channel("film-club")
        self.voters: list = []  # (member, candidate position 1-based)
        self.left: set[int] = set()
        self.ballot = None
        self.films: list[int] = []

    async def turn_on(self, bot, store) -> None:
        from bot import clock
        from bot.club.weekly import settings as weekly_settings

        await weekly_settings.update(
            store, bot.config, self.guild.id, 1, clock.now(), channel_id=self.channel.id, timezone=self.zone,
            **SCHEDULE,
        )
        bot.weekly.wake()

    async def vote(self, store, positions: list[int], name: str) -> None:
        self.ballot = await store.weekly.open_ballot(self.guild.id)
        if self.ballot is None or self.ballot.message_id is None:
            raise RuntimeError(f"{self.guild.name}: no ballot was opened and posted at the opening time")
        self.films = [c.film_id for c in await store.weekly.candidates(self.ballot.id)]
        (posted,) = [m for m in self.channel.history() if m.id == self.ballot.message_id]
        ids = _buttons(posted)
        for n, position in enumerate(positions):
            member = self.guild.add_member(self.env.create_user(f"{name}{n}"))
            result = await member.click(posted, custom_id=ids[position - 1])
            if not result.acknowledged:
                raise RuntimeError(f"{self.guild.name}: voter {n}'s press was not acknowledged")
            self.voters.append((member, position))

    def leave(self, every: int) -> None:
        for n, (member, _) in enumerate(self.voters):
            if n % every == every - 1:
                self.guild.remove_member(member)
                self.left.add(member.id)

    def forget_voters(self, bot) -> int:
        """Drop the voters from the bot's member cache, which a guilds-intent bot does not have."""
        cache = bot.get_guild(self.guild.id)._members
        ids = [member.id for member, _ in self.voters]
        cached = sum(1 for user in ids if user in cache)
        for user in ids:
            cache.pop(user, None)
        return cached

    def expected(self) -> dict[int, int]:
        counts = Counter(self.films[position - 1] for member, position in self.voters if member.id not in self.left)
        return {film: counts.get(film, 0) for film in self.films}

    async def outcome(self, store, requests: _Requests, runs: _Runs, since: int, started: float) -> dict:
        result = await store.weekly.result(self.ballot.id)
        pick = await store.weekly.pick_of_week(self.guild.id, self.ballot.week)
        posted = requests.posted.get(pick.message_id) if pick is not None and pick.message_id else None
        expected = self.expected()
        counted = dict(result.counts) if result is not None else {}
        lookups = requests.matching(since, "GET", f"/guilds/{self.guild.id}/members/")
        top = max(expected.values())
        winners = {film for film, votes in expected.items() if votes == top}
        return {
            "server": self.guild.name,
            "voters": len(self.voters),
            "left": len(self.left),
            "lookups": len(lookups),
            "lookups_done_after_s": round(max(lookups) - started, 3) if lookups else None,
            "close_started_after_s": runs.after(self.guild.id, started),
            "announced_after_s": None if posted is None else round(posted - started, 3),
            "closed": result is not None,
            "left_out": None if result is None else len(result.left_out),
            "left_out_right": result is not None and {u for u, _ in result.left_out} == self.left,
            "counted": None if result is None else result.voters,
            "counts_right": counted == expected,
            "winner_right": result is not None and result.winner_id in winners
            and pick is not None and pick.film_id == result.winner_id,
        }


async def _close(env, requests: _Requests, deadline: datetime) -> tuple[int, float, float]:
    """Move to 1 s before `deadline`, then time the advance that crosses it: (log mark, t0, seconds)."""
    await _advance_to(env, deadline - timedelta(seconds=1))
    mark = len(requests.log)
    started = time.perf_counter()
    await env.advance_time(2)
    return mark, started, time.perf_counter() - started


async def measure(voters: int) -> dict:
    """Every figure of this module, measured in this process (see the module docstring)."""
    from simcord import Env

    from bot import clock
    from bot.app import create_bot
    from bot.config import parse_config
    from bot.store import Store

    with tempfile.TemporaryDirectory(prefix="kinoclub-weekly-") as folder:
        database = Path(folder) / "bench.db"
        config = parse_config(
            {"discord": {"dev_guild_id": GUILD_A}, "providers": {"wikidata": False, "tmdb": False}}, environ={}
        )
        config = dataclasses.replace(config, database=dataclasses.replace(config.database, path=database))
        async with Store.open(database) as store:
            bot = create_bot(config, store)
            env = Env(bot, settle_timeout=SETTLE_TIMEOUT)
            offset = START - env.now()
            clock.use(lambda: env.now() + offset)
            a = _Server(env, "Club A", "Europe/Berlin", GUILD_A)
            b = _Server(env, "Club B", "Europe/Berlin")
            c = _Server(env, "Club C (reference)", "UTC")
            try:
                started = time.perf_counter()
                await env.start()
                startup = time.perf_counter() - started
                requests, runs = _Requests(bot.http), _Runs(bot.weekly.transitions)
                for server in (a, b, c):
                    await server.turn_on(bot, store)
                await env.settle()
                started = time.perf_counter()
                await _advance_to(env, OPENS)
                await a.vote(store, [n % 4 + 1 for n in range(voters)], "a")
                await b.vote(store, list(SMALL), "b")
                await _advance_to(env, OPENS_C)
                await c.vote(store, list(SMALL), "c")
                a.leave(LEAVE_EVERY)
                setup = time.perf_counter() - started
                await env.settle()
                cached = {s.guild.name: s.forget_voters(bot) for s in (a, b, c)}

                mark, t0, both = await _close(env, requests, CLOSES)
                closes = [await s.outcome(store, requests, runs, mark, t0) for s in (a, b)]
                mark, t0, alone = await _close(env, requests, CLOSES_C)
                reference = await c.outcome(store, requests, runs, mark, t0)
            finally:
                await env.shutdown()
                clock.use(None)
            bot_errors = [f"{type(e).__name__}: {e}"[:300] for e in env.errors_since(0)]
    return {
        "voters": voters,
        "startup_seconds": round(startup, 2),
        "setup_seconds": round(setup, 2),
        "cached_voters_cleared": cached,
        "a": closes[0],
        "b": closes[1],
        "reference": reference,
        "advance_seconds": round(both, 3),
        "reference_advance_seconds": round(alone, 3),
        "bot_errors": len(bot_errors),
        "first_bot_errors": bot_errors[:5],
    }


def run_in_subprocess(voters: int) -> dict:
    """`measure` in a fresh Python; its stderr passes through."""
    command = [sys.executable, "-m", "benchmarks.weekly_close", "--voters", str(voters)]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True,
                          cwd=Path(__file__).resolve().parent.parent)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _status(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def _seconds(outcome: dict) -> str:
    """When the announcement was posted, and when the server's last member lookup returned."""
    if outcome["announced_after_s"] is None:
        return "never announced"
    done = outcome["lookups_done_after_s"]
    lookups = "" if done is None else f" (its {outcome['lookups']:,} lookups done at {done:.3f} s)"
    return f"{outcome['announced_after_s']:.3f} s{lookups}"


def _small_right(outcome: dict) -> bool:
    return (outcome["closed"] and outcome["counted"] == outcome["voters"] - outcome["left"]
            and outcome["left_out_right"] and outcome["counts_right"] and outcome["winner_right"])


def table_rows(result: dict) -> list[tuple]:
    """(measure, value, target, "ok" / "MISSED" / "") rows for the benchmark table."""
    a, b, ref = result["a"], result["b"], result["reference"]
    n, left = a["voters"], a["left"]
    late = b["announced_after_s"]
    a_right = (a["closed"] and a["left_out"] == left and a["left_out_right"] and a["counted"] == n - left
               and a["counts_right"] and a["winner_right"] and a["lookups"] == n)
    small = [_small_right(outcome) for outcome in (b, ref)]
    checks = (f"A: {a['left_out']:,}/{left:,} left out, {a['counted']:,}/{n - left:,} counted, "
              f"{a['lookups']:,}/{n:,} looked up; B, reference: {b['counted']}/{b['voters']}, "
              f"{ref['counted']}/{ref['voters']} counted, picks {'right' if all(small) else 'WRONG'}; "
              f"{result['bot_errors']} bot errors")
    return [
        (f"weekly close, A ({n:,} voters, {left:,} left): deadline to announcement", _seconds(a),
         "announced", _status(a["announced_after_s"] is not None)),
        (f"weekly close, B ({b['voters']} voters) at the same instant: announced after", _seconds(b),
         f"≤ {B_LATE_SECONDS:g} s", _status(late is not None and late <= B_LATE_SECONDS)),
        (f"weekly close, reference: B's twin alone ({ref['voters']} voters)", _seconds(ref), "", ""),
        ("weekly close: results recorded", checks, "all right, 0 errors",
         _status(bool(a_right) and all(small) and result["bot_errors"] == 0)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.weekly_close", description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=1000, help="voters on server A's ballot (default 1000)")
    parser.add_argument("--table", action="store_true", help="print the rows of `python -m benchmarks`, not JSON")
    args = parser.parse_args()
    if args.voters < 1:
        parser.error("--voters must be at least 1")
    result = asyncio.run(measure(args.voters))
    if args.table:
        from benchmarks.__main__ import format_table

        print(format_table(table_rows(result)), flush=True)
    else:
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
