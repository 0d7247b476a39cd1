"""What the bot says, in the reader's language: gettext catalogs managed with Babel.

The catalogs are `bot/locale/<language>/LC_MESSAGES/kinoclub.po`, read and compiled in memory at
first use (no build step, no .mo files to forget). The language in force is a context variable: an
interaction sets the member's language as it starts (discord.py runs each one in its own task), and
a public post wraps its rendering in `speaking(server_language)`. Code that renders text never
takes a language argument, so no caller can forget one.

Marking: `_("…")` translates now; `N_("…")` only marks a constant for extraction, translated with
`_()` where it is shown (`NC_(context, "…")` likewise, for `pgettext`); `counted(n, "{n} film",
"{n} films")` picks the plural form of the language (CLDR: 1 фильм, 2 фильма, 5 фильмов) and formats
the number with its separators. Placeholders are named (`{title}`), so a translation may move them.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

DOMAIN = "kinoclub"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ENGLISH = "en"


def _languages() -> dict[str, str]:
    """English (the source text) and every language with a catalog, each named in itself: a new
    language is a folder of .po files, no code."""
    found = {"en": "English"}
    for folder in sorted(LOCALE_DIR.glob("*/LC_MESSAGES")):
        code = folder.parent.name
        if (folder / f"{DOMAIN}.po").is_file():
            found[code] = Locale.parse(code).get_display_name(code).capitalize()
    return found


LANGUAGES = _languages()

_language: ContextVar[str] = ContextVar("kinoclub_language", default=ENGLISH)


def language_of(locale: str | None) -> str:
    """The supported language for a Discord locale code ("ru", "en-US", "uk"): English unless we speak it."""
    code = (locale or "").split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else ENGLISH


def current() -> str:
    return _language.get()


def use(language: str) -> None:
    """Speak `language` for the rest of this task (an interaction's own task)."""
    _language.set(language_of(language))


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak `language` inside the block: a public post in the server's language."""
    token = _language.set(language_of(language))
    try:
        yield
    finally:
        _language.reset(token)


@cache
def catalog(language: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The compiled catalog of `language`; English is the source text itself."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"
    if language == ENGLISH or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as file:
        parsed = read_po(file, locale=language, domain=domain)
    compiled = io.BytesIO()
    write_mo(compiled, parsed, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    return catalog(current()).gettext(message)


def N_(message: str) -> str:
    """Marks `message` for the catalog without translating it (a constant, translated where shown)."""
    return message


def NC_(context: str, message: str) -> str:
    """Marks `message` in `context` for the catalog without translating it; `pgettext` shows it."""
    return message


def pgettext(context: str, message: str) -> str:
    """`message` in a context, for a word whose translation depends on where it stands."""
    return catalog(current()).pgettext(context, message)


def counted(count: int, one: str, many: str) -> str:
    """`count` with its noun in the form that count takes, the number written the reader's way:
    `counted(n, "{n} film", "{n} films")` → "1 film", "2 films", "1,204 films"; "2 фильма", "5 фильмов"."""
    return catalog(current()).ngettext(one, many, count).format(n=number(count))


def number(value: float, digits: int = 0) -> str:
    """A number with the reader's separators: 1,204.5 in English, 1 204,5 in Russian."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=current())


def date_time(moment: datetime, style: str = "full") -> str:
    """A date and time in the reader's language, where Discord's timestamp markup cannot be used
    (thread names, event descriptions, files, the playground): "Friday, 2 January 2026 at 20:00"."""
    if style == "full":
        return format_datetime(moment, "EEEE, d MMMM y HH:mm", tzinfo=moment.tzinfo, locale=current())
    return format_datetime(moment, style, tzinfo=moment.tzinfo, locale=current())


def localised(texts: Mapping[str, str], default: str) -> str:
    """A stored text in the reader's language when there is one (a synopsis, a curator's note)."""
    return texts.get(current()) or default
