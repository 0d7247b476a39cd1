"""/film search: films matching every filter a member gives, in one statement of the store.

Title words go to the FTS5 word index, director and cast to film_credit_words (each word of the
name as credited, from its start: "andrei tark" finds Andrei Tarkovsky), country and genre to
film_tags(kind, value), the year range to films. The store intersects them in SQL, orders by
popularity and counts them all, so neither the films shown nor the total depend on the catalogue's size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.catalogue import drafts
from bot.catalogue.normalise import normalise
from bot.catalogue.search import Catalogue
from bot.catalogue.vocabulary import stored_name
from bot.errors import UserError, quote
from bot.i18n import _, number
from bot.store import Store
from bot.store.film_filters import FilmFilters
from bot.store.models import Film

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
    films: list[Film]  # the first page, most popular first
    suggestions: list[Film]  # closest titles when nothing matched
    total: int = 0  # every film that matches, on every page


def years(text: str) -> tuple[int, int]:
    """ "1957" → (1957, 1957); "1950s" → (1950, 1959); "1955-1960" → (1955, 1960)."""
    cleaned = text.strip().lower()
    single = _YEAR.match(cleaned)
    span = _RANGE.match(cleaned)
    if single and single.group(2):
        low = int(single.group(1))
        if low % 10:
            raise UserError(_("A decade ends in 0 and s, like `1950s`."))
        low, high = low, low + 9
    elif single:
        low = high = int(single.group(1))
    elif span:
        low, high = sorted((int(span.group(1)), int(span.group(2))))
    else:
        raise UserError(
            _("`year` takes a year (`1957`), a decade (`1950s`) or a range (`1955-1960`), not {text}.").format(
                text=quote(text, 30)
            )
        )
    if high < drafts.FIRST_YEAR or low > drafts.last_year():
        raise UserError(
            _("`year` must fall between {first} and {last}.").format(first=drafts.FIRST_YEAR, last=drafts.last_year())
        )
    return low, high


def _words(value: str, option: str) -> str:
    if len(value) > MAX_FILTER:
        raise UserError(
            _("`{option}` is {length} characters long; at most {limit} fit.").format(
                option=option, length=number(len(value)), limit=MAX_FILTER
            )
        )
    norm = normalise(value)
    if not norm:
        raise UserError(_("`{option}` has no letters or digits to search by.").format(option=option))
    return norm


def _tag(value: str, option: str) -> str:
    if len(value) > MAX_FILTER:
        raise UserError(
            _("`{option}` is {length} characters long; at most {limit} fit.").format(
                option=option, length=number(len(value)), limit=MAX_FILTER
            )
        )
    cleaned = " ".join(value.split())
    if not normalise(cleaned):
        raise UserError(_("`{option}` has no letters or digits to search by.").format(option=option))
    return cleaned


def query(filters: Filters) -> FilmFilters:
    """The filters as the store reads them: checked, normalised, the year as a range."""
    return FilmFilters(
        title_words=tuple(_words(filters.title, "title").split()) if filters.title is not None else (),
        director=_words(filters.director, "director") if filters.director is not None else None,
        cast=_words(filters.cast, "cast") if filters.cast is not None else None,
        years=years(filters.year) if filters.year is not None else None,
        country=stored_name("country", _tag(filters.country, "country")) if filters.country is not None else None,
        genre=stored_name("genre", _tag(filters.genre, "genre")) if filters.genre is not None else None,
    )


async def find(store: Store, catalogue: Catalogue, filters: Filters, limit: int) -> Found:
    """The first `limit` films that match, and how many match in all; the rest come by `page`."""
    given = filters.given()
    if not given:
        raise UserError(_("Give at least one of title, director, cast, year, country or genre."))
    ids, total = await store.films.search_page(query(filters), limit)
    found = await store.films.get_many(ids)
    suggestions: list[Film] = []
    if not found:
        words = " ".join(given[name] for name in ("title", "director", "cast") if name in given)
        if words.strip():
            suggestions = [hit.film for hit in await catalogue.search(words[:MAX_FILTER], limit=5)]
    return Found(found, suggestions, total)


async def page(store: Store, filters: Filters, offset: int, limit: int) -> list[Film]:
    """The `limit` films from `offset` of the same order `find` starts (a later page of the reply)."""
    ids, _ = await store.films.search_page(query(filters), limit, offset)
    return await store.films.get_many(ids)
