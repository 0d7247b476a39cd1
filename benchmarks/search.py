"""Autocomplete latency and recall by query class, on a catalogue made by `import imdb` of a generated dataset.

Run by `python -m benchmarks` on each size's imported database.

Queries are built from films the generator wrote (`Dataset.samples`), so each has one intended film:
- prefix: the first half of the English title (at least 4 characters), as typed so far;
- mid-word substring: 6 characters from inside the title, starting at its second;
- full title: the English title as written;
- one typo: the title with one edit (swap of neighbours, a letter dropped, added or changed) in its
  longest word of 5+ letters;
- cyrillic: the Russian title in Cyrillic, as in the RU aka;
- transliterated: the original title, the Russian title romanised;
- title + year: the English title and the year ("mother 1955");
- title + person: the English title and the first director's surname ("cranes kalatozov");
- person alone: the first director's full name (their films by popularity, so no recall target);
- article added or dropped: "The …" titles typed without it, other titles with "the " before them;
- club film among namesakes: the title of a film on the benchmark server's list that 50+ other
  films share exactly (namesakes are added, through the store's own write path, where the
  generated catalogue has too few).

Each query is timed through `Catalogue.suggest` for one server, the call behind every
autocomplete, on one warm connection; "in top 25" is the share whose intended film is among the
25 suggestions. Right after each query the reference runs on the same connection: one FTS5 `MATCH`
of the same normalised words, `ORDER BY rowid LIMIT 25`. The machine's noise hits both alike, so
the ratio of the p95s says more than either alone. The first typo query loads the word list used
for corrections; it is timed apart ("word list load").
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
    "title + year": Target(5.0, 0.99),
    "title + person": Target(5.0, 0.99),
    "person alone": Target(5.0, None),
    "article added or dropped": Target(5.0, None),
    "club film among namesakes": Target(5.0, 0.99),
}
REFERENCE_RATIO = 3.0  # every class's p95 at most this many times the reference's
GUILD = 4_242  # the benchmark's server: its list holds the club films
NAMESAKES = 55  # films added beside each club film, all with its exact title
CLUB_TITLES = 40


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
    reference_p95_ms: float = 0.0  # the FTS5 statement for the same queries, interleaved

    @property
    def ratio(self) -> float:
        return self.p95_ms / self.reference_p95_ms if self.reference_p95_ms else 0.0


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

    def surname(sample: Sample) -> str | None:
        return f"{sample.title} {sample.directors[0].split()[-1]}" if sample.directors else None

    def article(sample: Sample) -> str:
        return sample.title[4:] if sample.title.startswith("The ") else f"the {sample.title}"

    return {
        "prefix": draw(english, lambda s: s.title[:max(4, len(s.title) // 2)]),
        "mid-word substring": draw(english, lambda s: s.title[1:7] if len(s.title) >= 8 else None),
        "full title": draw(english, lambda s: s.title),
        "one typo": draw(english, lambda s: typo(rng, s.title)),
        "cyrillic": draw(russian, lambda s: s.cyrillic),
        "transliterated": draw(russian, lambda s: s.original),
        "title + year": draw(english, lambda s: f"{s.title} {s.year}" if s.year else None),
        "title + person": draw(english, surname),
        "person alone": draw(english, lambda s: s.directors[0] if s.directors else None),
        "article added or dropped": draw(english, article),
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
                await catalogue.suggest(query, guild_id=GUILD)
        titles = {sample.key: sample for sample in samples}
        classes = queries(samples)
        classes["club film among namesakes"] = await _club_films(store, samples)
        rows = []
        for kind, batch in classes.items():
            times, reference, found = [], [], []
            for query, key in batch:
                t0 = time.perf_counter()
                labels = await catalogue.suggest(query, guild_id=GUILD)
                times.append((time.perf_counter() - t0) * 1000)
                reference.append(await _reference(store, query))
                found.append(any(label.key == key for label in labels))
            if kind == "one typo":  # the title the typo was made in
                meant = [titles[key].title for _, key in batch]
            else:
                meant = [query for query, _ in batch] if kind in WHOLE_TITLES else []
            rows.append(_row(database, films, kind, times, reference, found, meant))
    return rows, vocabulary_ms


def _row(database: Path, films: int, kind: str, times: list[float], reference: list[float], found: list[bool],
         meant: list[str]) -> SearchRow:
    from bot.catalogue.normalise import normalise

    times, reference = sorted(times), sorted(reference)
    crowded = _crowded(database, [normalise(title) for title in meant]) if meant else []
    distinct = [hit for hit, many in zip(found, crowded, strict=True) if not many] if crowded else found
    n = len(found) or 1
    return SearchRow(
        films, kind, len(found), _percentile(times, 0.5), _percentile(times, 0.95),
        times[-1] if times else 0.0, sum(found) / n, sum(crowded) / n,
        sum(distinct) / len(distinct) if any(crowded) and distinct else None, _percentile(reference, 0.95),
    )


async def _reference(store, query: str) -> float:
    """Milliseconds for one FTS5 statement over the same words: the floor any search pays."""
    from bot.catalogue.normalise import normalise

    words = normalise(query).split()
    if not words:
        return 0.0
    match = " AND ".join('"' + word.replace('"', '""') + '"*' for word in words)
    t0 = time.perf_counter()
    await store.fetchall(
        "SELECT rowid FROM film_titles_words WHERE film_titles_words MATCH ? ORDER BY rowid LIMIT 25", (match,)
    )
    return (time.perf_counter() - t0) * 1000


async def _club_films(store, samples: list[Sample], seed: int = 1955) -> list[tuple[str, str]]:
    """(title, key) of films put on the benchmark server's list, each beside `NAMESAKES` films of
    the same title and more popular than it, added through the store's write path as an import would."""
    from bot.catalogue.normalise import normalise
    from bot.store.models import FilmDraft

    rng = random.Random(seed)
    chosen = rng.sample([sample for sample in samples if len(sample.title) >= 4], min(CLUB_TITLES, len(samples)))
    if await store.lists.get(GUILD, "namesakes") is not None:  # measured before, on this database
        return [(sample.title, sample.key) for sample in chosen]
    async with store.transaction() as tx:
        list_id = await store.lists.create(tx, GUILD, "namesakes", "Namesakes", None, 1)
        for position, sample in enumerate(chosen, 1):
            film = await store.films.get_by_key(sample.key)
            for n in range(NAMESAKES):
                draft = FilmDraft(key=f"{sample.key}-namesake-{n}", title=sample.title, source="imdb",
                                  year=rng.randint(1910, 2025), popularity=film.popularity + rng.randint(1, 10**5))
                await store.films.upsert(tx, draft, normalise)
            await store.lists.add_entry(tx, list_id, film.id, position, None, 1)
    return [(sample.title, sample.key) for sample in chosen]
