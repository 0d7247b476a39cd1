"""TMDB against a loopback server answering in TMDB's documented shapes, errors included."""

from __future__ import annotations

import logging
import time

from bot.catalogue.providers import USER_AGENT, Failure, TmdbProvider
from bot.catalogue.providers.base import Watch
from bot.catalogue.providers.tmdb import image_url
from tests.catalogue.providers.loopback import Reply, fixture, serve_tmdb

TOKEN = "eyJhbGciOiJIUzI1NiJ9.kinoclub-test-read-token.c2VjcmV0"
BOTH = ("en", "ru")


def tmdb(base_url: str, **options) -> TmdbProvider:
    return TmdbProvider(TOKEN, base_url=base_url, **options)


async def test_a_film_found_by_its_imdb_id_has_texts_in_both_languages(server):
    provider = tmdb(serve_tmdb(server))
    try:
        film = await provider.by_imdb(50634, BOTH, "RU")
    finally:
        await provider.close()

    assert film.provider == "tmdb" and film.provider_id == "tmdb:movie:38360"
    assert (film.title, film.titles["ru"], film.original_title) == (
        "The Cranes Are Flying", "Летят журавли", "Летят журавли")
    assert (film.year, film.runtime, film.imdb_id, film.tmdb_id) == (1957, 97, 50634, 38360)
    assert film.directors == ("Mikhail Kalatozov",)  # the cinematographer and the writer are crew, not directors
    assert film.cast == ("Tatiana Samoilova", "Aleksey Batalov", "Vasili Merkuryev", "Aleksandr Shvorin",
                         "Svetlana Kharitonova")  # billing order, first five
    assert film.countries == ("Soviet Union",)
    assert film.synopses["en"].startswith("Moscow, 1941. Veronika and Boris")
    assert film.synopses["ru"].startswith("Москва, 1941 год.")
    assert "fr" not in film.synopses
    assert film.tagline == {"ru": "Фильм о любви и верности"}  # TMDB's empty English tagline is no tagline
    assert (film.poster_path, film.backdrop_path) == ("/cranesPoster.jpg", "/cranesBackdrop.jpg")
    assert film.trailer == "trailerKeyRu"  # the clip is not a trailer
    assert next(offer for offer in film.watch if offer.region == "RU") == Watch(
        "RU", "https://www.themoviedb.org/movie/38360-the-cranes-are-flying/watch?locale=RU",
        stream=("Okko", "Kion"), buy=("Ivi",))

    find, movie = server.seen
    assert find.path == "/3/find/tt0050634" and find.query == {"external_source": "imdb_id"}
    assert movie.path == "/3/movie/38360"
    assert movie.query["append_to_response"] == "credits,videos,watch/providers,translations"
    for seen in server.seen:
        assert seen.headers["Authorization"] == f"Bearer {TOKEN}"
        assert seen.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("kinoclub/0.1.0 (+https://")


async def test_where_to_watch_holds_every_region_of_the_one_answer(server):
    """One cached answer serves a Russian and an American server alike; a region TMDB lists nothing
    for (DE here) has no entry, so its card shows no offers."""
    provider = tmdb(serve_tmdb(server))
    try:
        us = await provider.details("tmdb:movie:38360", ("en",), "US")
        no_region = await provider.details("tmdb:movie:38360", ("en",), None)
    finally:
        await provider.close()
    assert next(offer for offer in us.watch if offer.region == "US") == Watch(
        "US", "https://www.themoviedb.org/movie/38360-the-cranes-are-flying/watch?locale=US",
        stream=("Criterion Channel",), rent=("Apple TV",))
    assert {offer.region for offer in us.watch} == {"RU", "US"} and "DE" not in {o.region for o in us.watch}
    assert no_region.watch == us.watch
    assert set(us.synopses) == {"en"}  # only the languages asked for


async def test_a_film_without_a_poster_has_no_image_paths(server):
    provider = tmdb(serve_tmdb(server))
    try:
        film = await provider.details("tmdb:movie:612345", BOTH, "RU")
    finally:
        await provider.close()
    assert (film.poster_path, film.backdrop_path, film.trailer) == (None, None, None)
    assert (film.year, film.runtime, film.imdb_id) == (None, None, None)  # "" and 0 are TMDB's "unknown"
    assert film.synopses == {} and film.tagline == {} and film.watch == ()
    assert film.title == "Тихий двор"


def test_image_urls_are_sized():
    assert image_url("/abc.jpg") == "https://image.tmdb.org/t/p/w342/abc.jpg"
    assert image_url("/abc.jpg", size="w780") == "https://image.tmdb.org/t/p/w780/abc.jpg"


async def test_an_unknown_film_is_not_found(server):
    serve_tmdb(server)
    server.route("/3/find/tt9999999", Reply(fixture("tmdb_find_empty.json")))
    provider = tmdb(server.url + "/3")
    try:
        unknown_imdb = await provider.by_imdb(9_999_999, BOTH, "RU")
        missing_movie = await provider.details("tmdb:movie:1", BOTH, "RU")  # TMDB answers 404, status_code 34
        not_ours = await provider.details("Q1146291", BOTH, "RU")
    finally:
        await provider.close()
    assert unknown_imdb is None and missing_movie is None and not_ours is None
    assert server.paths() == ["/3/find/tt9999999", "/3/movie/1"]


async def test_a_server_error_is_a_transient_failure(server):
    server.route("/3/find/tt0050634", Reply(fixture("tmdb_error_11.json"), status=500))
    provider = tmdb(server.url + "/3")
    try:
        answer = await provider.by_imdb(50634, BOTH, "RU")
    finally:
        await provider.close()
    assert answer == Failure("tmdb", "500", transient=True)


async def test_a_slow_answer_times_out_within_the_budget(server):
    serve_tmdb(server)
    server.route("/3/movie/38360", Reply(fixture("tmdb_movie_38360.json"), delay=3.0))
    provider = tmdb(server.url + "/3", timeout=0.4)
    try:
        started = time.monotonic()
        answer = await provider.by_imdb(50634, BOTH, "RU")
        took = time.monotonic() - started
    finally:
        await provider.close()
    assert answer == Failure("tmdb", "timeout")
    assert 0.4 <= took < 0.4 + 0.15, took


async def test_malformed_json_is_a_lasting_failure(server):
    server.route("/3/movie/38360", Reply(b'{"id": 38360, "title": "The Cranes Are Fl'))
    server.route("/3/find/tt0050634", Reply([]))  # valid JSON, not TMDB's shape
    provider = tmdb(server.url + "/3")
    try:
        cut_short = await provider.details("tmdb:movie:38360", BOTH, "RU")
        wrong_shape = await provider.by_imdb(50634, BOTH, "RU")
    finally:
        await provider.close()
    assert cut_short == Failure("tmdb", "malformed", transient=False)
    assert wrong_shape == Failure("tmdb", "malformed", transient=False)


async def test_a_429_silences_the_host_until_retry_after_has_passed(server):
    serve_tmdb(server)
    server.route("/3/find/tt0050634", Reply(fixture("tmdb_error_25.json"), status=429, headers={"Retry-After": "1"}))
    provider = tmdb(server.url + "/3")
    try:
        first = await provider.by_imdb(50634, BOTH, "RU")
        started = time.monotonic()
        meanwhile = [await provider.by_imdb(50634, BOTH, "RU"), await provider.search("Cranes", None, BOTH)]
        quick = time.monotonic() - started
        assert len(server.seen) == 1  # nothing reached the server while it asked for quiet
        server.route("/3/find/tt0050634", Reply(fixture("tmdb_find_tt0050634.json")))
        await _sleep_until(server.seen[0].at + 1.0)
        after = await provider.by_imdb(50634, BOTH, "RU")
    finally:
        await provider.close()
    assert first == Failure("tmdb", "429", retry_after=1.0)
    for answer in meanwhile:
        assert answer.reason == "429" and answer.transient and 0 < answer.retry_after <= 1.0
    assert quick < 0.05
    assert after.tmdb_id == 38360
    assert server.seen[1].at - server.seen[0].at >= 1.0


async def test_the_token_is_never_logged_nor_in_a_failure(server, caplog):
    serve_tmdb(server)
    server.route("/3/find/tt0000001", Reply(fixture("tmdb_error_7.json"), status=401))
    caplog.set_level(logging.DEBUG)
    provider = tmdb(server.url + "/3")
    closed = tmdb(f"http://127.0.0.1:{_closed_port()}/3")
    try:
        answers = [
            await provider.by_imdb(50634, BOTH, "RU"),
            await provider.by_imdb(1, BOTH, "RU"),
            await closed.by_imdb(50634, BOTH, "RU"),
        ]
    finally:
        await provider.close()
        await closed.close()
    assert answers[0].tmdb_id == 38360
    assert answers[1] == Failure("tmdb", "401", transient=False)
    assert answers[2] == Failure("tmdb", "network")
    assert caplog.records, "the provider logs its requests at DEBUG"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for leak in (logged, repr(answers), repr(provider)):
        assert TOKEN not in leak and "Bearer" not in leak


async def test_search_asks_in_the_readers_language(server):
    provider = tmdb(serve_tmdb(server))
    try:
        films = await provider.search("Летят журавли", 1957, ("ru", "en"))
    finally:
        await provider.close()
    assert [film.provider_id for film in films] == ["tmdb:movie:38360", "tmdb:movie:790001"]
    cranes = films[0]
    assert (cranes.title, cranes.titles, cranes.year) == (None, {"ru": "Летят журавли"}, 1957)
    assert cranes.poster_path == "/cranesPoster.jpg" and cranes.synopses["ru"].startswith("Москва")
    assert films[1].year is None and films[1].poster_path is None
    (seen,) = server.seen
    assert seen.path == "/3/search/movie"
    assert (seen.query["query"], seen.query["year"], seen.query["language"]) == ("Летят журавли", "1957", "ru-RU")


async def _sleep_until(moment: float) -> None:
    import asyncio

    await asyncio.sleep(max(0.0, moment - time.monotonic()) + 0.01)


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
