"""The event loop's worst stall while the bot reads the worst file of each kind a member can send.

    python -m benchmarks.hostile_files [--table]

prints ONE JSON object on stdout (--table prints the benchmark table's rows instead); `measure()`
runs it in a fresh process, so the figures do not depend on what the parent has allocated. The bot
is the real one (`create_bot`, bundled films and lists) in SimCord, as the tests run it; each file
goes through its command as an attachment: /list import (a moderator) and /import letterboxd.

- A loop-lag probe, a task sleeping 5 ms in a loop, records the largest overshoot while each
  command runs: that is how long the bot could answer no one. Target: at most 100 ms.
- Beside it, the longest full (generation 2) garbage collection that ran meanwhile: CPython's
  collector holds the GIL throughout, in whatever thread it runs, so it stalls the loop too; its
  length is set by everything alive in the process, not by the file.
- The files: YAML "billion laughs" (0.5 KB, ten levels of aliases), 20 KB of nested brackets and
  the largest list file (500 films with notes, ~230 KB, read whole before its unknown films
  are refused); a 5 MB ratings.csv (19,000 rows
  no film matches); a zip whose ratings.csv inflates to 22 MB, one with 150 names of 100,000
  characters, and the largest zip accepted (ratings.csv and diary.csv, 20,000 rows in all).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import gc
import io
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

GUILD = 424_242_424_242_424_242
STALL_MS = 100.0
Row = tuple[str, str, str, str]
HEADER = "Date,Name,Year,Letterboxd URI,Rating\n"
DIARY_HEADER = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"


class _Lag:
    def __init__(self) -> None:
        self.worst_ms = self.collector_ms = 0.0
        self._since = 0.0

    async def _probe(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            self.worst_ms = max(self.worst_ms, (time.perf_counter() - before - 0.005) * 1000)

    def _collected(self, phase: str, info: dict) -> None:
        if info.get("generation") == 2:
            if phase == "start":
                self._since = time.perf_counter()
            elif self._since:
                self.collector_ms = max(self.collector_ms, (time.perf_counter() - self._since) * 1000)

    async def run(self, work) -> str:
        gc.callbacks.append(self._collected)
        probe = asyncio.create_task(self._probe())
        await asyncio.sleep(0)
        try:
            result = await work
        finally:
            await asyncio.sleep(0.005)
            probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await probe
            gc.callbacks.remove(self._collected)
        return result.response.content.splitlines()[0][:100]


def _zipped(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def files() -> list[tuple[str, str, str, bytes]]:
    """(kind, what, filename, data) for each attack, in the order measured."""
    laughs = ["key: laughs", "name: Laughs", "films: []", "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    laughs += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 11)]
    largest_list = "key: largest\nname: Largest\nfilms:\n" + "".join(
        f"  - film: film-{n:03d}-{'k' * 30}\n    note: {'n' * 400}\n" for n in range(500)
    )
    ratings = HEADER + "".join(
        f"2024-01-02,Film {n:06d} {'x' * 208},1975,https://boxd.it/f{n},4.5\n" for n in range(19_000)
    )
    names = HEADER + "".join(f"2024-01-02,{'A' * 100_000}{n},1999,u,4\n" for n in range(150))
    half = [f"Film {n:05d} {'y' * 400}" for n in range(10_000)]
    largest_zip = _zipped(
        {
            "ratings.csv": HEADER
            + "".join(f"2024-01-02,{name},1975,https://boxd.it/r{n},4\n" for n, name in enumerate(half)),
            "diary.csv": DIARY_HEADER
            + "".join(f"2024-01-02,{name},1975,https://boxd.it/d{n},4,,,2024-01-01\n" for n, name in enumerate(half)),
        }
    )
    return [
        ("YAML", "billion laughs", "laughs.yaml", "\n".join(laughs).encode()),
        ("YAML", "20 KB of nested brackets", "deep.yaml", b"key: k\nfilms: " + b"[" * 10_000 + b"]" * 10_000),
        ("YAML", "largest list file, 500 films, parsed whole", "largest.yaml", largest_list.encode()),
        ("CSV", "5 MB ratings.csv, 19,000 rows", "ratings.csv", ratings.encode()),
        (
            "zip",
            "ratings.csv inflating to 22 MB",
            "bomb.zip",
            _zipped({"ratings.csv": HEADER + "2024-01-02,X,1999,u,4\n" * 1_000_000}),
        ),
        ("zip", "150 names of 100,000 characters", "names.zip", _zipped({"ratings.csv": names})),
        ("zip", "largest export accepted, 20,000 rows", "letterboxd.zip", largest_zip),
    ]


async def _measure() -> list[dict]:
    import discord
    from simcord import Env

    from bot.app import create_bot
    from bot.config import parse_config
    from bot.store import Store

    figures = []
    with tempfile.TemporaryDirectory(prefix="kinoclub-hostile-") as folder:
        database = Path(folder) / "bench.db"
        config = parse_config(
            {"discord": {"dev_guild_id": GUILD}, "providers": {"wikidata": False, "tmdb": False}}, environ={}
        )
        config = dataclasses.replace(config, database=dataclasses.replace(config.database, path=database))
        async with Store.open(database) as store:
            env = Env(create_bot(config, store))
            env.settle_timeout = 60.0
            guild = env.create_guild("Film Club", id=GUILD)
            await env.start()
            try:
                channel = guild.create_text_channel("film-club")
                role = guild.create_role("Moderator", permissions=discord.Permissions.none())
                members = iter(guild.add_member(env.create_user(f"member{n}")) for n in range(100))
                for kind, what, filename, data in files():
                    # One member per file, so no file waits on another's import pause.
                    if kind == "YAML":
                        actor = guild.add_member(env.create_user(f"mod-{filename}"), roles=[role])
                        command = "list import"
                    else:
                        actor, command = next(members), "import letterboxd"
                    lag = _Lag()
                    started = time.perf_counter()
                    reply = await lag.run(actor.slash(channel, command, file=(filename, data)))
                    figures.append(
                        {
                            "kind": kind,
                            "file": what,
                            "bytes": len(data),
                            "reply": reply,
                            "seconds": round(time.perf_counter() - started, 3),
                            "worst_ms": round(lag.worst_ms, 1),
                            "collector_ms": round(lag.collector_ms, 1),
                        }
                    )
            finally:
                await env.shutdown()
    return figures


def rows(figures: list[dict]) -> list[Row]:
    out: list[Row] = []
    for figure in figures:
        collector = f"; longest full GC {figure['collector_ms']:.0f} ms" if figure["collector_ms"] else ""
        out.append(
            (
                f"loop stall, {figure['kind']}: {figure['file']} ({figure['bytes'] / 1024:,.0f} KB)",
                f"{figure['worst_ms']:.0f} ms{collector} ({figure['seconds']:.1f} s)",
                f"≤ {STALL_MS:.0f} ms",
                "ok" if figure["worst_ms"] <= STALL_MS else "MISSED",
            )
        )
    return out


def measure() -> list[Row]:
    """Every row of this benchmark, measured in a fresh process; its stderr passes through."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.hostile_files"],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return rows(json.loads(done.stdout.strip().splitlines()[-1])["files"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", action="store_true", help="print the table's rows instead of JSON")
    args = parser.parse_args()
    figures = asyncio.run(_measure())
    if args.table:
        for row in rows(figures):
            print(" | ".join(row))
    else:
        print(json.dumps({"files": figures}))


if __name__ == "__main__":
    main()
