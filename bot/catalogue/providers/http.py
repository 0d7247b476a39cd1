"""The one HTTP client both providers use: polite, bounded, and never raising on what the network does.

Politeness is what keeps a keyless source usable for everyone: a descriptive User-Agent (Wikimedia
blocks anonymous clients), at most `rate` requests a second however many members ask at once, and
silence towards a host that answered 429 until its Retry-After has passed. Bounded means a call
returns within the budget its caller gives, whatever the server does. Secrets (TMDB's token) travel
only in headers, which are never logged; what is logged is the host, the path, the status and the
time taken: never a query string, which carries what a member typed.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bot import __version__
from bot.catalogue.providers.base import Failure

log = logging.getLogger(__name__)

# Wikimedia's policy asks every client to say what it is and where to read about it.
USER_AGENT = f"kinoclub/{__version__} (+https://github.com/kinoclub/kinoclub; self-hosted Discord film-club bot)"
NOT_FOUND = None  # what `get_json` answers for a 404: the film is not there, which is an answer
# A 429 without Retry-After still means "slow down": stay away this long rather than ask again at once.
DEFAULT_BACKOFF = 5.0
NETWORK_BACKOFF = 30.0  # seconds a host that could not be reached is left alone
# Retry-After beyond this is an outage: cap it so a bad header cannot silence a provider for days.
MAX_BACKOFF = 3600.0
MAX_BODY = 4 * 1024 * 1024  # a film's JSON with its credits is ~100 KB; more is not a film

SessionFactory = Callable[[], aiohttp.ClientSession]
# Shapes an answer parser meets in JSON it did not expect: a provider's reply, never our own bug.
SHAPE_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError)


class Throttle:
    """At most `rate` starts a second, shared by every concurrent caller, first come first served."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._last = float("-inf")
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        # A caller whose budget runs out while it queues or sleeps leaves without taking a slot, so
        # members' timed-out lookups never push the next member's request further back.
        async with self._lock:
            delay = self._last + self.interval - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._last = time.monotonic()


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header, which is either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), MAX_BACKOFF)


class HttpClient:
    """GET JSON from one provider's hosts, answering parsed JSON, `NOT_FOUND` or a `Failure`."""

    def __init__(
        self,
        provider: str,
        *,
        user_agent: str,
        rate: float,
        headers: Mapping[str, str] | None = None,
        session_factory: SessionFactory | None = None,
    ) -> None:
        self.provider = provider
        self._headers = {"User-Agent": user_agent, "Accept": "application/json", **(headers or {})}
        self._throttle = Throttle(rate)
        self._session_factory = session_factory or aiohttp.ClientSession
        self._session: aiohttp.ClientSession | None = None
        self._quiet_until: dict[str, float] = {}  # host → monotonic time its Retry-After ends
        self._why_quiet: dict[str, str] = {}  # host → the Failure reason while it is quiet

    def _host(self, url: str) -> str:
        return urlsplit(url).netloc

    def _silenced(self, host: str) -> Failure | None:
        left = self._quiet_until.get(host, 0.0) - time.monotonic()
        reason = self._why_quiet.get(host, "429")
        return Failure(self.provider, reason, retry_after=round(left, 3)) if left > 0 else None

    def quiet_for(self, url: str) -> float | None:
        """Seconds the host of `url` asked us to stay away for, from now; None when it did not."""
        left = self._quiet_until.get(self._host(url), 0.0) - time.monotonic()
        return round(left, 3) if left > 0 else None

    def _back_off(self, host: str, seconds: float, reason: str = "429") -> None:
        until = time.monotonic() + seconds
        if until > self._quiet_until.get(host, 0.0):
            self._quiet_until[host], self._why_quiet[host] = until, reason

    async def get_json(self, url: str, params: Mapping[str, str] | None = None) -> Any:
        """The JSON at `url`; `NOT_FOUND` for a 404; a `Failure` for anything else that went wrong."""
        host = self._host(url)
        if (quiet := self._silenced(host)) is not None:
            return quiet
        await self._throttle.wait()
        # Another caller may have met a 429 while this one waited for its slot.
        if (quiet := self._silenced(host)) is not None:
            return quiet
        if self._session is None or self._session.closed:
            self._session = self._session_factory()
        started = time.monotonic()
        path = urlsplit(url).path
        try:
            async with self._session.get(url, params=params, headers=self._headers, allow_redirects=True) as reply:
                status = reply.status
                log.debug("%s GET %s%s: %s in %.0f ms", self.provider, host, path, status,
                          (time.monotonic() - started) * 1000)
                wait = retry_after(reply.headers.get("Retry-After"))
                if status == 200:
                    if wait is not None:  # Wikimedia's maxlag answer: a 200 whose body is an error
                        self._back_off(host, wait)
                    body = await reply.content.read(MAX_BODY + 1)
                    return self._parse(body)
                if status == 429:
                    self._back_off(host, DEFAULT_BACKOFF if wait is None else wait)
                    return Failure(self.provider, "429", retry_after=wait)
                if status == 404:
                    return NOT_FOUND
                if status >= 500:
                    if wait is not None:  # a 503 with Retry-After is an overloaded server asking for quiet
                        self._back_off(host, wait)
                    return Failure(self.provider, str(status), retry_after=wait)
                # 400, 401, 403: asking again the same way gets the same answer.
                return Failure(self.provider, str(status), transient=False)
        except (aiohttp.ClientError, OSError) as error:
            # The exception's text can carry the URL; the log gets its kind only. A machine with no
            # network (or a provider that is down) is not asked again for a while: every card would
            # otherwise wait on the same failure, and the log would say it for every film.
            log.info("%s GET %s%s failed: %s; not asking again for %.0f s", self.provider, host, path,
                     type(error).__name__, NETWORK_BACKOFF)
            self._back_off(host, NETWORK_BACKOFF, "network")
            return Failure(self.provider, "network")
        except TimeoutError:  # aiohttp's own socket timeouts; our budget's arrive as cancellation
            return Failure(self.provider, "timeout")

    def _parse(self, body: bytes) -> Any:
        if len(body) > MAX_BODY:
            return Failure(self.provider, "malformed", transient=False)
        try:
            return json.loads(body)
        except (UnicodeDecodeError, ValueError):
            return Failure(self.provider, "malformed", transient=False)

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None


async def within(provider: str, seconds: float, call: Awaitable[Any]) -> Any:
    """`call`'s answer, or a timeout Failure once `seconds` have passed, or malformed if it met odd JSON."""
    try:
        async with asyncio.timeout(seconds):
            return await call
    except TimeoutError:
        return Failure(provider, "timeout")
    except SHAPE_ERRORS as error:
        log.warning("%s answered in a shape kinoclub does not read (%s)", provider, type(error).__name__)
        return Failure(provider, "malformed", transient=False)
