"""A moderator's film, as typed into /film add or /film edit, checked before anything is written.

Everything a moderator types becomes a shared catalogue fact that other members read in cards and
search results, so the rules are strict and every refusal names the option and says what is wanted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from anyascii import anyascii

from bot.catalogue.bundled import FIRST_YEAR, IMDB_ID
from bot.catalogue.normalise import ARTICLES, normalise
from bot.errors import UserError, quote
from bot.i18n import _, number
from bot.store.models import Film, FilmDraft
from bot.text import check_stored

MAX_TITLE = 200
MAX_SYNOPSIS = 2000
MAX_NAME = 100
MAX_NAMES = 30
MAX_RUNTIME = 24 * 60
MAX_KEY_SLUG = 60
CLEAR = "-"  # typed into /film edit to empty an optional field

_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class FilmInput:
    """What the moderator typed; None means "not given" (for an edit: leave as it is)."""

    title: str | None = None
    year: int | None = None
    original_title: str | None = None
    directors: str | None = None
    cast: str | None = None
    runtime: int | None = None
    countries: str | None = None
    genres: str | None = None
    synopsis: str | None = None
    imdb_id: str | None = None

    def given(self) -> dict[str, object]:
        return {name: value for name, value in self.__dict__.items() if value is not None}


def last_year() -> int:
    return date.today().year + 1


def text(value: str, option: str, limit: int) -> str:
    """One line of text: control and invisible characters refused, spaces collapsed, letters required."""
    check_stored(value, f"`{option}`")
    cleaned = " ".join(value.split())
    if not cleaned:
        raise UserError(_("`{option}` is empty.").format(option=option))
    if len(cleaned) > limit:
        raise UserError(
            _("`{option}` is {length} characters long; at most {limit} fit.").format(
                option=option, length=number(len(cleaned)), limit=number(limit)
            )
        )
    if not _LETTER.search(cleaned):
        raise UserError(_("`{option}` has no letters: {text}.").format(option=option, text=quote(cleaned)))
    return cleaned


def names(value: str, option: str) -> tuple[str, ...]:
    """Comma-separated names, each checked as `text`; duplicates dropped, order kept."""
    if len(value) > MAX_NAMES * (MAX_NAME + 2):
        raise UserError(
            _("`{option}` is too long: at most {names} names of up to {length} characters.").format(
                option=option, names=MAX_NAMES, length=MAX_NAME
            )
        )
    parts = [part for part in value.split(",") if part.strip()]
    if not parts:
        raise UserError(_("`{option}` is empty; separate names with commas.").format(option=option))
    if len(parts) > MAX_NAMES:
        raise UserError(
            _("`{option}` has {count} names; at most {limit} fit.").format(
                option=option, count=len(parts), limit=MAX_NAMES
            )
        )
    return tuple(dict.fromkeys(text(part, option, MAX_NAME) for part in parts))


def year(value: int, option: str = "year") -> int:
    if not FIRST_YEAR <= value <= last_year():
        raise UserError(
            _("`{option}` must be between {first} and {last}.").format(
                option=option, first=FIRST_YEAR, last=last_year()
            )
        )
    return value


def runtime(value: int) -> int:
    if not 1 <= value <= MAX_RUNTIME:
        raise UserError(_("`runtime` is in minutes, from 1 to {limit}.").format(limit=MAX_RUNTIME))
    return value


def imdb_id(value: str) -> int:
    match = IMDB_ID.match(value.strip().lower())
    if not match:
        raise UserError(
            _("`imdb_id` must be tt followed by 7 to 9 digits, like tt0050634; got {value}.").format(
                value=quote(value, 30)
            )
        )
    return int(match.group(1))


def slug(title: str) -> str:
    """The readable part of a moderator film's key: the title transliterated and hyphenated.

    Not `normalise`: its spelling folds (y → i) are for matching and would make keys read oddly.
    """
    words = re.sub(r"[^a-z0-9]+", " ", anyascii(unicodedata.normalize("NFKC", title)).lower()).split()
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    words = words or ["film"]
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > MAX_KEY_SLUG:
            break
        out = candidate
    return out or words[0][:MAX_KEY_SLUG]


def moderator_key(title: str, film_year: int, taken: set[str]) -> str:
    """`m-<slug>-<year>`, with -2, -3, … when that key is already in `taken`.

    `taken` holds retired keys too (FilmRepository.keys_starting): a removed film's key is never
    given to a new film, so nothing that named the old one (an audit entry, a link) means the new one.
    """
    base = f"m-{slug(title)}-{film_year}"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


def _optional_text(value: str, option: str, limit: int) -> str | None:
    return None if value.strip() == CLEAR else text(value, option, limit)


def _optional_names(value: str, option: str) -> tuple[str, ...]:
    return () if value.strip() == CLEAR else names(value, option)


def _checked(given: FilmInput, editing: bool) -> dict[str, object]:
    """The given fields, validated, under FilmDraft's field names."""
    out: dict[str, object] = {}
    if given.title is not None:
        out["title"] = text(given.title, "title", MAX_TITLE)
        if not normalise(out["title"]):
            raise UserError(_("`title` needs letters or digits that search can find."))
    if given.year is not None:
        out["year"] = year(given.year)
    if given.original_title is not None:
        out["original_title"] = _optional_text(given.original_title, "original_title", MAX_TITLE)
    if given.synopsis is not None:
        out["synopsis"] = _optional_text(given.synopsis, "synopsis", MAX_SYNOPSIS)
    for option in ("directors", "cast", "countries", "genres"):
        value = getattr(given, option)
        if value is not None:
            out[option] = _optional_names(value, option)
    if given.runtime is not None:
        out["runtime"] = None if editing and given.runtime == 0 else runtime(given.runtime)
    if given.imdb_id is not None:
        out["imdb_id"] = None if given.imdb_id.strip() == CLEAR else imdb_id(given.imdb_id)
    return out


def new_film(given: FilmInput, added_by: int, taken_keys: set[str]) -> FilmDraft:
    """The draft /film add writes; `taken_keys` are keys already used near the one it would get."""
    if given.title is None or given.year is None:
        raise UserError(_("A film needs at least a title and a year."))
    fields = _checked(given, editing=False)
    key = moderator_key(fields["title"], fields["year"], taken_keys)
    return FilmDraft(key=key, source="moderator", added_by=added_by, **fields)


def edited(film: Film, given: FilmInput) -> FilmDraft:
    """`film` with the given fields changed; the key stays, so lists and ratings keep pointing at it."""
    if not given.given():
        raise UserError(_("Give at least one field to change."))
    return replace(film.draft(), **_checked(given, editing=True))


def facts(draft: FilmDraft) -> dict[str, object]:
    """A film's facts for the audit trail, empty fields left out."""
    out = {
        "title": draft.title, "year": draft.year, "original_title": draft.original_title,
        "directors": list(draft.directors), "cast": list(draft.cast), "runtime": draft.runtime,
        "countries": list(draft.countries), "genres": list(draft.genres), "synopsis": draft.synopsis,
        "imdb_id": None if draft.imdb_id is None else f"tt{draft.imdb_id:07d}",
    }
    return {name: value for name, value in out.items() if value not in (None, [])}
