"""One line of each IMDb file → the rows to stage. The hot path: plain code, no per-line objects.

Each converter appends staging rows (tuples in the staging table's column order, see
bot.store.imdb) to `out`, returns False for a well-formed line it does not want, and raises
ValueError, with a short reason, for a malformed one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable

from bot.catalogue.imdb.files import NULL
from bot.catalogue.normalise import normalise

FIRST_YEAR, LAST_YEAR = 1870, 2200
# Convert one line's fields; append what to stage to the list; raise ValueError for a malformed
# line. Returning False marks a well-formed line that is not wanted (counted as filtered).
Convert = Callable[[list[str], list], bool | None]
# Genres are staged as a JSON array made by text replacement; anything that would need escaping is refused.
_PLAIN = re.compile(r"[^\x00-\x1f\"\\,]+(?:,[^\x00-\x1f\"\\,]+)*")


class IdSet:
    """A set of IMDb numeric ids as a bitmap.

    The importer must remember which titles it keeps (to filter akas, ratings, credits) and which
    people they credit (to filter name.basics): state bounded by IMDb's id range, not by the files.
    As bits that is 1 byte per 8 ids (~40M title ids: 5 MB), where a Python set of a million ints
    takes about 60 MB.
    """

    def __init__(self) -> None:
        self._bits = bytearray(1 << 16)

    def add(self, number: int) -> None:
        index = number >> 3
        if index >= len(self._bits):
            self._bits.extend(bytes(max(index + 1 - len(self._bits), len(self._bits))))
        self._bits[index] |= 1 << (number & 7)

    def update(self, numbers: Iterable[int]) -> None:
        for number in numbers:
            self.add(number)

    def __contains__(self, number: int) -> bool:
        index = number >> 3
        return index < len(self._bits) and bool(self._bits[index] >> (number & 7) & 1)

    def to_bytes(self) -> bytes:
        return bytes(self._bits)

    @classmethod
    def from_bytes(cls, data: bytes) -> IdSet:
        found = cls()
        found._bits = bytearray(data)
        return found


def converter(name: str, types: Iterable[str], kept: IdSet, people: IdSet, crew: bool) -> Convert:
    """The converter for the file called `name` (the importer adds kept titles and people from the rows)."""
    return {
        "title.basics.tsv.gz": lambda: Basics(types),
        "title.ratings.tsv.gz": lambda: Ratings(kept),
        "title.akas.tsv.gz": lambda: Akas(kept),
        "title.crew.tsv.gz": lambda: Crew(kept),
        "title.principals.tsv.gz": lambda: Principals(kept, directors=not crew),
        "name.basics.tsv.gz": lambda: Names(people),
    }[name]()


def imdb_id(text: str, prefix: str) -> int:
    """tt0050634 → 50634, nm0436101 → 436101."""
    if text[:2] != prefix or not text[2:].isdigit() or not text[2:].isascii():
        raise ValueError(f"{text[:20]!r} is not an id of the form {prefix}1234567")
    return int(text[2:])


def _whole(text: str, what: str, low: int, high: int) -> int | None:
    if text == NULL:
        return None
    try:
        number = int(text)
    except ValueError:
        raise ValueError(f"{what} {text[:20]!r} is not a whole number") from None
    if not low <= number <= high:
        raise ValueError(f"{what} {number} is out of range")
    return number


class Basics:
    """title.basics: the films of the chosen title types (adult titles are left out)."""

    def __init__(self, types: Iterable[str]) -> None:
        self.types = frozenset(types)

    def __call__(self, f: list[str], out: list) -> bool | None:
        if f[4] not in ("0", "1"):
            raise ValueError(f"isAdult {f[4][:20]!r} is not 0 or 1")
        if f[1] not in self.types or f[4] == "1":
            return False
        tconst = imdb_id(f[0], "tt")
        title = f[2]
        if not title or title == NULL:
            raise ValueError("primaryTitle is empty")
        year = _whole(f[5], "startYear", FIRST_YEAR, LAST_YEAR)
        runtime = _whole(f[7], "runtimeMinutes", 0, 1_000_000) or None
        genres = f[8]
        if genres == NULL:
            genres = None
        elif _PLAIN.fullmatch(genres):
            genres = '["' + genres.replace(",", '","') + '"]'
        else:
            raise ValueError(f"genres {genres[:40]!r} is not a comma-separated list")
        norm = normalise(title)
        original = f[3]
        original_norm = None
        if original in (NULL, "", title):
            original = None
        else:
            original_norm = normalise(original)
            if original_norm == norm:
                original_norm = None
        out.append((tconst, title, original, year, runtime, genres, norm, original_norm))
        return None


class Ratings:
    def __init__(self, kept: IdSet) -> None:
        self.kept = kept

    def __call__(self, f: list[str], out: list) -> bool | None:
        tconst = imdb_id(f[0], "tt")
        if tconst not in self.kept:
            return False
        try:
            rating = float(f[1])
        except ValueError:
            raise ValueError(f"averageRating {f[1][:20]!r} is not a number") from None
        if not (0 <= rating <= 10) or math.isnan(rating):
            raise ValueError(f"averageRating {f[1][:20]!r} is not between 0 and 10")
        votes = _whole(f[2], "numVotes", 0, 1 << 40)
        if votes is None:
            raise ValueError("numVotes is missing")
        out.append((tconst, rating, votes))
        return None


class Akas:
    """title.akas: every other name of a kept film once per normalised spelling, with its language."""

    def __init__(self, kept: IdSet) -> None:
        self.kept = kept
        self._film = -1
        self._seen: set[str] = set()

    def __call__(self, f: list[str], out: list) -> bool | None:
        tconst = imdb_id(f[0], "tt")
        if tconst not in self.kept:
            return False
        _whole(f[1], "ordering", 0, 1 << 31)
        if f[7] not in ("0", "1", NULL):
            raise ValueError(f"isOriginalTitle {f[7][:20]!r} is not 0 or 1")
        title = f[2]
        if not title or title == NULL:
            raise ValueError("title is empty")
        norm = normalise(title)
        # akas come grouped by title, and most repeat one spelling for many regions.
        if tconst != self._film:
            self._film, self._seen = tconst, set()
        if not norm or norm in self._seen:
            return False
        self._seen.add(norm)
        out.append((tconst, title, _language(f[4], f[3]), norm))
        return None


def _language(language: str, region: str) -> str | None:
    """BCP-47-ish, as the bundled data writes it: "ru", "ru-RU", "und-RU" (region only) or None."""
    language = None if language == NULL else language
    if region == NULL or not region:
        return language
    return f"{language or 'und'}-{region}"


class Crew:
    """title.crew: the directors of kept films, in IMDb's order (the list's order is the billing)."""

    def __init__(self, kept: IdSet) -> None:
        self.kept = kept

    def __call__(self, f: list[str], out: list) -> bool | None:
        tconst = imdb_id(f[0], "tt")
        if tconst not in self.kept or f[1] == NULL:
            return False
        directors = f[1].split(",")
        out.extend([(tconst, "director", position, imdb_id(text, "nm")) for position, text in enumerate(directors)])
        return None


class Principals:
    """title.principals: the actors (and directors when title.crew is not there) of kept films.

    Each row is staged with its `ordering` as the position: IMDb lists a title's rows with ordering
    sorted as text (10, 11, …, 1, 2, …), and a title's rows need not be side by side in a file, so
    billing (numeric ordering, one credit per person, the cast limit) is chosen by the merge over
    all of a title's staged rows (bot.store.imdb_merge), never here from the order lines come in.
    """

    def __init__(self, kept: IdSet, directors: bool) -> None:
        self.kept = kept
        self.roles = {"actor": "cast", "actress": "cast"} | ({"director": "director"} if directors else {})

    def __call__(self, f: list[str], out: list) -> bool | None:
        tconst = imdb_id(f[0], "tt")
        role = self.roles.get(f[3])
        if role is None or tconst not in self.kept:
            return False
        ordering = _whole(f[1], "ordering", 0, 1 << 31)
        if ordering is None:
            raise ValueError("ordering is missing")
        out.append((tconst, role, ordering, imdb_id(f[2], "nm")))
        return None


class Names:
    """name.basics: the names of the people kept films credit."""

    def __init__(self, people: IdSet) -> None:
        self.people = people

    def __call__(self, f: list[str], out: list) -> bool | None:
        nconst = imdb_id(f[0], "nm")
        if nconst not in self.people:
            return False
        name = f[1]
        if not name or name == NULL:
            raise ValueError("primaryName is empty")
        out.append((nconst, name, normalise(name)))
        return None
