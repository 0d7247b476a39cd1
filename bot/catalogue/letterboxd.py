"""A member's Letterboxd export: read ratings.csv / diary.csv (alone or in the export .zip), match
the films to the catalogue by normalised title + year, and write ratings back in Letterboxd's format.

A file is checked whole before anything is written; a problem is reported as "file:line: problem".
Letterboxd rates 0.5–5 stars; kinoclub stores 1–10, so a score is stars × 2.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot import clock
from bot.catalogue.list_files import clip
from bot.catalogue.normalise import normalise
from bot.errors import UserError

if TYPE_CHECKING:
    from bot.store import Store
    from bot.store.models import Film, Rating

MAX_FILE_BYTES = 5 * 1024 * 1024  # the attachment as Discord hands it over
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # CSV text read out of a zip, all files together
MAX_ROWS = 20_000
REQUIRED = ("Date", "Name", "Year", "Letterboxd URI", "Rating")
WATCHED = "Watched Date"
ROOT_FILES = ("ratings.csv", "diary.csv")
_YEAR = re.compile(r"\d{4}")
_MESSAGE = 1500


@dataclass(frozen=True)
class Entry:
    """One film as the export gives it, rewatches merged; `score` is on the 1–10 scale, None if unrated."""

    name: str
    year: int | None
    uri: str
    stars: str  # the Rating cell as written, for unmatched.csv
    score: int | None
    rated_on: str | None  # the row's Date: when the member last rated or logged it on Letterboxd
    watched_on: str | None

    @property
    def key(self) -> tuple[str, int | None]:
        return normalise(self.name), self.year


@dataclass(frozen=True)
class _Row:
    line: int
    entry: Entry


@dataclass(frozen=True)
class ImportReport:
    changed: int  # ratings added or changed
    unchanged: int  # already the same score here
    kept_newer: int  # rated here more recently than on Letterboxd; kept
    unmatched: tuple[Entry, ...]
    unrated: int

    @property
    def matched(self) -> int:
        return self.changed + self.unchanged + self.kept_newer


# ----------------------------------------------------------------- reading


def _safe_name(filename: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", filename)[:40] or "file"


def check_size(size: int, filename: str) -> None:
    """Refuse an attachment too big to be an export, before anyone downloads it."""
    if size > MAX_FILE_BYTES:
        raise UserError(
            f"{_safe_name(filename)} is {size / 1024 / 1024:.1f} MB; a Letterboxd file can be at most "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB."
        )


def read_export(data: bytes, filename: str) -> list[Entry]:
    """Every film in the file (or the zip's root ratings.csv and diary.csv), one entry per film."""
    check_size(len(data), filename)
    lower = filename.lower()
    if lower.endswith(".zip") or data[:4] == b"PK\x03\x04":
        files = _unpack(data, _safe_name(filename))
        ratings = _read_csv(files["ratings.csv"], "ratings.csv", diary=False) if "ratings.csv" in files else None
        diary = _read_csv(files["diary.csv"], "diary.csv", diary=True) if "diary.csv" in files else None
        if len(ratings or ()) + len(diary or ()) > MAX_ROWS:
            raise UserError(f"That export has more than {MAX_ROWS:,} rows; kinoclub imports at most that many.")
    elif lower.endswith(".csv"):
        name = _safe_name(filename)
        text = _decode(data, name)
        header = next(csv.reader(io.StringIO(text)), [])
        is_diary = WATCHED in (cell.strip() for cell in header)
        rows = _read_csv(data, name, diary=is_diary)
        ratings, diary = (None, rows) if is_diary else (rows, None)
    else:
        raise UserError("Attach ratings.csv, diary.csv or the whole Letterboxd export .zip.")
    return merge(ratings, diary)


def _unpack(data: bytes, name: str) -> dict[str, bytes]:
    """The root-level ratings.csv and diary.csv; folders such as deleted/ and orphaned/ are not the member's."""
    found: dict[str, bytes] = {}
    budget = MAX_UNPACKED_BYTES
    too_big = UserError(
        f"{name} unpacks to more than {MAX_UNPACKED_BYTES // 1024 // 1024} MB of CSV; "
        "that is not a Letterboxd export kinoclub can read."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.is_dir() or info.filename not in ROOT_FILES:
                    continue
                if info.filename in found:
                    raise UserError(f"{name} holds {info.filename} twice; attach the export as Letterboxd wrote it.")
                if info.file_size > budget:
                    raise too_big
                # The header's size can lie: read no more than the budget allows, whatever it says.
                with archive.open(info) as member:
                    content = member.read(budget + 1)
                if len(content) > budget:
                    raise too_big
                budget -= len(content)
                found[info.filename] = content
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError):
        raise UserError(f"{name} is not a zip file kinoclub can open; attach the export as Letterboxd wrote it.") \
            from None
    if not found:
        raise UserError(f"{name} holds no ratings.csv or diary.csv at its top level; is it a Letterboxd export?")
    return found


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")  # Excel and some editors add a byte-order mark
    except UnicodeDecodeError:
        raise UserError(f"{name}:1: not UTF-8 text; attach the file as Letterboxd wrote it.") from None


def _read_csv(data: bytes, name: str, *, diary: bool) -> list[_Row]:
    text = _decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[_Row] = []
    try:
        header = [cell.strip() for cell in next(reader, [])]
        needed = (*REQUIRED, WATCHED) if diary else REQUIRED
        missing = [column for column in needed if column not in header]
        if missing:
            raise UserError(clip(
                f"{name}:1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                f"expected a Letterboxd {'diary' if diary else 'ratings'} file ({','.join(needed)}).",
                _MESSAGE,
            ))
        at = {column: header.index(column) for column in needed}
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            rows.append(_Row(reader.line_num, _entry(cells, at, f"{name}:{reader.line_num}", diary)))
            if len(rows) > MAX_ROWS:
                raise UserError(f"{name} has more than {MAX_ROWS:,} rows; kinoclub imports at most that many.")
    except csv.Error as exc:
        raise UserError(clip(f"{name}:{reader.line_num}: not valid CSV ({exc})", _MESSAGE)) from None
    return rows


def _entry(cells: list[str], at: dict[str, int], where: str, diary: bool) -> Entry:
    if len(cells) <= max(at.values()):
        raise UserError(f"{where}: {len(cells)} columns, expected at least {max(at.values()) + 1}.")
    name = " ".join(cells[at["Name"]].split())
    if not name:
        raise UserError(f"{where}: Name is empty.")
    year_text = cells[at["Year"]].strip()
    if year_text and not (_YEAR.fullmatch(year_text) and 1870 <= int(year_text) <= 2200):
        raise UserError(clip(f"{where}: Year {year_text[:20]!r} is not a year.", _MESSAGE))
    stars = cells[at["Rating"]].strip()
    return Entry(
        name=name,
        year=int(year_text) if year_text else None,
        uri=cells[at["Letterboxd URI"]].strip(),
        stars=stars,
        score=_score(stars, where) if stars else None,
        rated_on=_date(cells[at["Date"]], "Date", where),
        watched_on=_date(cells[at[WATCHED]], WATCHED, where) if diary else None,
    )


def _score(stars: str, where: str) -> int:
    try:
        value = float(stars)
    except ValueError:
        value = -1.0
    if not (0.5 <= value <= 5 and (value * 2).is_integer()):
        raise UserError(clip(f"{where}: Rating {stars[:20]!r} is not 0.5–5 stars in half stars.", _MESSAGE))
    return int(value * 2)


def _date(text: str, column: str, where: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise UserError(clip(f"{where}: {column} {text[:20]!r} is not a date (YYYY-MM-DD).", _MESSAGE)) from None


def merge(ratings: list[_Row] | None, diary: list[_Row] | None) -> list[Entry]:
    """One entry per film. ratings.csv holds the member's current ratings when present; the diary's
    latest viewing (by Watched Date, else Date) gives the watched date, and the score when alone."""
    watched: dict[tuple, str] = {}
    latest_diary: dict[tuple, Entry] = {}
    latest_rated: dict[tuple, Entry] = {}
    for row in diary or ():
        entry = row.entry
        when = _when(entry)
        if when and when >= watched.get(entry.key, ""):
            watched[entry.key] = when
        # `>=`: on the same day the later line is the later viewing, as the diary lists them in order.
        if entry.key not in latest_diary or when >= _when(latest_diary[entry.key]):
            latest_diary[entry.key] = entry
        if entry.score is not None and (entry.key not in latest_rated or when >= _when(latest_rated[entry.key])):
            latest_rated[entry.key] = entry
    if ratings is not None:
        current: dict[tuple, Entry] = {}
        for row in ratings:
            best = current.get(row.entry.key)
            if best is None or (row.entry.rated_on or "") >= (best.rated_on or ""):
                current[row.entry.key] = row.entry
        # A diary film missing from ratings.csv has no rating now: the member cleared it.
        for key, entry in latest_diary.items():
            current.setdefault(key, _with(entry, score=None, stars=""))
        chosen = current
    else:
        chosen = {key: latest_rated.get(key, entry) for key, entry in latest_diary.items()}
    return [_with(entry, watched_on=watched.get(key)) for key, entry in chosen.items()]


def _when(entry: Entry) -> str:
    return entry.watched_on or entry.rated_on or ""


def _with(entry: Entry, **changes) -> Entry:
    fields = {name: getattr(entry, name) for name in Entry.__dataclass_fields__} | changes
    return Entry(**fields)


# ---------------------------------------------------------------- matching


async def match(store: Store, entries: list[Entry]) -> dict[tuple, int]:
    """Film id per entry key, for the entries naming exactly one catalogue film of their year."""
    pairs = {entry.key for entry in entries if entry.year is not None and entry.key[0]}
    found = await store.imports.films_named(pairs)
    return {key: next(iter(ids)) for key, ids in found.items() if len(ids) == 1}


def _bot_is_newer(rating: Rating, entry: Entry) -> bool:
    # Letterboxd dates have no time of day: only a later day here beats the file.
    return entry.rated_on is None or rating.updated_at[:10] > entry.rated_on


async def import_ratings(
    store: Store, guild_id: int, user_id: int, entries: list[Entry], *, overwrite: bool = False
) -> ImportReport:
    """Write the matched, rated entries as one transaction; the same file twice changes nothing."""
    rated = [entry for entry in entries if entry.score is not None]
    films = await match(store, rated)
    unmatched = tuple(entry for entry in rated if entry.key not in films)
    by_film: dict[int, Entry] = {}
    for entry in rated:
        film_id = films.get(entry.key)
        # Two spellings of one film (title and alias): the later rating is the member's view.
        if film_id is None:
            continue
        if film_id not in by_film or (entry.rated_on or "") >= (by_film[film_id].rated_on or ""):
            by_film[film_id] = entry
    changed = unchanged = kept = 0
    now = clock.now_iso()
    async with store.transaction() as tx:
        current = await store.imports.ratings_of(tx, guild_id, user_id)
        for film_id, entry in by_film.items():
            rating = current.get(film_id)
            if rating is not None and rating.score == entry.score:
                unchanged += 1
                if entry.watched_on and (rating.watched_on or "") < entry.watched_on:
                    await store.imports.set_watched(tx, guild_id, user_id, film_id, entry.watched_on)
                continue
            if rating is not None and not overwrite and _bot_is_newer(rating, entry):
                kept += 1
                continue
            await store.ratings.put(
                tx, guild_id, user_id, film_id, entry.score,
                review=rating.review if rating else None, spoiler=rating.spoiler if rating else False,
                watched_on=entry.watched_on, at=now,
            )
            changed += 1
    unrated = sum(1 for entry in entries if entry.score is None)
    return ImportReport(changed, unchanged, kept, unmatched, unrated)


# ----------------------------------------------------------------- writing


def _csv(header: tuple[str, ...], rows: list[tuple]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def dump_unmatched(entries: tuple[Entry, ...]) -> bytes:
    """The rows no catalogue film matched, in Letterboxd's own columns, for the member to check."""
    return _csv(
        ("Date", "Name", "Year", "Letterboxd URI", "Rating"),
        [(e.rated_on or "", e.name, e.year or "", e.uri, e.stars) for e in entries],
    )


def dump_ratings(rated: list[tuple[Film, Rating]]) -> bytes:
    """A member's ratings in Letterboxd's import format (Rating10 is the 1–10 score as stored)."""
    return _csv(
        ("Title", "Year", "Rating10", "WatchedDate", "Review", "imdbID"),
        [
            (film.title, film.year or "", rating.score, rating.watched_on or "", rating.review or "", film.imdb or "")
            for film, rating in rated
        ],
    )
