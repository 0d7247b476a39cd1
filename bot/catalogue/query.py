"""The query language every film search reads: title words, a year or decade, a person's name and
a leading article, in any order and script (autocomplete, `/film show`, `kinoclub search`).

`parse` reads what was typed into its parts; `classify` says how well a name answers the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from bot.catalogue.normalise import ARTICLES, normalise

MAX_QUERY = 200  # characters; longer input is cut before searching
MAX_WORDS = 10  # words searched for; a title's first ten are prefix enough
# Years a query word is read as (a decade: "1950s"); other numbers are title words ("3000", "0999").
FIRST_YEAR, LAST_YEAR = 1870, 2099
_YEAR = re.compile(r"(\d{4})(s?)")


class Match(IntEnum):
    EXACT = 0
    PREFIX = 1
    WORD_PREFIX = 2
    SUBSTRING = 3
    TYPO = 4
    CREDIT = 5  # a director or actor named, no title words
    YEAR = 6  # only a year or decade typed


@dataclass(frozen=True)
class Query:
    """A query read into its parts: normalised words (title or person), a year range, a typed article."""

    words: str
    years: tuple[int, int] | None
    article: str | None
    # `words` as they also read when the last typed letter begins a two-letter spelling that folds
    # differently from the letter alone ("the c" may be "ch…" as well as "ts…"); None: no other.
    open_end: str | None = None


def parse(query: str) -> Query:
    """Years ("1955") and decades ("1950s") anywhere in `query`, the first one only; the rest are words.

    A leading article typed before other words ("the c"), or "th"/"the" alone, is kept as a
    preference for titles starting with it: the normalised words never hold one.
    """
    text = query[:MAX_QUERY]
    if len(query) > MAX_QUERY and not query[MAX_QUERY].isspace() and " " in text.strip():
        text = text.rstrip().rsplit(None, 1)[0]  # a word cut in two by the limit is no word
    raw = text.split()
    article = None
    if raw:
        first = raw[0].casefold()
        if first in ARTICLES and len(raw) > 1:
            article = first
        elif len(raw) == 1 and len(first) >= 2 and "the".startswith(first):
            article = "the"
    years = None
    words = []
    for word in normalise(text).split():
        found = _YEAR.fullmatch(word)
        if found and years is not None and FIRST_YEAR <= int(found[1]) <= LAST_YEAR:
            continue  # only the first year counts; a second one is no title word either
        if found and FIRST_YEAR <= int(found[1]) <= LAST_YEAR:
            year = int(found[1])
            if not found[2]:
                years = (year, year)
                continue
            if year % 10 == 0:
                years = (year, year + 9)
                continue
        words.append(word)
    # Each word is one more term for every index to intersect; the first ones name a title already.
    norm = normalise(" ".join(words[:MAX_WORDS]))
    return Query(norm, years, article, _open_end(text, norm))


# A last letter typed alone folds one way, and the spelling it begins another (bot.catalogue.normalise):
# c → ts but ch stays; k stays but kh → h; y, j → i but yo, jo → e.
_OPEN_ENDS = {"c": ("ts", "ch"), "k": ("k", "h"), "y": ("i", "e"), "j": ("i", "e")}


def _open_end(text: str, norm: str) -> str | None:
    stripped = text.rstrip()
    ending = _OPEN_ENDS.get(stripped[-1:].lower())
    if ending is None or not norm.endswith(ending[0]) or _YEAR.search(stripped.rsplit(None, 1)[-1]):
        return None
    return norm[: len(norm) - len(ending[0])] + ending[1]


def classify(query: str, name: str) -> Match | None:
    """How well the normalised `name` answers the normalised `query` (None: not at all)."""
    if name == query:
        return Match.EXACT
    if name.startswith(query):
        return Match.PREFIX
    spaced = " " + name  # a query word begins a name word exactly when " word" is in " name"
    if all(" " + q in spaced for q in query.split()):
        return Match.WORD_PREFIX
    if query in name:
        return Match.SUBSTRING
    return None
