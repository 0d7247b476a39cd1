"""Which catalogue film a Letterboxd row means, decided the way a person reading both would.

In order: a Letterboxd link this member imported before, or the row's IMDb id; one film with
exactly that title and year; one film of that year by the normalised title (punctuation, case,
transliteration); a film's own title over another film's alternative title; the most IMDb votes
among several; the year one off (festival versus release year) when that leaves one film.
Normalising drops a leading English article for search, so here the article is compared apart:
"The Stranger" never means "Stranger". Rows with different Letterboxd links are different films,
so two of them never land on one film. Every film considered and passed over is kept with the
reason, for the member's unmatched.csv.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.catalogue.normalise import ARTICLES

if TYPE_CHECKING:
    from bot.catalogue.letterboxd import Entry
    from bot.store import Store
    from bot.store.imports import FilmName

# Strongest first: when two rows land on one film, the row matched by the stronger rule keeps it.
RULES = ("link", "imdb", "exact", "title", "own", "votes", "year")
_WORDS = re.compile(r"[^a-z0-9]+")
_NEAREST = 5  # films of the same name in other years listed per unmatched row


@dataclass(frozen=True, slots=True)
class Candidate:
    """A film a row could have meant, and why it was not chosen."""

    title: str
    year: int | None
    why: str


@dataclass(frozen=True, slots=True)
class Match:
    film_id: int
    rule: str  # one of RULES


@dataclass(frozen=True, slots=True)
class Unmatched:
    entry: Entry
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Result:
    films: dict[tuple, Match]  # by Entry.key
    unmatched: tuple[Unmatched, ...]


def article(text: str) -> str:
    """The leading English article of a title ("" when none): the word normalise drops for search."""
    words = _words(text)
    return words[0] if len(words) > 1 and words[0] in ARTICLES else ""


def _words(text: str) -> list[str]:
    return _WORDS.sub(" ", text.lower()).split()


class _Film:
    """One catalogue film as a row sees it: its names that share the row's normalised title."""

    def __init__(self, name: FilmName) -> None:
        self.id, self.title, self.year, self.votes = name.film_id, name.film_title, name.year, name.votes
        self.names: list[FilmName] = []


async def match(store: Store, guild_id: int, user_id: int, entries: list[Entry]) -> Result:
    """The film of each entry a rule decides (by Entry.key), and the rest with the films considered.
    Three look-ups for the whole file (links, IMDb ids, names), then every decision in memory."""
    links = await store.imports.films_by_link(guild_id, user_id, {e.link for e in entries if e.link})
    imdb = await store.imports.films_by_imdb({e.imdb_id for e in entries if e.imdb_id is not None})
    names = await store.imports.names({e.norm for e in entries} - {""})
    # Deciding up to 20,000 rows is CPU work with no I/O: in a thread, so the bot keeps answering.
    return await asyncio.to_thread(_decide, entries, links, imdb, names)


def _decide(entries: list[Entry], links: dict[str, int], imdb: dict[int, int], names: list[FilmName]) -> Result:
    by_norm: dict[str, dict[int, _Film]] = {}
    for name in names:
        film = by_norm.setdefault(name.norm, {}).setdefault(name.film_id, _Film(name))
        film.names.append(name)
    chosen: dict[tuple, tuple[Match, Entry, _Film | None]] = {}
    unmatched: list[Unmatched] = []
    for entry in entries:
        films = by_norm.get(entry.norm, {})
        if entry.link in links:
            chosen[entry.key] = (Match(links[entry.link], "link"), entry, films.get(links[entry.link]))
        elif entry.imdb_id in imdb:
            chosen[entry.key] = (Match(imdb[entry.imdb_id], "imdb"), entry, films.get(imdb[entry.imdb_id]))
        else:
            decided, candidates = _by_title(entry, list(films.values()))
            if decided is None:
                unmatched.append(Unmatched(entry, tuple(candidates)))
            else:
                chosen[entry.key] = (decided, entry, films.get(decided.film_id))
    return Result(*_one_row_per_film(chosen, unmatched))


def _by_title(entry: Entry, films: list[_Film]) -> tuple[Match | None, list[Candidate]]:
    """The film `entry` names by title and year, else None and every film considered with its reason."""
    rejected: list[Candidate] = []
    wanted = article(entry.name)
    names: dict[int, list[FilmName]] = {}  # per film, its names with the row's leading article
    for film in films:
        kept = [name for name in film.names if article(name.title) == wanted]
        if kept:
            names[film.id] = kept
        else:
            why = f"its title {_article_says(film.names[0].title)}, the row's {_article_says(entry.name)}"
            rejected.append(Candidate(film.title, film.year, why))
    same_article = [film for film in films if film.id in names]
    if entry.year is None:
        return None, rejected + [Candidate(f.title, f.year, "the row has no year to match") for f in same_article]
    this_year = [film for film in same_article if film.year == entry.year]
    exact = [film for film in this_year if any(name.title == entry.name for name in names[film.id])]
    if len(exact) == 1:
        return Match(exact[0].id, "exact"), []
    if len(this_year) == 1:
        return Match(this_year[0].id, "title"), []
    if this_year:
        own = [film for film in this_year if any(name.own for name in names[film.id])]
        rejected += [
            Candidate(f.title, f.year, f"{entry.name!r} is only its alternative title")
            for f in this_year
            if f not in own
        ]
        if len(own) == 1:
            return Match(own[0].id, "own"), []
        pool = sorted(own or this_year, key=lambda film: -film.votes)
        best = pool[0]
        if best.votes > pool[1].votes:
            return Match(best.id, "votes"), []
        tied = [f for f in pool if f.votes == best.votes]
        rejected += [
            Candidate(f.title, f.year, f"as many IMDb votes ({f.votes:,}) as another film of that title and year")
            for f in tied
        ]
        rejected += [
            Candidate(f.title, f.year, f"fewer IMDb votes ({f.votes:,}) than the tied films") for f in pool[len(tied) :]
        ]
        return None, rejected
    near = [film for film in same_article if film.year is not None and abs(film.year - entry.year) == 1]
    if len(near) == 1:
        return Match(near[0].id, "year"), []
    others = len(near) - 1
    rejected += [
        Candidate(f.title, f.year, f"year one off, as {others} other film{'' if others == 1 else 's'} of that name")
        for f in near
    ]
    far = sorted((f for f in same_article if f not in near), key=lambda f: abs((f.year or 0) - entry.year))
    rejected += [
        Candidate(f.title, f.year, "year more than one off" if f.year else "no year in the catalogue")
        for f in far[:_NEAREST]
    ]
    return None, rejected


def _article_says(title: str) -> str:
    word = article(title)
    return f"starts with {word.capitalize()!r}" if word else "has no leading article"


def _one_row_per_film(
    chosen: dict[tuple, tuple[Match, Entry, _Film | None]], unmatched: list[Unmatched]
) -> tuple[dict[tuple, Match], tuple[Unmatched, ...]]:
    """Rows are different Letterboxd films (different links, or names Letterboxd writes differently),
    so one catalogue film takes one row: the strongest rule's, then the later rated."""
    by_film: dict[int, list[tuple[Match, Entry, _Film | None]]] = {}
    for picked in chosen.values():
        by_film.setdefault(picked[0].film_id, []).append(picked)
    films: dict[tuple, Match] = {}
    for rows in by_film.values():
        # Two stable sorts: the stronger rule first, and within a rule the later rated or watched.
        rows.sort(key=lambda row: (row[1].rated_on or "", row[1].watched_on or ""), reverse=True)
        rows.sort(key=lambda row: RULES.index(row[0].rule))
        (winner, entry, _), losers = rows[0], rows[1:]
        films[entry.key] = winner
        for _, lost, film in losers:
            seen = film or rows[0][2]
            title, year = (seen.title, seen.year) if seen else (entry.name, entry.year)
            why = f"the row {entry.name!r} ({entry.year or 'no year'}), another Letterboxd film, matched it"
            unmatched.append(Unmatched(lost, (Candidate(title, year, why),)))
    return films, tuple(unmatched)
