"""A film's title in the reader's language: what replies, posts, labels and cards call it.

For a Russian reader, its Cyrillic original title, else a Russian alternative title; for anyone else
the catalogue's (English) title. The core uses it for the films its refusals name, the UI for
everything it shows.
"""

from __future__ import annotations

from bot import i18n
from bot.store.models import Film, FilmLabel


def _cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def local_title(film: Film | FilmLabel) -> str:
    """The title the reader knows the film by: for a Russian reader its Cyrillic original, else a
    Russian alternative title, when the film has one; otherwise the catalogue's (English) title."""
    if i18n.current() == "ru":
        original = getattr(film, "original_title", None)
        if original and _cyrillic(original):
            return original
        for alias in getattr(film, "aliases", ()):
            # "ru-Latn" is a transliteration (Letyat zhuravli): no Russian reader's title.
            if (alias.language or "").lower() in ("ru", "ru-cyrl") and _cyrillic(alias.title):
                return alias.title
    return film.title


def other_titles(film: Film | FilmLabel) -> list[str]:
    """The original and the English title where they differ from `local_title`: shown beside it."""
    shown = local_title(film)
    others: list[str] = []
    for title in (getattr(film, "original_title", None), film.title):
        if title and title != shown and title not in others:
            others.append(title)
    return others
