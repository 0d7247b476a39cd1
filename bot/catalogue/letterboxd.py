"""A member's Letterboxd export read into one entry per film: ratings.csv / diary.csv (alone or in
the export .zip), or a file in Letterboxd's import format (kinoclub's own export among them).
Matching is bot.catalogue.letterboxd_match; writing ratings in and out, letterboxd_ratings.

A file is checked whole before anything is written; a problem is reported as "file:line: problem".
Letterboxd rates 0.5–5 stars; kinoclub stores 1–10, so a score is stars × 2 (Rating10 as it is).
In an export, ratings.csv's "Letterboxd URI" is the film's link and is kept with the rating;
diary.csv's links name one viewing, not the film, so they are not.

A file is a member's upload, read in a worker thread (`read_export` is pure CPU work) with every
limit checked before the work it bounds: the attachment's size, the zip's member count and the
sizes its directory declares (and the bytes actually inflated, as a zip may lie), rows, and the
length of every cell read. A bad value is described by its column and line, never echoed whole.
Cells that start as a formula would are written with a leading ' (bot.catalogue.spreadsheet); the
reader takes it off again, so kinoclub's own export reads back to the values it was made from.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from bot.catalogue.list_files import clip
from bot.catalogue.normalise import normalise
from bot.catalogue.spreadsheet import plain_cell
from bot.errors import UserError
from bot.i18n import _, number

MAX_FILE_BYTES = 5 * 1024 * 1024  # the attachment as Discord hands it over
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # CSV text read out of a zip, all files together
MAX_ROWS = 20_000
MAX_MEMBERS = 10_000  # files in the zip: an export holds a few dozen, one per list among them
_CHUNK = 1024 * 1024  # bytes inflated at a time
MAX_CELL = 500  # characters in any cell kinoclub reads; the longest film titles are under 300
REQUIRED = ("Date", "Name", "Year", "Letterboxd URI", "Rating")
WATCHED = "Watched Date"
ROOT_FILES = ("ratings.csv", "diary.csv")
# Letterboxd's import format, in its documented order. Rating (0.5–5 stars) is left out of what
# kinoclub writes because Rating10 says the same exactly; both are read.
IMPORT_COLUMNS = (
    "LetterboxdURI",
    "tmdbID",
    "imdbID",
    "Title",
    "Year",
    "Directors",
    "Rating10",
    "WatchedDate",
    "Rewatch",
    "Tags",
    "Review",
)
_IDENTIFYING = ("LetterboxdURI", "tmdbID", "imdbID", "Title")  # the importer needs one of these
_YEAR = re.compile(r"\d{4}")
_IMDB = re.compile(r"tt0*(\d{1,10})", re.IGNORECASE)
_MESSAGE = 1500


@dataclass(frozen=True, slots=True)  # a file makes up to 20,000: no __dict__ each
class Entry:
    """One film as the export gives it, rewatches merged; `score` is on the 1–10 scale, None if unrated."""

    name: str
    year: int | None
    uri: str
    stars: str  # the Rating cell as written, for unmatched.csv
    score: int | None
    rated_on: str | None  # the row's Date: when the member last rated or logged it on Letterboxd
    watched_on: str | None
    link: str | None = None  # the Letterboxd film's link, when the row names the film (not a viewing)
    imdb_id: int | None = None
    # Derived once, when the entry is made (in the reading thread), not on every use.
    key: tuple[str, int | None, str, int] = field(init=False, repr=False, compare=False)
    norm: str = field(init=False, repr=False, compare=False)  # the name as the catalogue's index writes it

    def __post_init__(self) -> None:
        # One Letterboxd film: Letterboxd writes a film's name the same in every row, and a link is its own.
        object.__setattr__(self, "key", (self.name, self.year, self.link or "", self.imdb_id or 0))
        object.__setattr__(self, "norm", normalise(self.name))


# ----------------------------------------------------------------- reading


def _safe_name(filename: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", filename[:200])[:40] or "file"


def check_size(size: int, filename: str) -> None:
    """Refuse an attachment too big to be an export, before anyone downloads it."""
    if size > MAX_FILE_BYTES:
        said = _("{file} is {size} MB; a Letterboxd file can be at most {limit} MB.")
        mb = number(size / 1024 / 1024, 1)
        raise UserError(said.format(file=_safe_name(filename), size=mb, limit=MAX_FILE_BYTES // 1024 // 1024))


def read_export(data: bytes, filename: str) -> list[Entry]:
    """Every film in the file (or the zip's root ratings.csv and diary.csv), one entry per film."""
    check_size(len(data), filename)
    lower = filename.lower()
    if lower.endswith(".zip") or data[:4] == b"PK\x03\x04":
        files = _unpack(data, _safe_name(filename))
        ratings = _read_csv(files["ratings.csv"], "ratings.csv", diary=False) if "ratings.csv" in files else None
        diary = _read_csv(files["diary.csv"], "diary.csv", diary=True) if "diary.csv" in files else None
        if len(ratings or ()) + len(diary or ()) > MAX_ROWS:
            said = _("That export has more than {limit} rows; kinoclub imports at most that many.")
            raise UserError(said.format(limit=number(MAX_ROWS)))
    elif lower.endswith(".csv"):
        name = _safe_name(filename)
        reader = _reader(data)
        with _reading(reader, name):
            header = [cell.strip() for cell in next(reader, [])]
        if "Name" not in header and any(column.lower() in _lower(header) for column in _IDENTIFYING):
            return _read_import(data, name)
        is_diary = WATCHED in header
        rows = _read_csv(data, name, diary=is_diary)
        ratings, diary = (None, rows) if is_diary else (rows, None)
    else:
        raise UserError(_("Attach ratings.csv, diary.csv or the whole Letterboxd export .zip."))
    return merge(ratings, diary)


def _too_many_rows(name: str) -> str:
    said = _("{file} has more than {limit} rows; kinoclub imports at most that many.")
    return said.format(file=name, limit=number(MAX_ROWS))


def _unpack(data: bytes, name: str) -> dict[str, bytes]:
    """The root-level ratings.csv and diary.csv; folders such as deleted/ and orphaned/ are not the member's."""
    found: dict[str, bytes] = {}
    budget = MAX_UNPACKED_BYTES
    said = _("{file} unpacks to more than {limit} MB of CSV; that is not a Letterboxd export kinoclub can read.")
    too_big = UserError(said.format(file=name, limit=MAX_UNPACKED_BYTES // 1024 // 1024))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                said = _(
                    "{file} holds {count} files; a Letterboxd export holds far fewer than {limit}. "
                    "Attach the export as Letterboxd wrote it."
                )
                raise UserError(said.format(file=name, count=number(len(members)), limit=number(MAX_MEMBERS)))
            wanted = [info for info in members if not info.is_dir() and info.filename in ROOT_FILES]
            for file in ROOT_FILES:
                if sum(1 for info in wanted if info.filename == file) > 1:
                    said = _("{file} holds {member} twice; attach the export as Letterboxd wrote it.")
                    raise UserError(said.format(file=name, member=file))
            # The directory's sizes, all together, before inflating anything.
            if sum(info.file_size for info in wanted) > budget:
                raise too_big
            for info in wanted:
                # The directory can lie: inflate no more than the budget allows, whatever it says.
                chunks = []
                with archive.open(info) as member:
                    # In chunks: one read of it all grows one bytes object, copying it over and over.
                    while chunk := member.read(_CHUNK):
                        budget -= len(chunk)
                        if budget < 0:
                            raise too_big
                        chunks.append(chunk)
                found[info.filename] = b"".join(chunks)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError):
        said = _("{file} is not a zip file kinoclub can open; attach the export as Letterboxd wrote it.")
        raise UserError(said.format(file=name)) from None
    if not found:
        said = _("{file} holds no ratings.csv or diary.csv at its top level; is it a Letterboxd export?")
        raise UserError(said.format(file=name))
    return found


def _reader(data: bytes) -> Iterator[list[str]]:
    # Decoded as it is read, a few KB at a time: decoding a 20 MB text in one call (or wrapping it
    # in a StringIO) holds the GIL, and so stalls the event loop, for a tenth of a second or more.
    return csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""))


@contextlib.contextmanager
def _reading(reader: Any, name: str) -> Iterator[None]:
    """The refusals of a file that is not CSV, or not UTF-8 (Excel and some editors add a BOM: fine)."""
    try:
        yield
    except csv.Error:
        said = _("not valid CSV (a quote left open, or a cell far too long).")
        raise _at(f"{name}:{reader.line_num}", said) from None
    except UnicodeDecodeError:
        said = _("not UTF-8 text; attach the file as Letterboxd wrote it.")
        raise _at(f"{name}:{reader.line_num + 1}", said) from None


def _read_csv(data: bytes, name: str, *, diary: bool) -> list[Entry]:
    reader = _reader(data)
    rows: list[Entry] = []
    with _reading(reader, name):
        header = [cell.strip() for cell in next(reader, [])]
        needed = (*REQUIRED, WATCHED) if diary else REQUIRED
        missing = [column for column in needed if column not in header]
        if missing:
            raise UserError(
                clip(
                    f"{name}:1: " + _missing_columns(missing, needed, diary),
                    _MESSAGE,
                )
            )
        at = {column: header.index(column) for column in needed}
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            rows.append(_entry(cells, at, f"{name}:{reader.line_num}", diary))
            if len(rows) > MAX_ROWS:
                raise UserError(_too_many_rows(name))
    return rows


def _missing_columns(missing: list[str], needed: tuple[str, ...], diary: bool) -> str:
    columns, expected = ", ".join(missing), ",".join(needed)
    said = _("missing column {columns}") if len(missing) == 1 else _("missing columns {columns}")
    kind = _("expected a Letterboxd diary file ({columns})")
    if not diary:
        kind = _("expected a Letterboxd ratings file ({columns})")
    return said.format(columns=columns) + "; " + kind.format(columns=expected) + "."


def _at(where: str, problem: str) -> UserError:
    """A refusal naming the file and line: "ratings.csv:12: Name is empty."."""
    return UserError(f"{where}: {problem}")


def _shown(text: str) -> str:
    """A bad cell in a refusal: its first 20 characters, escaped, so the message stays short."""
    return repr(text[:20])


def _cell(text: str, column: str, where: str) -> str:
    """A cell kinoclub reads: at most MAX_CELL characters, whitespace collapsed, as it was before export."""
    if len(text) > MAX_CELL:
        said = _("{column} is {length} characters; kinoclub reads at most {limit}.")
        raise _at(where, said.format(column=column, length=number(len(text)), limit=MAX_CELL))
    return plain_cell(" ".join(text.split()))


def _entry(cells: list[str], at: dict[str, int], where: str, diary: bool) -> Entry:
    if len(cells) <= max(at.values()):
        said = _("{count} columns, expected at least {least}.")
        raise _at(where, said.format(count=len(cells), least=max(at.values()) + 1))
    read = {column: _cell(cells[index], column, where) for column, index in at.items()}
    name = read["Name"]
    if not name:
        raise _at(where, _("Name is empty."))
    year_text = read["Year"]
    if year_text and not (_YEAR.fullmatch(year_text) and 1870 <= int(year_text) <= 2200):
        raise _at(where, _("Year {value} is not a year.").format(value=_shown(year_text)))
    stars = read["Rating"]
    return Entry(
        name=name,
        year=int(year_text) if year_text else None,
        uri=read["Letterboxd URI"],
        stars=stars,
        score=_score(stars, where) if stars else None,
        rated_on=_date(read["Date"], "Date", where),
        watched_on=_date(read[WATCHED], WATCHED, where) if diary else None,
        link=None if diary else read["Letterboxd URI"] or None,
    )


def _lower(header: list[str]) -> list[str]:
    return [column.lower() for column in header]


def _read_import(data: bytes, name: str) -> list[Entry]:
    """A file in Letterboxd's import format (any subset of its columns, in any order, names in any
    case, as its importer reads them). Rows of one film are viewings: the latest gives the watched
    date, the latest with a rating the score."""
    reader = _reader(data)
    latest: dict[tuple, Entry] = {}
    rated: dict[tuple, Entry] = {}
    with _reading(reader, name):
        header = _lower([cell.strip() for cell in next(reader, [])])
        at = {
            column: header.index(column.lower()) for column in (*IMPORT_COLUMNS, "Rating") if column.lower() in header
        }
        if "Rating10" not in at and "Rating" not in at:
            said = _("missing column Rating10 or Rating; expected Letterboxd's import format ({columns}).")
            raise _at(f"{name}:1", said.format(columns=",".join(IMPORT_COLUMNS)))
        rows = 0
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            rows += 1
            if rows > MAX_ROWS:
                raise UserError(_too_many_rows(name))
            entry = _import_entry(cells, at, f"{name}:{reader.line_num}")
            for seen in (latest, rated) if entry.score is not None else (latest,):
                best = seen.get(entry.key)
                if best is None or (entry.watched_on or "") >= (best.watched_on or ""):
                    seen[entry.key] = entry
    return [_with(rated[key], watched_on=entry.watched_on) if key in rated else entry for key, entry in latest.items()]


def _import_entry(cells: list[str], at: dict[str, int], where: str) -> Entry:
    def cell(column: str) -> str:
        index = at.get(column)
        return _cell(cells[index], column, where) if index is not None and index < len(cells) else ""

    if not any(cell(column) for column in _IDENTIFYING):
        said = _("no {columns}; Letterboxd needs one of them to find the film.")
        raise _at(where, said.format(columns=", ".join(_IDENTIFYING)))
    year_text, imdb_text = cell("Year"), cell("imdbID")
    if year_text and not (_YEAR.fullmatch(year_text) and 1870 <= int(year_text) <= 2200):
        raise _at(where, _("Year {value} is not a year.").format(value=_shown(year_text)))
    imdb = _IMDB.fullmatch(imdb_text)
    if imdb_text and imdb is None:
        raise _at(where, _("imdbID {value} is not an IMDb id (tt0050634).").format(value=_shown(imdb_text)))
    ten, stars = cell("Rating10"), cell("Rating")
    if ten and not (ten.isascii() and ten.isdigit() and 1 <= int(ten) <= 10):
        raise _at(where, _("Rating10 {value} is not a whole number 1–10.").format(value=_shown(ten)))
    score = int(ten) if ten else _score(stars, where) if stars else None
    return Entry(
        name=cell("Title"),
        year=int(year_text) if year_text else None,
        uri=cell("LetterboxdURI"),
        stars=stars or (f"{int(ten) / 2:g}" if ten else ""),
        score=score,
        rated_on=None,  # the format has no rating date: a different score here is kept unless overwrite
        watched_on=_date(cell("WatchedDate"), "WatchedDate", where),
        link=cell("LetterboxdURI") or None,
        imdb_id=int(imdb.group(1)) if imdb else None,
    )


def _score(stars: str, where: str) -> int:
    try:
        value = float(stars)
    except ValueError:
        value = -1.0
    if not (0.5 <= value <= 5 and (value * 2).is_integer()):
        raise _at(where, _("Rating {value} is not 0.5–5 stars in half stars.").format(value=_shown(stars)))
    return int(value * 2)


def _date(text: str, column: str, where: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        said = _("{column} {value} is not a date (YYYY-MM-DD).")
        raise _at(where, said.format(column=column, value=_shown(text))) from None


def merge(ratings: list[Entry] | None, diary: list[Entry] | None) -> list[Entry]:
    """One entry per film. ratings.csv holds the member's current ratings when present; the diary's
    latest viewing (by Watched Date, else Date) gives the watched date, and the score when alone.

    A diary row belongs to the ratings.csv film of its exact name and year; when two films there
    share both (two links), which one it logs is unknown, so neither takes its date."""
    watched: dict[tuple, str] = {}
    latest_diary: dict[tuple, Entry] = {}
    latest_rated: dict[tuple, Entry] = {}
    for entry in diary or ():
        named = entry.name, entry.year
        when = _when(entry)
        if when and when >= watched.get(named, ""):
            watched[named] = when
        # `>=`: on the same day the later line is the later viewing, as the diary lists them in order.
        if named not in latest_diary or when >= _when(latest_diary[named]):
            latest_diary[named] = entry
        if entry.score is not None and (named not in latest_rated or when >= _when(latest_rated[named])):
            latest_rated[named] = entry
    if ratings is None:
        chosen = [latest_rated.get(named, entry) for named, entry in latest_diary.items()]
        return [_with(entry, watched_on=watched.get((entry.name, entry.year))) for entry in chosen]
    current: dict[tuple, Entry] = {}
    for entry in ratings:
        best = current.get(entry.key)
        if best is None or (entry.rated_on or "") >= (best.rated_on or ""):
            current[entry.key] = entry
    films_named: dict[tuple, int] = {}
    for entry in current.values():
        films_named[entry.name, entry.year] = films_named.get((entry.name, entry.year), 0) + 1
    # A diary film missing from ratings.csv has no rating now: the member cleared it.
    cleared = [_with(entry, score=None, stars="") for named, entry in latest_diary.items() if named not in films_named]
    return [
        _with(entry, watched_on=watched.get((entry.name, entry.year)))
        if films_named[entry.name, entry.year] == 1
        else entry
        for entry in current.values()
    ] + [_with(entry, watched_on=watched.get((entry.name, entry.year))) for entry in cleared]


def _when(entry: Entry) -> str:
    return entry.watched_on or entry.rated_on or ""


def _with(entry: Entry, **changes) -> Entry:
    # A file makes tens of thousands of entries: one that changes nothing is not copied.
    if all(getattr(entry, name) == value for name, value in changes.items()):
        return entry
    if changes.keys() & {"name", "year", "link", "imdb_id"}:
        return replace(entry, **changes)
    # What key and norm are made of is unchanged: they are copied, not derived again.
    copy = object.__new__(Entry)
    for name in Entry.__dataclass_fields__:
        object.__setattr__(copy, name, changes.get(name, getattr(entry, name)))
    return copy
