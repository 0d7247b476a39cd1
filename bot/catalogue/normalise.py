"""One normalisation for every title, name and query, used at index time and at query time alike.

"Летят журавли", "Letyat zhuravli", "Letjat žuravli" and "letiat zhuravli" all become
"letiat zhuravli": case folded, symbols and emoji dropped, accents stripped, every script
transliterated to Latin (anyascii), punctuation to spaces, leading English articles dropped, and the
spellings on which the romanisations of Russian (passport/ICAO, BGN/PCGN, scholarly, Czech-style)
disagree folded into one canonical Latin form:

    я  ya ja ia â  → ia        ц  ts c    → ts       х  kh h x     → h
    ю  yu ju iu    → iu        ч  ch č ĉ  → ch       ш  sh š       → sh
    ё  yo jo e ë   → e         ж  zh ž    → zh       щ  shch šč ŝ  → shch
    е  e ye je     → e (word-initially and after a vowel)
    й ы  y j i     → i         ь ъ  ' " ʹ ʺ or nothing → nothing

English words fold by the same rules ("circus" → "tsirtsus") on both sides, so they still meet
themselves; c is expanded to ts rather than ts contracted to c so that a prefix or a piece of an
English word still folds to a prefix or a piece of its folded form. The folded form is only ever
compared, never shown. It is idempotent: normalise(normalise(x)) == normalise(x).
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

# Stored norms (film_titles, film_credits) were made by the normaliser of this version; bump it
# whenever normalise() changes its output, and the catalogue is re-normalised at start-up.
VERSION = 2

ARTICLES = frozenset({"the", "a", "an"})
# Latin letters of the scholarly, ISO 9 and Czech-style romanisations whose plain-letter reading
# (what anyascii gives) would lose the Russian sound they stand for; signs vanish.
_ROMANISED = {
    "č": "ch", "Č": "Ch", "ĉ": "ch", "Ĉ": "Ch",
    "š": "sh", "Š": "Sh", "ŝ": "shch", "Ŝ": "Shch",
    "ž": "zh", "Ž": "Zh", "â": "ya", "Â": "Ya",
    "'": None, "`": None, '"': None, "\u2019": None, "\u02bc": None,
    "\u02b9": None, "\u02ba": None, "\u2032": None, "\u2033": None,
}
# Dropped before transliterating: anyascii spells symbols and emoji as words (🐀 → ":rat:", € → "EUR").
_DROPPED_CATEGORIES = frozenset({"So", "Sk", "Sm", "Sc", "Cs", "Co", "Cn"})


class _Table(dict):
    """str.translate's table: the romanised letters above, symbols to nothing, the rest as they are
    (each character's Unicode category looked up once, then remembered)."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        self[code] = None if unicodedata.category(char) in _DROPPED_CATEGORIES else char
        return self[code]


_SYMBOLS = _Table()
_TABLE = _Table({ord(char): out for char, out in _ROMANISED.items()})
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DOUBLE_I = re.compile(r"i{2,}")
_IE = re.compile(r"(?:(?<=[aeou])|(?<![a-z0-9]))ie")


def fold_word(word: str) -> str:
    """Fold lower-case ASCII letters so that the usual romanisations of a Russian word meet.

    Each step is guarded by a substring test: most words need few of them, and `in` is cheap."""
    if "o" in word:
        word = word.replace("yo", "e").replace("jo", "e")
    if "x" in word:
        word = word.replace("x", "h")
    while "kh" in word:
        word = word.replace("kh", "h")
    if "c" in word:
        word = word.replace("ch", "\0").replace("c", "ts").replace("\0", "ch")
    word = word.replace("y", "i").replace("j", "i")
    if "ii" in word:
        word = _DOUBLE_I.sub("i", word)
    if "ie" in word:
        word = _IE.sub("e", word)
    return word


def normalise(text: str) -> str:
    """The search key of `text`; empty when it has no letters or digits.

    Folding the joined words at once gives what folding each word would (no fold spans a space)
    and is what the importer runs millions of times.
    """
    if not text.isascii():  # most titles are, and anyascii is a third of the cost
        # symbols go before NFKC too, which would spell some of them out (™ → TM); letters are
        # romanised after it, which composes the decomposed ones (c + ̌ → č)
        text = anyascii(unicodedata.normalize("NFKC", text.translate(_SYMBOLS)).translate(_TABLE))
    text = text.lower()
    if "'" in text or '"' in text or "`" in text:
        text = text.replace("'", "").replace('"', "").replace("`", "")
    text = fold_word(_NOT_WORD.sub(" ", text).strip())
    first, _, rest = text.partition(" ")
    while rest and first in ARTICLES:
        text = rest
        first, _, rest = text.partition(" ")
    return text
