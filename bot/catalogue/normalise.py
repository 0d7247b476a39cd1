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
_APOSTROPHES = str.maketrans("", "", "'`\u2019\u02bc\u02b9")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DOUBLE_I = re.compile(r"i{2,}")


def fold_word(word: str) -> str:
    """Fold Latin text so that the usual romanisations of a Russian word meet."""
    word = word.replace("kh", "h").replace("y", "i")
    return _DOUBLE_I.sub("i", word)


def normalise(text: str) -> str:
    """The search key of `text`; empty when it has no letters or digits.

    Folding the joined words at once gives what folding each word would (no fold spans a space)
    and is what the importer runs millions of times.
    """
    if not text.isascii():  # most titles are, and anyascii is a third of the cost
        text = anyascii(unicodedata.normalize("NFKC", text).translate(_APOSTROPHES))
    text = text.lower().replace("'", "").replace("`", "")
    text = fold_word(_NOT_WORD.sub(" ", text).strip())
    first, _, rest = text.partition(" ")
    return rest if rest and first in ARTICLES else text
