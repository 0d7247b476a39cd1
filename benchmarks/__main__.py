"""`python -m benchmarks [--sizes 1000,10000]`: autocomplete latency by query class, one table.

The full suite (1M-title IMDb import, bursts through the simulated Discord, RSS) is issue 7; this
measures the search the foundation ships, on generated catalogues of the given sizes.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from anyascii import anyascii

from benchmarks.catalogue import Generated, generate
from bot.catalogue.normalise import normalise
from bot.catalogue.search import Catalogue
from bot.store import Store

QUERIES_PER_CLASS = 200


def _typo(rng: random.Random, text: str) -> str:
    words = text.split()
    index = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[index]
    if len(word) < 5:
        return text
    i = rng.randrange(1, len(word) - 1)
    words[index] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return " ".join(words)


def _queries(films: list[Generated], rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """(query, intended film key) per class."""
    english = [f for f in films if not f.cyrillic]
    russian = [f for f in films if f.cyrillic]
    pick = lambda pool: [rng.choice(pool) for _ in range(QUERIES_PER_CLASS)]  # noqa: E731
    return {
        "full title": [(f.draft.title, f.draft.key) for f in pick(english)],
        "prefix (4 chars)": [(f.draft.title[:4], f.draft.key) for f in pick(english)],
        "mid-word substring": [(f.draft.title[1:7], f.draft.key) for f in pick(english)],
        "one typo": [(_typo(rng, f.draft.title), f.draft.key) for f in pick(english)],
        "cyrillic": [(f.draft.title, f.draft.key) for f in pick(russian)],
        "transliterated": [(anyascii(f.draft.title).lower(), f.draft.key) for f in pick(russian)],
    }


async def _measure(size: int) -> list[tuple]:
    rng = random.Random(size)
    films = generate(size)
    with tempfile.TemporaryDirectory() as folder:
        async with Store.open(Path(folder) / "bench.db") as store:
            await store.migrate()
            started = time.perf_counter()
            async with store.transaction() as tx:
                for film in films:
                    await store.films.upsert(tx, film.draft, normalise)
            load = time.perf_counter() - started
            catalogue = Catalogue(store)
            await catalogue.search("warm up")
            rows = []
            for name, queries in _queries(films, rng).items():
                times, found = [], 0
                for query, key in queries:
                    t0 = time.perf_counter()
                    hits = await catalogue.search(query)
                    times.append((time.perf_counter() - t0) * 1000)
                    found += any(hit.film.key == key for hit in hits)
                times.sort()
                p95 = times[int(len(times) * 0.95) - 1]
                rows.append((size, name, statistics.median(times), p95, times[-1], 100 * found / len(queries)))
            print(f"# {size:,} films written in {load:.1f} s ({size / load:,.0f} films/s through upsert)")
            return rows


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--sizes", default="1000,10000", help="catalogue sizes, comma-separated")
    parser.add_argument("--imdb", metavar="SIZES", help="also time `import imdb` of generated datasets of these sizes")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = [row for size in sizes for row in asyncio.run(_measure(size))]
    print(f"{'films':>8}  {'query class':<20} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'in top 25':>10}")
    for size, name, p50, p95, worst, found in rows:
        print(f"{size:>8,}  {name:<20} {p50:>8.2f} {p95:>8.2f} {worst:>8.2f} {found:>9.1f}%")
    if args.imdb:
        from benchmarks.imdb_import import format_table, measure_import

        print()
        print("\n".join(format_table(measure_import(int(size) for size in args.imdb.split(",")))))


if __name__ == "__main__":
    main()
