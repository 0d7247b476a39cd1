"""Country and genre names as the catalogue keeps them (in English), shown in the reader's language.

A country CLDR knows is named from Babel's territory names ("Georgia" → "Грузия"); the countries
Soviet cinema is full of no longer exist, so CLDR has no code for them, and they are in the catalog
with IMDb's genres and the bundled lists' themes. Anything else (a moderator's own tag) is shown as
it was written.
"""

from __future__ import annotations

from functools import cache

from babel import Locale

from bot import i18n
from bot.i18n import NC_, pgettext

HISTORIC_COUNTRIES = (
    NC_("country", "Soviet Union"), NC_("country", "East Germany"), NC_("country", "West Germany"),
    NC_("country", "Czechoslovakia"), NC_("country", "Yugoslavia"),
)
GENRES = (  # IMDb's title.basics genres, then the bundled films' themes
    NC_("genre", "Action"), NC_("genre", "Adult"), NC_("genre", "Adventure"), NC_("genre", "Animation"),
    NC_("genre", "Biography"), NC_("genre", "Comedy"), NC_("genre", "Crime"), NC_("genre", "Documentary"),
    NC_("genre", "Drama"), NC_("genre", "Family"), NC_("genre", "Fantasy"), NC_("genre", "Film-Noir"),
    NC_("genre", "Game-Show"), NC_("genre", "History"), NC_("genre", "Horror"), NC_("genre", "Music"),
    NC_("genre", "Musical"), NC_("genre", "Mystery"), NC_("genre", "News"), NC_("genre", "Reality-TV"),
    NC_("genre", "Romance"), NC_("genre", "Sci-Fi"), NC_("genre", "Short"), NC_("genre", "Sport"),
    NC_("genre", "Talk-Show"), NC_("genre", "Thriller"), NC_("genre", "War"), NC_("genre", "Western"),
    NC_("genre", "Autobiographical"), NC_("genre", "Coming of age"), NC_("genre", "New Year"),
    NC_("genre", "Parenthood"), NC_("genre", "Silent"), NC_("genre", "World War II"),
)


@cache
def _codes() -> dict[str, str]:
    """CLDR's English country names → their ISO codes."""
    return {name: code for code, name in Locale("en").territories.items() if len(code) == 2 and code.isalpha()}


def country(name: str) -> str:
    code = _codes().get(name)
    if code is not None and i18n.current() != i18n.ENGLISH:
        return Locale.parse(i18n.current()).territories.get(code, name)
    return pgettext("country", name)


def genre(name: str) -> str:
    return pgettext("genre", name)


def stored_name(kind: str, typed: str) -> str:
    """What the catalogue stores for a country or genre a member typed in their own language
    ("СССР" → "Soviet Union", "драма" → "Drama"); anything else as typed."""
    if i18n.current() == i18n.ENGLISH:
        return typed
    wanted = typed.casefold()
    if kind == "country":
        for name, code in _codes().items():
            if Locale.parse(i18n.current()).territories.get(code, "").casefold() == wanted:
                return name
        names = HISTORIC_COUNTRIES
    else:
        names = GENRES
    return next((name for name in names if pgettext(kind, name).casefold() == wanted), typed)
