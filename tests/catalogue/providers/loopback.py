"""A provider server on 127.0.0.1 that a test starts: TMDB's and Wikidata's answers from fixture files.

Every request is recorded server-side (path, query, headers, arrival time), so a test asserts what
reached the server, not what the client meant to send. Routes answer a fixture, a status with a
body and headers, a delay, or raw bytes; `latency` delays every answer (the benchmark's knob).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "providers"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival


@dataclass
class Reply:
    body: Any = None  # JSON-serialisable, or bytes sent as they are
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Route = Reply | Callable[[web.Request], Reply]


class Loopback:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.latency = 0.0
        self._runner: web.AppRunner | None = None
        self.url = ""

    def route(self, path: str, reply: Route) -> None:
        self.routes[path] = reply

    def paths(self) -> list[str]:
        return [seen.path for seen in self.seen]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(Seen(request.path, dict(request.query), dict(request.headers), time.monotonic()))
        route = self.routes.get(request.path)
        if route is None:
            reply = Reply(fixture("tmdb_error_34.json"), status=404)
        else:
            reply = route(request) if callable(route) else route
        if reply.delay or self.latency:
            await asyncio.sleep(reply.delay + self.latency)
        body = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body, ensure_ascii=False).encode()
        return web.Response(body=body, status=reply.status, headers=reply.headers,
                            content_type="application/json", charset="utf-8")

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def serve_tmdb(server: Loopback, prefix: str = "/3") -> str:
    """TMDB's routes for The Cranes Are Flying (tt0050634, TMDB 38360); answers the base_url to give TmdbProvider."""
    server.route(f"{prefix}/find/tt0050634", Reply(fixture("tmdb_find_tt0050634.json")))
    server.route(f"{prefix}/movie/38360", Reply(fixture("tmdb_movie_38360.json")))
    server.route(f"{prefix}/movie/612345", Reply(fixture("tmdb_movie_no_poster.json")))
    server.route(f"{prefix}/search/movie", Reply(fixture("tmdb_search_cranes.json")))
    return server.url + prefix


def wikidata_api(request: web.Request) -> Reply:
    """Wikidata's /w/api.php, dispatched on the action and ids as the real one is."""
    query = request.query
    action = query.get("action")
    if action == "query" and query.get("srsearch") == "haswbstatement:P345=tt0050634":
        return Reply(fixture("wikidata_haswbstatement_tt0050634.json"))
    if action == "query":
        return Reply(fixture("wikidata_haswbstatement_none.json"))
    if action == "wbsearchentities":
        return Reply(fixture("wikidata_wbsearchentities_cranes.json"))
    if action == "wbgetentities":
        ids = set(query.get("ids", "").split("|"))
        if query.get("props") == "labels":
            people = fixture("wikidata_labels_cranes_people.json")["entities"]
            people |= fixture("wikidata_labels_russian_only.json")["entities"]
            return Reply({"entities": {qid: people[qid] for qid in ids if qid in people}, "success": 1})
        films = fixture("wikidata_entities_cranes_and_song.json")["entities"]
        films |= fixture("wikidata_entities_russian_only.json")["entities"]
        found = {qid: films.get(qid) or {"id": qid, "missing": ""} for qid in ids}
        return Reply({"entities": found, "success": 1})
    return Reply({"error": {"code": "badvalue", "info": "Unrecognized value for parameter \"action\"."}})


def serve_wikidata(server: Loopback) -> str:
    """Wikidata's action API; answers the base_url to give WikidataProvider."""
    server.route("/w/api.php", wikidata_api)
    return server.url


class Timed(list):
    """SimCord's request log with each entry's arrival in wall time beside it: when the member saw it.
    (Inside the bot SimCord makes time.monotonic virtual, so perf_counter is the clock here.)"""

    def __init__(self, entries) -> None:
        super().__init__(entries)
        self.at = [time.perf_counter()] * len(entries)

    def append(self, entry) -> None:
        self.at.append(time.perf_counter())
        super().append(entry)
