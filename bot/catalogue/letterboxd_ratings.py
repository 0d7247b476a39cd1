"""A member's Letterboxd ratings into this server and back out: write the matched entries, list the
unmatched with the films considered (unmatched.csv), and export in Letterboxd's import format.

Exporting then importing the file back changes nothing: the export names each film by its
Letterboxd link (kept from the import) and IMDb id, which the matcher trusts before any title.
Every cell written goes through `spreadsheet.spreadsheet_cell`: a title, review or uploaded cell that
starts like a formula reaches a spreadsheet as text, and reads back as it was.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot import clock
from bot.catalogue.letterboxd import IMPORT_COLUMNS, Entry
from bot.catalogue.letterboxd_match import RULES, Unmatched
from bot.catalogue.letterboxd_match import match as match_films
from bot.catalogue.spreadsheet import spreadsheet_cell

if TYPE_CHECKING:
    from bot.store import Store
    from bot.store.models import Film, Rating

UNMATCHED_COLUMNS = ("Date", "Name", "Year", "Letterboxd URI", "Rating")  # the export's own, as the member knows them


@dataclass(frozen=True)
class ImportReport:
    changed: int  # ratings added or changed
    unchanged: int  # already the same score here
    kept_newer: int  # rated here more recently than on Letterboxd; kept
    unmatched: tuple[Unmatched, ...]
    unrated: int
    by_rule: dict[str, int]  # films matched per rule of letterboxd_match.RULES

    @property
    def matched(self) -> int:
        return self.changed + self.unchanged + self.kept_newer


def _bot_is_newer(rating: Rating, entry: Entry) -> bool:
    # Letterboxd dates have no time of day: only a later day here beats the file.
    return entry.rated_on is None or rating.updated_at[:10] > entry.rated_on


async def import_ratings(
    store: Store, guild_id: int, user_id: int, entries: list[Entry], *, overwrite: bool = False
) -> ImportReport:
    """Write the matched, rated entries as one transaction; the same file twice changes nothing."""
    rated = [entry for entry in entries if entry.score is not None]
    result = await match_films(store, guild_id, user_id, rated)
    by_film = {found.film_id: (entry, found.rule) for entry in rated if (found := result.films.get(entry.key))}
    changed = unchanged = kept = 0
    by_rule = dict.fromkeys(RULES, 0)
    now = clock.now_iso()
    async with store.transaction() as tx:
        current = await store.imports.ratings_of(tx, guild_id, user_id)
        for film_id, (entry, rule) in by_film.items():
            by_rule[rule] += 1
            rating = current.get(film_id)
            if rating is not None and rating.score == entry.score:
                unchanged += 1
                if entry.watched_on and (rating.watched_on or "") < entry.watched_on:
                    await store.imports.set_watched(tx, guild_id, user_id, film_id, entry.watched_on)
            elif rating is not None and not overwrite and _bot_is_newer(rating, entry):
                kept += 1
                continue  # the rating here stays as it is, and so does its link
            else:
                await store.ratings.put(
                    tx,
                    guild_id,
                    user_id,
                    film_id,
                    entry.score,
                    review=rating.review if rating else None,
                    spoiler=rating.spoiler if rating else False,
                    watched_on=entry.watched_on,
                    at=now,
                )
                changed += 1
            if entry.link:
                await store.imports.set_link(tx, guild_id, user_id, film_id, entry.link)
    unrated = sum(1 for entry in entries if entry.score is None)
    return ImportReport(changed, unchanged, kept, result.unmatched, unrated, by_rule)


# ----------------------------------------------------------------- writing


def _csv(header: tuple[str, ...], rows: list[tuple]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8")


def dump_unmatched(unmatched: tuple[Unmatched, ...]) -> bytes:
    """The rows no catalogue film matched, in Letterboxd's own columns, one line per film considered
    (title, year, why it was not chosen), or one line with those cells empty when there was none."""
    lines = []
    for row in unmatched:
        e = row.entry
        cells = (e.rated_on or "", e.name, e.year or "", e.uri, e.stars)
        lines += [(*cells, c.title, c.year or "", c.why) for c in row.candidates] or [(*cells, "", "", "")]
    return _csv((*UNMATCHED_COLUMNS, "Candidate", "Candidate Year", "Not Chosen Because"), lines)


def dump_ratings(rated: list[tuple[Film, Rating]], links: dict[int, str]) -> bytes:
    """A member's ratings in Letterboxd's import format: Rating10 is the 1–10 score as stored, a cell
    is empty when kinoclub does not know it (no tmdb ids; rewatches and tags are not kept)."""
    return _csv(
        IMPORT_COLUMNS,
        [
            (
                links.get(film.id, ""),
                "",
                film.imdb or "",
                film.title,
                film.year or "",
                ", ".join(film.directors),
                rating.score,
                rating.watched_on or "",
                "",
                "",
                rating.review or "",
            )
            for film, rating in rated
        ],
    )
