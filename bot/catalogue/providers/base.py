"""What an online film source can tell us, behind one small interface.

A provider looks a film up by its IMDb id, searches by title (and year), and fetches the details of
one of its own ids. It never raises on what the network does: every call returns within its budget
with what it found, `None` ("this film is not there"), or a `Failure` saying what went wrong and
whether it is worth asking again later (a timeout, a 429 or a 5xx is; a 404 is an answer).
Nothing here imports discord; the store keeps what providers said (bot/store/enrichment.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Watch:
    """Where to watch a film in one region (TMDB's watch providers, JustWatch data)."""

    region: str  # ISO 3166-1, e.g. "RU", "US"
    link: str  # TMDB's page for the region's offers (the one link its terms let us show)
    stream: tuple[str, ...] = ()  # provider names
    rent: tuple[str, ...] = ()
    buy: tuple[str, ...] = ()


@dataclass(frozen=True)
class Details:
    """What one provider said about one film. Every field may be missing; texts are per language."""

    provider: str  # "wikidata", "tmdb"
    provider_id: str  # "Q1146291", "tmdb:movie:12345"
    title: str | None = None  # in English where the provider has it
    titles: Mapping[str, str] = field(default_factory=dict, hash=False)  # language → title ("ru": "Летят журавли")
    original_title: str | None = None
    year: int | None = None
    runtime: int | None = None
    directors: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    imdb_id: int | None = None  # 50634 for tt0050634
    tmdb_id: int | None = None
    kinopoisk_id: str | None = None
    synopses: Mapping[str, str] = field(default_factory=dict, hash=False)  # language → synopsis
    tagline: Mapping[str, str] = field(default_factory=dict, hash=False)
    poster_path: str | None = None  # TMDB image path ("/abc.jpg"), never the image itself
    backdrop_path: str | None = None
    trailer: str | None = None  # a YouTube key or URL
    watch: tuple[Watch, ...] = ()


@dataclass(frozen=True)
class Failure:
    """The provider did not answer usefully; `transient` failures are retried later, never cached."""

    provider: str
    reason: str  # "timeout", "429", "500", "malformed", "network"
    transient: bool = True
    retry_after: float | None = None  # seconds, from a Retry-After header


Answer = Details | Failure | None  # None: the provider has no such film


class Provider(Protocol):
    name: str  # "wikidata", "tmdb"
    attribution: str  # the notice its terms require, shown by /about and on enriched cards

    async def by_imdb(self, imdb_id: int, languages: tuple[str, ...], region: str | None) -> Answer:
        """The film with this IMDb id, texts in `languages` ("en", "ru"), watch offers for `region` at
        least (TMDB gives every region's in one answer, and they are all kept: one cache row serves every server)."""
        ...

    async def search(self, title: str, year: int | None, languages: tuple[str, ...]) -> list[Details] | Failure:
        """Films whose title (in any language) matches, best first, at most 10."""
        ...

    async def details(self, provider_id: str, languages: tuple[str, ...], region: str | None) -> Answer:
        """The film this provider calls `provider_id` (from a search result)."""
        ...
