"""One normalisation for every title, name and query, used at index time and at query time alike.

"Летят журавли", "Letyat zhuravli" and "letiat zhuravli" all become "letiat zhuravli": case folded,
accents stripped, every script transliterated to Latin (anyascii), punctuation to spaces, a leading
English article dropped, and the spellings on which romanisations of Russian disagree folded
together (y/i, kh/h, doubled i). The folded form is only ever compared, never shown.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

ARTICLES = frozenset({"the", "a", "an"})
_APOSTROPHES = re.compile(r"['`\u2019\u02bc\u02b9]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DOUBLE_I = re.compile(r"i{2,}")


def fold_word(word: str) -> str:
    """Fold one Latin word so that the usual romanisations of a Russian word meet."""
    word = word.replace("kh", "h").replace("y", "i")
    return _DOUBLE_I.sub("i", word)


def words(text: str) -> list[str]:
    """The folded words of `text`, articles kept."""
    text = anyascii(unicodedata.normalize("NFKC", text)).lower()
    text = _APOSTROPHES.sub("", text)
    return [fold_word(word) for word in _NOT_WORD.sub(" ", text).split()]


def normalise(text: str) -> str:
    """The search key of `text`; empty when it has no letters or digits."""
    found = words(text)
    if len(found) > 1 and found[0] in ARTICLES:
        found = found[1:]
    return " ".join(found)
