"""What the store hands out: plain frozen dataclasses, never rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.catalogue.providers.base import Details


@dataclass(frozen=True)
class Title:
    """Another name a film is known by: its original title, a transliteration, a translation."""

    title: str
    language: str | None = None


@dataclass(frozen=True)
class FilmDraft:
    """A film as it is written: everything but the id the database gives it."""

    key: str
    title: str
    source: str
    original_title: str | None = None
    year: int | None = None
    runtime: int | None = None
    synopsis: str | None = None
    imdb_id: int | None = None
    directors: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    aliases: tuple[Title, ...] = ()
    popularity: int = 0
    added_by: int | None = None


@dataclass(frozen=True)
class Film(FilmDraft):
    id: int = 0
    # IMDb's own figure from an import: shown beside the club's rating, never mixed into it.
    imdb_rating: float | None = None
    imdb_votes: int | None = None
    # The synopsis in other languages (language → text); `synopsis` is the English one.
    synopses: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def imdb(self) -> str | None:
        """The IMDb id as IMDb writes it: tt0050634."""
        return None if self.imdb_id is None else f"tt{self.imdb_id:07d}"

    def draft(self) -> FilmDraft:
        fields = {name: getattr(self, name) for name in FilmDraft.__dataclass_fields__}
        return FilmDraft(**fields)


@dataclass(frozen=True)
class FilmLabel:
    """What an autocomplete choice shows of a film, read in one statement on every keystroke."""

    id: int
    key: str
    title: str
    year: int | None
    directors: tuple[str, ...]  # the first director only


@dataclass(frozen=True)
class NameHit:
    """One searchable name that matched a query, before ranking."""

    film_id: int
    norm: str
    popularity: int
    club: bool = False  # the asking server's own film (bundled, on its lists, rated or picked there)
    year: int | None = None
    title: str = ""  # the film's display title


@dataclass(frozen=True)
class ListEntry:
    film: Film
    position: int
    note: str | None
    notes: Mapping[str, str] = field(default_factory=dict, hash=False)  # the note in other languages


@dataclass(frozen=True)
class CuratedList:
    id: int
    guild_id: int  # 0 for a list bundled with the bot
    key: str
    name: str
    description: str | None
    size: int
    descriptions: Mapping[str, str] = field(default_factory=dict, hash=False)  # in other languages

    @property
    def bundled(self) -> bool:
        return self.guild_id == 0


@dataclass(frozen=True)
class ListDraft:
    """A curated list as it is written: entries name films by their catalogue key."""

    key: str
    name: str
    description: str | None
    entries: tuple[tuple[str, str | None], ...]  # (film key, curator note), in order


@dataclass(frozen=True)
class AuditEntry:
    id: int
    user_id: int
    action: str  # "film.add", "list.rename", …
    target: str
    before: object
    after: object
    created_at: str


@dataclass(frozen=True)
class FilmReferences:
    """What, across every server, points at one film."""

    ratings: int
    list_entries: int
    picks: int
    ballots: int  # candidacies on open weekly ballots

    def __bool__(self) -> bool:
        return any((self.ratings, self.list_entries, self.picks, self.ballots))


@dataclass(frozen=True)
class MergeReport:
    ratings_moved: int
    ratings_older_dropped: int  # members who rated both keep only their newer rating
    entries_moved: int
    entries_dropped: int  # the list already held the film kept
    picks_moved: int


@dataclass(frozen=True)
class RatingSummary:
    """A server's verdict on one film, on the stored 1–10 scale."""

    count: int
    average: float | None
    mine: int | None  # the asking member's own score


@dataclass(frozen=True)
class Rating:
    """One member's rating of one film in one server; `score` is always on the stored 1–10 scale."""

    guild_id: int
    user_id: int
    film_id: int
    score: int
    review: str | None
    spoiler: bool
    watched_on: str | None
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Ballot:
    id: int
    guild_id: int
    week: str  # "2026-W48", the ISO week it opened in on the server's calendar
    status: str  # open, closed, cancelled
    seed: int
    channel_id: int
    message_id: int | None  # None while the post is still owed
    opened_by: int | None  # None when the schedule opened it
    opened_at: str
    closes_at: str
    closed_at: str | None
    problem: str | None


@dataclass(frozen=True)
class Candidate:
    ballot_id: int
    film_id: int
    position: int
    list_id: int | None  # None: a member nominated it
    list_name: str | None
    note: str | None
    nominated_by: int | None


@dataclass(frozen=True)
class Pick:
    id: int
    guild_id: int
    week: str
    film_id: int | None  # None: the week was skipped
    how: str  # vote, moderator, skip
    ballot_id: int | None
    list_id: int | None
    picked_by: int | None
    picked_at: str
    screening_at: str | None
    channel_id: int | None
    message_id: int | None  # the announcement; None while it is owed
    thread_id: int | None
    event_id: int | None
    problem: str | None
    rating_message_id: int | None = None  # the Rate button in the film's thread; None until posted


@dataclass(frozen=True)
class BallotResult:
    """What a ballot's closing decided, as recorded in the same transaction."""

    ballot_id: int
    winner_id: int
    counts: tuple[tuple[int, int], ...]  # (film id, votes) in ballot order
    voters: int  # members whose votes counted
    left_out: tuple[tuple[int, str], ...]  # (user id, why) for votes not counted
    decided: str  # most_votes, list_rotation or seed
    seed: int


@dataclass(frozen=True)
class Deadline:
    guild_id: int
    kind: str  # open, close, retry, remind_close, remind_screening, rating
    due_at: str
    subject: int | None  # the ballot or pick it is about


@dataclass(frozen=True)
class Nomination:
    guild_id: int
    user_id: int
    film_id: int
    created_at: str


@dataclass(frozen=True)
class Cached:
    """What one provider said about one film, as the cache keeps it (bot/store/enrichment.py)."""

    film_id: int
    provider: str  # "wikidata", "tmdb"
    status: str  # "found" (details set) or "not_found" (details None)
    details: Details | None
    fetched_at: str  # UTC ISO 8601
    expires_at: str
