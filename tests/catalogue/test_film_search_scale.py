"""/film search on a 50,000-film catalogue: every page of each filter combination is exactly what a
brute-force pass over every row of the same database finds, in the same order.

The catalogue is a generated IMDb dataset run through the real importer (about 10 s, once for the
module); IMDb gives no countries, so each film gets one or two from a fixed cycle, written directly.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from benchmarks.imdb_data import write_dataset
from bot.catalogue import finder
from bot.catalogue.imdb import import_imdb
from bot.catalogue.search import Catalogue
from bot.store import Store

FILMS = 50_000
PAGE = 10  # bot.ui.films.PER_PAGE: a page of the reply
COUNTRIES = ("France", "Soviet Union", "Japan", "Italy", "United States", "Soviet Union (Georgia)", "Cuba")


@dataclass
class Rows:
    """Every film with its names, credits and tags, as read back from the database."""

    films: dict[int, tuple[int, int | None]] = field(default_factory=dict)  # id → (popularity, year)
    names: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    credits: dict[tuple[int, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    tags: dict[tuple[int, str], list[str]] = field(default_factory=lambda: defaultdict(list))


async def _build(path: Path) -> None:
    data = write_dataset(path.parent / "imdb", films=FILMS, seed=7)
    async with Store.open(path) as store:
        await store.migrate()
        await import_imdb(store, data.folder)
        rows = await store.fetchall("SELECT id FROM films")
        tags = [(row[0], "country", 0, COUNTRIES[row[0] % len(COUNTRIES)]) for row in rows]
        # Every third film has a second country, so one film can match a country filter twice over.
        tags += [(row[0], "country", 1, COUNTRIES[(row[0] // 3) % len(COUNTRIES)]) for row in rows if row[0] % 3 == 0]
        async with store.transaction() as tx:
            await tx.executemany("INSERT INTO film_tags (film_id, kind, position, value) VALUES (?,?,?,?)", tags)


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "kino.db"
    asyncio.run(_build(path))
    return path


@pytest.fixture(scope="module")
def rows(database: Path) -> Rows:
    async def read() -> Rows:
        async with Store.open(database) as store:
            return await _read(store)

    return asyncio.run(read())


async def _read(store: Store) -> Rows:
    rows = Rows()
    for film_id, popularity, year in await store.fetchall("SELECT id, popularity, year FROM films"):
        rows.films[film_id] = (popularity, year)
    for film_id, norm in await store.fetchall("SELECT film_id, norm FROM film_titles"):
        rows.names[film_id].append(norm)
    for film_id, role, norm in await store.fetchall("SELECT film_id, role, norm FROM film_credits"):
        rows.credits[film_id, role].append(norm)
    for film_id, kind, value in await store.fetchall("SELECT film_id, kind, value FROM film_tags"):
        rows.tags[film_id, kind].append(value)
    return rows


def _begins(words, name: str) -> bool:
    """Each of `words` begins some word of `name`."""
    return all(any(part.startswith(word) for part in name.split()) for word in words)


def brute(rows: Rows, filters: finder.Filters) -> list[int]:
    """The films matching `filters`, by looking at every film, most popular first, then older, then id."""
    query = finder.query(filters)
    found = []
    for film_id, (_popularity, year) in rows.films.items():
        if query.title_words and not any(_begins(query.title_words, name) for name in rows.names[film_id]):
            continue
        if query.years and not (year is not None and query.years[0] <= year <= query.years[1]):
            continue
        people = [("director", query.director), ("cast", query.cast)]
        if any(norm is not None and not any(_begins(norm.split(), name) for name in rows.credits[film_id, role])
               for role, norm in people):
            continue
        tags = [("country", query.country), ("genre", query.genre)]
        if any(value is not None and not any(tag.lower() == value.lower() or tag.lower().startswith(value.lower() + " ")
                                             for tag in rows.tags[film_id, kind])
               for kind, value in tags):
            continue
        found.append(film_id)
    # SQLite puts an unknown year first, as the search's ORDER BY year does.
    found.sort(key=lambda film_id: (-rows.films[film_id][0], rows.films[film_id][1] is not None,
                                    rows.films[film_id][1] or 0, film_id))
    return found


def _combinations(rows: Rows) -> list[finder.Filters]:
    """Filter combinations chosen from the data, so that each has several pages of matches."""
    years = Counter(year for _, year in rows.films.values() if year is not None)
    busy_year = years.most_common(1)[0][0]
    directors = Counter(name for (_, role), names in rows.credits.items() if role == "director" for name in names)
    director = directors.most_common(1)[0][0]
    actors = Counter(name for (_, role), names in rows.credits.items() if role == "cast" for name in names)
    actor = actors.most_common(1)[0][0]
    in_year = [film_id for film_id, (_, year) in rows.films.items() if year == busy_year]
    words = Counter(word[:4] for film_id in in_year for name in rows.names[film_id] for word in name.split()
                    if len(word) >= 4 and word.isascii() and word.isalpha())
    word = words.most_common(1)[0][0]
    decade = f"{busy_year // 10 * 10}s"
    return [
        finder.Filters(genre="Drama", year=str(busy_year)),
        finder.Filters(genre="Horror", year=decade),
        finder.Filters(director=director),
        finder.Filters(director=director.split()[-1]),  # surname alone: every director it begins
        finder.Filters(cast=actor, year=f"{busy_year - 30}-{busy_year}"),
        finder.Filters(country="Soviet Union", genre="Drama"),  # and the longer "Soviet Union (Georgia)"
        finder.Filters(country="cuba", genre="comedy", year=decade),
        finder.Filters(title=word, year=str(busy_year)),
        finder.Filters(title=word[:3], year=decade),
    ]


async def test_every_page_of_every_combination_is_what_a_brute_force_count_finds(database, rows):
    async with Store.open(database) as store:
        assert len(rows.films) >= FILMS
        for filters in _combinations(rows):
            expected = brute(rows, filters)
            assert len(expected) > PAGE, filters  # several pages, so paging is tested too
            query = finder.query(filters)
            shown: list[int] = []
            for offset in range(0, len(expected) + PAGE, PAGE):
                page, total = await store.films.search_page(query, PAGE, offset)
                assert total == len(expected), filters
                shown += page
            assert shown == expected, filters
            # What the command shows: the first page and the whole total, then the last page on demand.
            found = await finder.find(store, Catalogue(store), filters, PAGE)
            assert ([film.id for film in found.films], found.total) == (expected[:PAGE], len(expected))
            last = (len(expected) - 1) // PAGE * PAGE
            assert [film.id for film in await finder.page(store, filters, last, PAGE)] == expected[last:]


async def test_the_2000_candidate_cap_is_gone(database, rows):
    """A genre with more than 2,000 films, in one page: the old per-filter cap of 2,000 dropped the rest."""
    async with Store.open(database) as store:
        filters = finder.Filters(genre="Drama")
        expected = brute(rows, filters)
        assert len(expected) > 2000
        ids, total = await store.films.search_page(finder.query(filters), len(expected))
        assert (ids, total) == (expected, len(expected))
