"""What online providers add to a film's card, fetched so that no reply ever waits on the network.

The Enricher reads the cache first (bot.catalogue.provider_cache decides what is still fresh). What
is missing it asks every provider for at once, waits at most the caller's budget, and keeps fetching
in the background past it: the caller shows what it has and is called back when the rest arrives.
One fetch per film at a time, however many members ask; prefetches (ballot, film of the week,
curated lists) queue behind a small semaphore so they never crowd out a member's own request.

Texts are always fetched in every language the bot speaks, so one cached answer serves a Russian
and an English reader alike. A provider that fails, times out or rate-limits yields nothing here:
the card is the catalogue's, and the failure is logged without the provider's credentials (the
providers never put them in a Failure).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot import i18n
from bot.catalogue import provider_cache
from bot.catalogue.normalise import normalise
from bot.catalogue.providers.base import Answer, Details, Failure, Provider, Watch
from bot.store import Store
from bot.store.models import Film, FilmDraft, Title

log = logging.getLogger("kinoclub.enrichment")

PREFETCH_AT_ONCE = 2  # prefetches in flight together: a member's /film show is never queued behind them
SEARCH_BUDGET = 5.0  # seconds: the online search answers a deferred interaction, which has 15 minutes
# Which provider a card trusts first for each kind of data: TMDB for texts, images and offers,
# Wikidata for names and the ids it cross-references.
TEXTS_FROM = ("tmdb", "wikidata")
NAMES_FROM = ("wikidata", "tmdb")

OnLate = Callable[["Enrichment | None"], Awaitable[None]]


@dataclass(frozen=True)
class Enrichment:
    """What the card shows beside the catalogue's own facts, merged from every provider's answer."""

    film_id: int
    providers: tuple[str, ...]  # those whose data is here, e.g. ("tmdb", "wikidata")
    titles: Mapping[str, str] = field(default_factory=dict, hash=False)
    synopses: Mapping[str, str] = field(default_factory=dict, hash=False)
    tagline: Mapping[str, str] = field(default_factory=dict, hash=False)
    poster_path: str | None = None
    backdrop_path: str | None = None
    trailer: str | None = None
    watch: tuple[Watch, ...] = ()
    imdb_id: int | None = None
    tmdb_id: int | None = None
    kinopoisk_id: str | None = None

    def watch_in(self, region: str | None) -> Watch | None:
        return next((offer for offer in self.watch if region and offer.region == region.upper()), None)


def merge(film_id: int, answers: Sequence[Details]) -> Enrichment | None:
    """One view of every provider's answer: each field from the first provider in its order that has it."""
    if not answers:
        return None
    by_name = {details.provider: details for details in answers}

    def ordered(order: tuple[str, ...]) -> list[Details]:
        return [by_name[name] for name in order if name in by_name] + [
            details for name, details in by_name.items() if name not in order
        ]

    def first(order: tuple[str, ...], name: str) -> object:
        return next((getattr(d, name) for d in ordered(order) if getattr(d, name)), None)

    def texts(order: tuple[str, ...], name: str) -> dict[str, str]:
        merged: dict[str, str] = {}
        for details in reversed(ordered(order)):  # the preferred provider's text wins a language
            merged.update({lang: text for lang, text in getattr(details, name).items() if text and text.strip()})
        return merged

    return Enrichment(
        film_id=film_id,
        providers=tuple(sorted(by_name)),
        titles=texts(NAMES_FROM, "titles"),
        synopses=texts(TEXTS_FROM, "synopses"),
        tagline=texts(TEXTS_FROM, "tagline"),
        poster_path=first(TEXTS_FROM, "poster_path"),
        backdrop_path=first(TEXTS_FROM, "backdrop_path"),
        trailer=first(TEXTS_FROM, "trailer"),
        watch=first(TEXTS_FROM, "watch") or (),
        imdb_id=first(NAMES_FROM, "imdb_id"),
        tmdb_id=first(TEXTS_FROM, "tmdb_id"),
        kinopoisk_id=first(NAMES_FROM, "kinopoisk_id"),
    )


def _same_film(film: Film, details: Details) -> bool:
    """A title search's result is this film: a name in common and a year at most one apart."""
    if film.year and details.year and abs(film.year - details.year) > 1:
        return False
    ours = {normalise(name) for name in (film.title, film.original_title or "") if name}
    theirs = {normalise(name) for name in (details.title, details.original_title, *details.titles.values()) if name}
    return bool(ours & theirs)


YEAR = re.compile(r"(?:^|\s)\(?((?:18|19|20)\d\d)\)?\s*$")


def split_year(text: str) -> tuple[str, int | None]:
    """"Cranes 1957" → ("Cranes", 1957): a trailing year narrows an online search."""
    found = YEAR.search(text)
    if found is None or not text[: found.start()].strip():
        return text.strip(), None
    return text[: found.start()].strip(), int(found.group(1))


class Enricher:
    """Cache first, providers concurrently within a budget, the rest in the background (see the module)."""

    def __init__(self, store: Store, providers: Sequence[Provider], clock: Callable[[], datetime]) -> None:
        self.store = store
        self.providers = tuple(providers)
        self.clock = clock
        self._fetching: dict[int, asyncio.Task[Enrichment | None]] = {}
        self._background: set[asyncio.Task] = set()
        self._prefetch_slots = asyncio.Semaphore(PREFETCH_AT_ONCE)
        self._closed = False

    @property
    def online(self) -> bool:
        return bool(self.providers) and not self._closed

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(i18n.LANGUAGES)

    async def cached(self, film: Film) -> Enrichment | None:
        """What the cache holds for `film`, fresh or not (an old poster beats none while a new one comes)."""
        return merge(film.id, await self._stored(film.id))

    async def _stored(self, film_id: int) -> list[Details]:
        found = []
        for provider in self.providers:
            entry = await self.store.enrichment.get(film_id, provider.name)
            if entry is not None and entry.status == "found" and entry.details is not None:
                found.append(entry.details)
        return found

    async def _missing(self, film: Film) -> list[Provider]:
        now = self.clock()
        return [p for p in self.providers if await provider_cache.fresh(self.store, film.id, p.name, now) is None]

    async def enrich(
        self, film: Film, languages: tuple[str, ...] | None = None, region: str | None = None,
        budget: float = 1.0, on_late: OnLate | None = None,
    ) -> Enrichment | None:
        """The film's enrichment within `budget` seconds; if the providers need longer, what the cache
        has now, and `on_late` is awaited with the full answer once it arrives (not if nothing changed)."""
        if not self.online:
            return None
        # One read per provider serves both questions, what is stale and what to show meanwhile: the
        # first answer of a card waits on these reads. Fresh is provider_cache.fresh's rule.
        now = provider_cache.iso(self.clock())
        entries = {p.name: await self.store.enrichment.get(film.id, p.name) for p in self.providers}
        missing = [p for p in self.providers if entries[p.name] is None or entries[p.name].expires_at <= now]
        stored = merge(film.id, [entry.details for entry in entries.values()
                                 if entry is not None and entry.status == "found" and entry.details is not None])
        if not missing:
            return stored
        task = self._fetch(film, missing, languages or self.languages, region)
        if budget > 0:  # a zero budget sets no timer: the answer is the cache's, whatever the loop is doing
            await asyncio.wait({task}, timeout=budget)
        if task.done():
            return task.result()
        if on_late is not None:
            self._spawn(self._call_back(task, on_late))
        return stored

    async def _call_back(self, task: asyncio.Task[Enrichment | None], on_late: OnLate) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            enrichment = await task
            if enrichment is not None:
                await on_late(enrichment)

    def _fetch(self, film: Film, missing: list[Provider], languages: tuple[str, ...],
               region: str | None) -> asyncio.Task[Enrichment | None]:
        """The one fetch in flight for `film`, started if there is none."""
        task = self._fetching.get(film.id)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._fetch_now(film, missing, languages, region))
            self._fetching[film.id] = task
            task.add_done_callback(lambda _t, film_id=film.id: self._fetching.pop(film_id, None))
        return task

    async def _fetch_now(self, film: Film, missing: list[Provider], languages: tuple[str, ...],
                         region: str | None) -> Enrichment | None:
        answers = await asyncio.gather(*(self._ask(p, film, languages, region) for p in missing))
        for provider, answer in zip(missing, answers, strict=True):
            if isinstance(answer, Failure):
                log.info("%s had nothing for film %d this time (%s)", provider.name, film.id, answer.reason)
            try:
                await provider_cache.remember(self.store, film.id, answer, provider.name, self.clock())
            except Exception:  # a full disk must not turn a card into an error: the answer is still shown
                log.exception("could not cache %s's answer for film %d", provider.name, film.id)
        fresh = [answer for answer in answers if isinstance(answer, Details)]
        names = {answer.provider for answer in fresh}
        # What the others said before (a provider that failed now) still counts, even if it is stale.
        older = [details for details in await self._stored(film.id) if details.provider not in names]
        return merge(film.id, [*fresh, *older])

    async def _ask(self, provider: Provider, film: Film, languages: tuple[str, ...], region: str | None) -> Answer:
        try:
            if film.imdb_id is not None:
                return await provider.by_imdb(film.imdb_id, languages, region)
            found = await provider.search(film.title, film.year, languages)
            if isinstance(found, Failure):
                return found
            match = next((details for details in found if _same_film(film, details)), None)
            if match is None:
                return None
            more = await provider.details(match.provider_id, languages, region)
            return match if more is None else more
        except Exception as error:  # a provider bug is its failure, never the card's
            log.warning("%s raised for film %d: %s", provider.name, film.id, type(error).__name__)
            return Failure(provider.name, "error")

    def prefetch(self, films: Iterable[Film]) -> None:
        """Fetch what the cache lacks for `films` in the background, a few at a time."""
        if not self.online:
            return
        for film in films:
            self._spawn(self._prefetch_one(film))

    async def _prefetch_one(self, film: Film) -> None:
        async with self._prefetch_slots:
            if self._closed:
                return
            missing = await self._missing(film)
            if missing:
                await self._fetch(film, missing, self.languages, None)

    async def prefetch_lists(self) -> None:
        """The bundled curated lists' films: the ones members browse first."""
        if not self.online:
            return
        for curated in await self.store.lists.visible_to(0):
            if curated.bundled:
                self.prefetch(entry.film for entry in await self.store.lists.entries(curated.id))

    async def prefetch_ids(self, film_ids: Iterable[int]) -> None:
        if self.online:
            self.prefetch(await self.store.films.get_many(list(dict.fromkeys(film_ids))))

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.get_running_loop().create_task(self._logged(work))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    @staticmethod
    async def _logged(work: Awaitable[None]) -> None:
        """Background work no one awaits: a failure (a locked database, a card deleted meanwhile) is
        logged with its traceback, never lost as "Task exception was never retrieved"."""
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("enrichment work in the background failed")

    async def search_online(self, text: str, languages: tuple[str, ...] | None = None) -> list[Details]:
        """Films the providers find for `text` (a trailing year narrows it), one entry per IMDb id,
        best first; those without an IMDb id are left out, as the catalogue could not merge them later."""
        if not self.online:
            return []
        title, year = split_year(text)
        languages = languages or self.languages

        async def one(provider: Provider) -> list[Details]:
            try:
                async with asyncio.timeout(SEARCH_BUDGET):
                    found = await provider.search(title, year, languages)
            except Exception as error:  # a timeout or a provider bug: that provider found nothing
                log.info("%s search failed: %s", provider.name, type(error).__name__)
                return []
            return [] if isinstance(found, Failure) else found

        results = await asyncio.gather(*(one(provider) for provider in self.providers))
        by_imdb: dict[int, list[Details]] = {}
        for position in range(max((len(found) for found in results), default=0)):
            for found in results:  # interleaved: each provider's best before anyone's second
                if position < len(found) and found[position].imdb_id is not None:
                    by_imdb.setdefault(found[position].imdb_id, []).append(found[position])
        return [_combined(answers) for answers in by_imdb.values()]

    async def add_from(self, details: Details, added_by: int | None = None, guild_id: int | None = None) -> Film:
        """The film `details` describes, added to the shared catalogue (or the one already there with its IMDb id).

        It is written as an IMDb import writes a film: its key is the IMDb id and its names are IMDb-origin
        rows, so a later `kinoclub import imdb` finds it by id and updates it in place, ratings and lists
        kept. Every title the provider gave, in every language, becomes a searchable alias. Which provider
        it came from, and who picked it where, is recorded beside it (film_origins) in the same transaction."""
        if details.imdb_id is None:
            raise ValueError("an online film is added by its IMDb id")
        known = await self.store.films.by_imdb(details.imdb_id)
        if known is not None:
            return known
        title = details.title or details.titles.get("en") or details.original_title or next(
            iter(details.titles.values()), None)
        if not title:
            raise ValueError("an online film needs a title")
        aliases = tuple(dict.fromkeys(
            Title(name, language) for language, name in sorted(details.titles.items())
            if name and name not in (title, details.original_title)
        ))
        draft = FilmDraft(
            key=f"tt{details.imdb_id:07d}", title=title, source="imdb",
            original_title=details.original_title if details.original_title != title else None,
            year=details.year, runtime=details.runtime, synopsis=details.synopses.get("en"),
            imdb_id=details.imdb_id, directors=details.directors[:5], cast=details.cast[:10],
            countries=details.countries[:5], aliases=aliases,
        )
        async with self.store.transaction() as tx:
            film_id, _status = await self.store.films.upsert(tx, draft, normalise)
            others = {lang: text for lang, text in details.synopses.items() if lang != "en" and text}
            if others:
                await self.store.films.put_synopses(tx, film_id, others)
            await self.store.enrichment.put_origin(tx, film_id, details.provider, details.provider_id, guild_id,
                                                   added_by, provider_cache.iso(self.clock()))
        film = await self.store.films.get(film_id)
        with contextlib.suppress(Exception):  # what the search said is worth keeping; failing to is not fatal
            await provider_cache.remember(self.store, film_id, details, details.provider, self.clock())
        return film

    async def close(self) -> None:
        self._closed = True
        tasks = [*self._background, *self._fetching.values()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for provider in self.providers:
            with contextlib.suppress(Exception):
                await provider.close()


def _combined(answers: list[Details]) -> Details:
    """Several providers' search results for one IMDb id as one: Wikidata's names beside TMDB's texts."""
    if len(answers) == 1:
        return answers[0]
    names = next((a for a in answers if a.provider == "wikidata"), answers[0])
    texts = next((a for a in answers if a.provider == "tmdb"), answers[0])
    return Details(
        provider=names.provider, provider_id=names.provider_id, title=names.title or texts.title,
        titles={**texts.titles, **names.titles}, original_title=names.original_title or texts.original_title,
        year=names.year or texts.year, runtime=names.runtime or texts.runtime,
        directors=names.directors or texts.directors, cast=names.cast or texts.cast,
        countries=names.countries or texts.countries, imdb_id=names.imdb_id, tmdb_id=texts.tmdb_id or names.tmdb_id,
        kinopoisk_id=names.kinopoisk_id, synopses={**names.synopses, **texts.synopses},
        tagline={**names.tagline, **texts.tagline}, poster_path=texts.poster_path, trailer=texts.trailer,
    )
