"""Autocomplete latency and recall by query class, on a catalogue made by `import imdb` of a generated dataset.

Run by `python -m benchmarks` on each size's imported database.

Queries are built from films the generator wrote (`Dataset.samples`), so each has one intended film:
- prefix: the first half of the English title (at least 4 characters), as typed so far;
- mid-word substring: 6 characters from inside the title, starting at its second;
- full title: the English title as written;
- one typo: the title with one edit (swap of neighbours, a letter dropped, added or changed) in its
  longest word of 5+ letters;
- cyrillic: the Russian title in Cyrillic, as in the RU aka;
- transliterated: the original title, the Russian title romanised.

Each query is timed through `Catalogue.suggest`, the call behind every autocomplete, on one warm
connection; "in top 25" is the share whose intended film is among the 25 suggestions. The first
typo query loads the word list used for corrections; it is timed apart ("word list load").
"""

from __future__ import annotations

import math
import random
import sqlite3
import string
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.imdb_data import Sample

PER_CLASS = 200
TYPO_KINDS = ("swap", "drop", "add", "change")
WHOLE_TITLES = ("full title", "cyrillic", "transliterated")


@dataclass(frozen=True)
class Target:
    p95_ms: float
    found: float | None  # share in the top 25; None: no target (a partial query names many films)


TARGETS = {
    "prefix": Target(5.0, None),
    "mid-word substring": Target(5.0, None),
    "full title": Target(5.0, 0.99),
    "one typo": Target(15.0, 0.90),
    "cyrillic": Target(5.0, 0.99),
    "transliterated": Target(5.0, 0.99),
}


@dataclass(frozen=True)
class SearchRow:
    films: int
    kind: str
    queries: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    found: float  # share of queries whose intended film is in the top 25
    crowded: float  # share whose intended title more than 25 films share exactly (whole-title classes)
    found_distinct: float | None  # `found` among the other queries (None: no title is crowded)


def typo(rng: random.Random, text: str) -> str | None:
    """`text` with one edit in its longest word of 5+ letters (None when it has none)."""
    words = text.split(" ")
    index = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[index]
    if len(word) < 5 or not word.isalpha():
        return None
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(TYPO_KINDS)
    if kind == "swap":
        word = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    elif kind == "drop":
        word = word[:i] + word[i + 1:]
    else:
        letter = rng.choice([c for c in string.ascii_lowercase if c != word[i].lower()])
        word = word[:i] + letter + word[i + (kind == "change"):]
    words[index] = word
    return " ".join(words)


def queries(samples: list[Sample], seed: int = 1957, per_class: int = PER_CLASS) -> dict[str, list[tuple[str, str]]]:
    """(query, intended film key) per class, drawn from the samples with a seed."""
    rng = random.Random(seed)
    english = list(samples)
    russian = [sample for sample in samples if sample.cyrillic]

    def draw(pool: list[Sample], make) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for _ in range(per_class * 20):
            if len(out) == per_class or not pool:
                break
            sample = rng.choice(pool)
            query = make(sample)
            if query:
                out.append((query, sample.key))
        return out

    return {
        "prefix": draw(english, lambda s: s.title[:max(4, len(s.title) // 2)]),
        "mid-word substring": draw(english, lambda s: s.title[1:7] if len(s.title) >= 8 else None),
        "full title": draw(english, lambda s: s.title),
        "one typo": draw(english, lambda s: typo(rng, s.title)),
        "cyrillic": draw(russian, lambda s: s.cyrillic),
        "transliterated": draw(russian, lambda s: s.original),
    }


def _percentile(ordered: list[float], q: float) -> float:
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else 0.0


def _crowded(database: Path, norms: list[str]) -> list[bool]:
    """Whether each of `norms` names more than 25 films exactly: then no ranking by title alone can
    promise the intended one a place among the 25 (a member would add the year or the director)."""
    sql = "SELECT count(DISTINCT film_id) FROM film_titles WHERE norm = ?"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        flags = [conn.execute(sql, (norm,)).fetchone()[0] > 25 for norm in norms]
    conn.close()
    return flags


async def measure_search(database: Path, samples: list[Sample]) -> tuple[list[SearchRow], float]:
    """The rows, and the word list's load time in ms (the first typo query pays it)."""
    from bot.catalogue.normalise import normalise
    from bot.catalogue.search import Catalogue
    from bot.store import Store

    async with Store.open(database) as store:
        films = await store.films.count()
        catalogue = Catalogue(store)
        started = time.perf_counter()
        await catalogue._words()  # timed apart from the queries on purpose
        vocabulary_ms = (time.perf_counter() - started) * 1000
        # The file was just written by the import: one unmeasured pass over other films' titles
        # first, so the figures are a running bot's (its pages in the OS cache), not a cold start's.
        for batch in queries(samples, seed=7, per_class=50).values():
            for query, _ in batch:
                await catalogue.suggest(query)
        titles = {sample.key: sample for sample in samples}
        rows = []
        for kind, batch in queries(samples).items():
            times, found = [], []
            for query, key in batch:
                t0 = time.perf_counter()
                labels = await catalogue.suggest(query)
                times.append((time.perf_counter() - t0) * 1000)
                found.append(any(label.key == key for label in labels))
            times.sort()
            if kind == "one typo":  # the title the typo was made in
                meant = [titles[key].title for _, key in batch]
            else:
                meant = [query for query, _ in batch] if kind in WHOLE_TITLES else []
            crowded = _crowded(database, [normalise(title) for title in meant]) if meant else []
            distinct = [hit for hit, many in zip(found, crowded, strict=True) if not many] if crowded else found
            n = len(batch) or 1
            rows.append(SearchRow(
                films, kind, len(batch), _percentile(times, 0.5), _percentile(times, 0.95),
                times[-1] if times else 0.0, sum(found) / n, sum(crowded) / n,
                sum(distinct) / len(distinct) if any(crowded) and distinct else None,
            ))
    return rows, vocabulary_ms

