"""Wikidata against a loopback server answering as its action API and query service do."""

from __future__ import annotations

import time

from bot.catalogue.providers import USER_AGENT, Failure, WikidataProvider
from tests.catalogue.providers.loopback import Reply, fixture, serve_wikidata

BOTH = ("en", "ru")
CRANES = "Q1146291"
PEOPLE = {"Q2600601", "Q2416137", "Q1985460", "Q4230163", "Q4521270", "Q4317036", "Q15180"}


async def test_a_film_found_by_its_imdb_id_names_its_people(server):
    provider = WikidataProvider(base_url=serve_wikidata(server))
    try:
        film = await provider.by_imdb(50634, BOTH, "RU")
    finally:
        await provider.close()

    assert (film.provider, film.provider_id) == ("wikidata", CRANES)
    assert film.title == "The Cranes Are Flying"
    assert film.titles == {"en": "The Cranes Are Flying", "ru": "Летят журавли"}
    assert film.original_title == "Летят журавли"
    assert (film.year, film.runtime) == (1957, 97)  # the premiere, not the later release also listed
    assert film.directors == ("Mikhail Kalatozov",)
    assert film.cast == ("Tatiana Samoilova", "Aleksey Batalov", "Vasily Merkuryev", "Aleksandr Shvorin",
                         "Svetlana Kharitonova")
    assert film.countries == ("Soviet Union",)
    assert (film.imdb_id, film.tmdb_id, film.kinopoisk_id) == (50634, 38360, "45139")
    assert film.poster_path is None and film.synopses == {}  # Wikidata holds neither

    search, entities, labels = server.seen  # the people's names came in one batched request
    assert search.query["srsearch"] == "haswbstatement:P345=tt0050634"
    assert (entities.query["action"], entities.query["ids"]) == ("wbgetentities", CRANES)
    assert labels.query["props"] == "labels" and set(labels.query["ids"].split("|")) == PEOPLE
    assert all(seen.headers["User-Agent"] == USER_AGENT for seen in server.seen)


async def test_the_query_service_finds_the_imdb_id_when_configured(server):
    serve_wikidata(server)
    server.route("/sparql", Reply(fixture("wikidata_sparql_tt0050634.json")))
    provider = WikidataProvider(base_url=server.url, sparql_url=server.url + "/sparql")
    try:
        film = await provider.by_imdb(50634, BOTH, None)
    finally:
        await provider.close()
    assert film.provider_id == CRANES and film.directors == ("Mikhail Kalatozov",)
    assert server.paths() == ["/sparql", "/w/api.php", "/w/api.php"]
    assert 'wdt:P345 "tt0050634"' in server.seen[0].query["query"]


async def test_an_imdb_id_wikidata_does_not_hold_is_not_found(server):
    provider = WikidataProvider(base_url=serve_wikidata(server))
    try:
        absent = await provider.by_imdb(9_999_999, BOTH, None)
        missing = await provider.details("Q999999999", BOTH, None)
        not_ours = await provider.details("tmdb:movie:38360", BOTH, None)
    finally:
        await provider.close()
    assert absent is None and missing is None and not_ours is None
    assert len(server.seen) == 2  # one search, one wbgetentities; no label request for nothing


async def test_search_keeps_only_films(server):
    provider = WikidataProvider(base_url=serve_wikidata(server), rate=50)  # three searches, nine requests
    try:
        films = await provider.search("Летят журавли", None, ("en",))
        same_year = await provider.search("Летят журавли", 1957, ("en",))
        other_year = await provider.search("Летят журавли", 1980, ("en",))
    finally:
        await provider.close()
    assert [film.provider_id for film in films] == [CRANES]  # the song of the same name is dropped
    assert [film.provider_id for film in same_year] == [CRANES] and other_year == []
    search = server.seen[0]
    assert search.query["action"] == "wbsearchentities"
    assert (search.query["language"], search.query["uselang"]) == ("ru", "ru")  # Cyrillic is searched as Russian
    assert set(server.seen[1].query["ids"].split("|")) == {CRANES, "Q4125001"}


async def test_a_russian_film_with_only_a_russian_label(server):
    provider = WikidataProvider(base_url=serve_wikidata(server))
    try:
        film = await provider.details("Q4497752", BOTH, None)
    finally:
        await provider.close()
    assert film.title is None and film.titles == {"ru": "Тихий двор"}
    assert (film.year, film.runtime) == (1963, 82)  # year precision; 4,920 seconds
    assert film.directors == ("Александр Иванов",)  # no English label: the Russian one, not nothing
    assert film.countries == ("Soviet Union",)
    assert film.imdb_id is None and film.tmdb_id is None


async def test_maxlag_and_429_ask_for_quiet(server):
    server.route("/w/api.php", Reply(fixture("wikidata_error_maxlag.json"), headers={"Retry-After": "5"}))
    lagging = WikidataProvider(base_url=server.url)
    try:
        lagged = await lagging.by_imdb(50634, BOTH, None)
        silenced = await lagging.by_imdb(50634, BOTH, None)
    finally:
        await lagging.close()
    assert (lagged.reason, lagged.transient) == ("maxlag", True) and 4.9 < lagged.retry_after <= 5
    assert silenced.reason == "429" and len(server.seen) == 1

    server.route("/w/api.php", Reply(b"Too many requests", status=429, headers={"Retry-After": "30"}))
    provider = WikidataProvider(base_url=server.url)
    try:
        first = await provider.search("Cranes", None, BOTH)
        started = time.monotonic()
        second = await provider.by_imdb(50634, BOTH, None)
        quick = time.monotonic() - started
    finally:
        await provider.close()
    assert first == Failure("wikidata", "429", retry_after=30.0)
    assert second.reason == "429" and 29 < second.retry_after <= 30 and quick < 0.05
    assert len(server.seen) == 2  # the maxlag answer and the 429; nothing after it


async def test_a_server_error_a_slow_answer_and_malformed_json(server):
    server.route("/w/api.php", Reply(b"<html>Wikimedia Error</html>", status=503))
    provider = WikidataProvider(base_url=server.url, timeout=0.3, rate=50)  # the throttle is tested elsewhere
    try:
        down = await provider.details(CRANES, BOTH, None)
        server.route("/w/api.php", Reply(b'{"entities": {"Q1146291": {"id": "Q11', status=200))
        cut_short = await provider.details(CRANES, BOTH, None)
        server.route("/w/api.php", Reply(fixture("wikidata_entities_cranes.json"), delay=2.0))
        started = time.monotonic()
        slow = await provider.details(CRANES, BOTH, None)
        took = time.monotonic() - started
    finally:
        await provider.close()
    assert down == Failure("wikidata", "503", transient=True)
    assert cut_short == Failure("wikidata", "malformed", transient=False)
    assert slow == Failure("wikidata", "timeout") and took < 0.3 + 0.15, took
