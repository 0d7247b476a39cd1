"""/film search: films matching every filter a member gives, each filter answered by an index.

Title words go to the FTS5 word index, director and cast to film_credits_norm (the name as
credited, from its start: "andrei tark" finds Andrei Tarkovsky), country and genre to
film_tags(kind, value), and the year range filters the survivors. The sets are intersected here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.catalogue import drafts
from bot.catalogue.normalise import normalise
from bot.catalogue.search import Catalogue
from bot.errors import UserError, quote
from bot.store import Store
from bot.store.models import Film

MAX_RESULTS = 250  # 25 pages of 10
CANDIDATES = 2000  # per filter, before intersecting
MAX_FILTER = 100
_YEAR = re.compile(r"^(\d{4})(s?)$")
_RANGE = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")


@dataclass(frozen=True)
class Filters:
    title: str | None = None
    director: str | None = None
    cast: str | None = None
    year: str | None = None
    country: str | None = None
    genre: str | None = None

    def given(self) -> dict[str, str]:
        return {name: value for name, value in self.__dict__.items() if value is not None}

    def describe(self) -> str:
        return ", ".join(f"{name}: {quote(value, 40)}" for name, value in self.given().items())


@dataclass(frozen=True)
class Found:
    films: list[Film]
    suggestions: list[Film]  # closest titles when nothing matched


def years(text: str) -> tuple[int, int]:
    """"1957" → (1957, 1957); "1950s" → (1950, 1959); "1955-1960" → (1955, 1960)."""
    cleaned = text.strip().lower()
    single = _YEAR.match(cleaned)
    span = _RANGE.match(cleaned)
    if single and single.group(2):
        low = int(single.group(1))
        if low % 10:
            raise UserError("A decade ends in 0 and s, like `1950s`.")
        low, high = low, low + 9
    elif single:
        low = high = int(single.group(1))
    elif span:
        low, high = sorted((int(span.group(1)), int(span.group(2))))
    else:
        raise UserError(
            f"`year` takes a year (`1957`), a decade (`1950s`) or a range (`1955-1960`), not {quote(text, 30)}."
        )
    if high < drafts.FIRST_YEAR or low > drafts.last_year():
        raise UserError(f"`year` must fall between {drafts.FIRST_YEAR} and {drafts.last_year()}.")
    return low, high


def _words(value: str, option: str) -> str:
    if len(value) > MAX_FILTER:
        raise UserError(f"`{option}` is {len(value):,} characters long; at most {MAX_FILTER} fit.")
    norm = normalise(value)
    if not norm:
        raise UserError(f"`{option}` has no letters or digits to search by.")
    return norm


def _tag(value: str, option: str) -> str:
    if len(value) > MAX_FILTER:
        raise UserError(f"`{option}` is {len(value):,} characters long; at most {MAX_FILTER} fit.")
    cleaned = " ".join(value.split())
    if not normalise(cleaned):
        raise UserError(f"`{option}` has no letters or digits to search by.")
    return cleaned


async def find(store: Store, catalogue: Catalogue, filters: Filters) -> Found:
    given = filters.given()
    if not given:
        raise UserError("Give at least one of title, director, cast, year, country or genre.")
    span = years(filters.year) if filters.year is not None else None
    films = store.films
    sets: list[list[int]] = []
    if filters.title is not None:
        sets.append(await films.ids_with_title_words(_words(filters.title, "title").split(), CANDIDATES))
    if filters.director is not None:
        sets.append(await films.ids_with_credit("director", _words(filters.director, "director"), CANDIDATES))
    if filters.cast is not None:
        sets.append(await films.ids_with_credit("cast", _words(filters.cast, "cast"), CANDIDATES))
    if filters.country is not None:
        sets.append(await films.ids_with_tag("country", _tag(filters.country, "country"), CANDIDATES))
    if filters.genre is not None:
        sets.append(await films.ids_with_tag("genre", _tag(filters.genre, "genre"), CANDIDATES))
    if not sets and span is not None:
        sets.append(await films.ids_in_years(span[0], span[1], CANDIDATES))
    common = set(sets[0]).intersection(*sets[1:])
    found = [
        film for film in await films.get_many(list(common))
        if span is None or (film.year is not None and span[0] <= film.year <= span[1])
    ]
    found.sort(key=lambda film: (-film.popularity, film.year or 0, film.title.casefold()))
    found = found[:MAX_RESULTS]
    suggestions: list[Film] = []
    if not found:
        words = " ".join(given[name] for name in ("title", "director", "cast") if name in given)
        if words.strip():
            suggestions = [hit.film for hit in await catalogue.search(words[:MAX_FILTER], limit=5)]
    return Found(found, suggestions)
