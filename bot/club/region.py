"""The server's region: the country whose streaming, rental and purchase offers cards show (TMDB's
watch providers, JustWatch data, are per country). Unset until a moderator chooses one with
/club region: guessing from a language would show Russian offers to a Russian-speaking club in Berlin."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError

from bot import i18n

if TYPE_CHECKING:
    from bot.store import Store

SETTING = "region"  # guild setting

# In CLDR's territory list but not ISO 3166-1 alpha-2 countries: reserved codes (Ascension, Clipperton,
# Canary Islands …), groupings (EU, the eurozone, the UN, outlying Oceania), pseudo-locales, Kosovo's
# user-assigned XK and the unknown region.
_NOT_ISO = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"})


@cache
def codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code, from Babel's copy of CLDR."""
    return frozenset(
        code for code in Locale("en").territories if len(code) == 2 and code.isalpha() and code not in _NOT_ISO
    )


def normalise(code: str) -> str | None:
    """The code as ISO writes it ("ru" → "RU"), or None when no country has it."""
    code = code.strip().upper()
    return code if code in codes() else None


def name(code: str, language: str | None = None) -> str:
    """The country's name in `language` (the reader's by default): "Россия", "Germany"."""
    return _names(language or i18n.current()).get(code, code)


@cache
def _names(language: str) -> dict[str, str]:
    # Autocomplete looks every country up on each keystroke: one table per language, built once.
    try:
        locale = Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        locale = Locale("en")
    english = Locale("en").territories
    return {code: locale.territories.get(code) or english[code] for code in codes()}


def suggest(typed: str, limit: int) -> list[tuple[str, str]]:
    """(code, name in the reader's language) of the countries whose code or name (theirs or the English)
    holds what was typed, the exact code first, then by name."""
    wanted = typed.strip().casefold()
    found = [
        (code, name(code))
        for code in sorted(codes(), key=name)
        if not wanted or wanted == code.casefold() or wanted in name(code).casefold()
        or wanted in name(code, "en").casefold()
    ]
    exact = [hit for hit in found if hit[0].casefold() == wanted]
    return (exact + [hit for hit in found if hit not in exact])[:limit]


async def server_region(store: Store, guild_id: int | None) -> str | None:
    """The region a moderator chose, or None: cards then show no offers."""
    if guild_id is None:
        return None
    chosen = await store.settings.get(guild_id, SETTING)
    return chosen if isinstance(chosen, str) and chosen in codes() else None


async def choose(store: Store, guild_id: int, moderator_id: int, code: str | None) -> str | None:
    """Set the server's region (None: clear it); the one it had before, for the reply."""
    before = await server_region(store, guild_id)
    async with store.transaction() as tx:
        if code is None:
            await store.settings.clear(tx, guild_id, SETTING)
        else:
            await store.settings.put(tx, guild_id, SETTING, code)
        await store.audit.record(tx, guild_id, moderator_id, "club.region", "server region", before, code)
    return before
