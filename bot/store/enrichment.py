"""The provider cache: what each online provider said about each film, and until when it may be kept.

The details are one JSON text per row, written from and read back into the providers' own
`Details`, so a field a provider adds later needs no migration. How long a row lives is the
policy's (bot/catalogue/provider_cache.py); this only keeps rows and drops the expired ones.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.store.models import Cached

if TYPE_CHECKING:
    from bot.catalogue.providers.base import Details, Watch
    from bot.store import Store, Transaction

log = logging.getLogger("kinoclub.store")

STATUSES = ("found", "not_found")


@dataclass(frozen=True)
class Origin:
    """Where a film added from an online search came from (film_origins)."""

    film_id: int
    provider: str  # "wikidata", "tmdb"
    provider_id: str
    guild_id: int | None
    added_by: int | None
    added_at: str  # UTC ISO 8601


class EnrichmentRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def get(self, film_id: int, provider: str) -> Cached | None:
        """The row for this film and provider, expired or not (the policy decides what is fresh)."""
        row = await self._store.fetchone(
            "SELECT status, details, fetched_at, expires_at FROM provider_cache WHERE film_id = ? AND provider = ?",
            (film_id, provider),
        )
        if row is None:
            return None
        details = None
        if row[1] is not None:
            try:
                details = details_from_json(row[1])
            except (ValueError, TypeError, KeyError, AttributeError):
                # A row no Details can be made of is as good as none: the film is looked up again.
                log.warning("provider cache: unreadable details for film %s from %s; ignored", film_id, provider)
                return None
        return Cached(film_id, provider, row[0], details, row[2], row[3])

    async def put(
        self,
        tx: Transaction,
        film_id: int,
        provider: str,
        status: str,
        details: Details | None,
        fetched_at: str,
        expires_at: str,
    ) -> None:
        """Keep (or replace) what `provider` said about the film."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {status!r}")
        text = None if details is None else details_to_json(details)
        await tx.execute(
            "INSERT INTO provider_cache (film_id, provider, status, details, fetched_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (film_id, provider) DO UPDATE SET status = excluded.status, "
            "details = excluded.details, fetched_at = excluded.fetched_at, expires_at = excluded.expires_at",
            (film_id, provider, status, text, fetched_at, expires_at),
        )

    async def purge(self, now_iso: str) -> int:
        """Delete every row expired at `now_iso`; how many were deleted."""
        async with self._store.transaction() as tx:
            return await tx.changes("DELETE FROM provider_cache WHERE expires_at <= ?", (now_iso,))

    async def imdb_imported(self) -> bool:
        """Whether any film came from, or was merged with, IMDb's datasets: /about must then show their notice."""
        row = await self._store.fetchone(
            "SELECT EXISTS (SELECT 1 FROM films WHERE source = 'imdb' OR imdb_votes IS NOT NULL)"
        )
        return bool(row[0])

    async def put_origin(
        self, tx: Transaction, film_id: int, provider: str, provider_id: str, guild_id: int | None,
        added_by: int | None, added_at: str,
    ) -> None:
        """Record that the film came from `provider`'s search; a film keeps the origin it was first added with."""
        await tx.execute(
            "INSERT INTO film_origins (film_id, provider, provider_id, guild_id, added_by, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (film_id) DO NOTHING",
            (film_id, provider, provider_id, guild_id, added_by, added_at),
        )

    async def origin(self, film_id: int) -> Origin | None:
        row = await self._store.fetchone(
            "SELECT provider, provider_id, guild_id, added_by, added_at FROM film_origins WHERE film_id = ?",
            (film_id,),
        )
        return None if row is None else Origin(film_id, row[0], row[1], row[2], row[3], row[4])

    async def count(self) -> int:
        (count,) = await self._store.fetchone("SELECT count(*) FROM provider_cache")
        return int(count)


def details_to_json(details: Details) -> str:
    value = {f.name: getattr(details, f.name) for f in dataclasses.fields(details)}
    value["watch"] = [dataclasses.asdict(watch) for watch in details.watch]
    value = {key: dict(item) if key in ("titles", "synopses", "tagline") else item for key, item in value.items()}
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def details_from_json(text: str) -> Details:
    """`Details` back from `details_to_json`; keys this version does not know are skipped, so a row
    written by a newer kinoclub still reads."""
    # Imported here, not above: the providers package brings aiohttp, which no store command needs.
    from bot.catalogue.providers.base import Details

    raw: dict[str, Any] = json.loads(text)
    if not isinstance(raw, dict):
        raise ValueError("not a JSON object")
    known = {f.name for f in dataclasses.fields(Details)}
    values = {key: value for key, value in raw.items() if key in known}
    for key in ("directors", "cast", "countries"):
        values[key] = tuple(values.get(key) or ())
    values["watch"] = tuple(_watch(item) for item in values.get("watch") or ())
    for key in ("titles", "synopses", "tagline"):
        values[key] = dict(values.get(key) or {})
    return Details(**values)


def _watch(raw: dict[str, Any]) -> Watch:
    from bot.catalogue.providers.base import Watch

    known = {f.name for f in dataclasses.fields(Watch)}
    values = {key: value for key, value in raw.items() if key in known}
    for key in ("stream", "rent", "buy"):
        values[key] = tuple(values.get(key) or ())
    return Watch(**values)
