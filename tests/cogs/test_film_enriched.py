"""Cards with what online providers add, as members see them in the simulated Discord.

Both providers are real (bot.catalogue.providers) and talk to a server the test starts on 127.0.0.1,
which answers in TMDB's and Wikidata's documented formats (tests/fixtures/providers). Nothing here
touches the network.
"""

from __future__ import annotations

import dataclasses
import gzip
import logging
import time
from pathlib import Path

import pytest
import pytest_asyncio

from bot.catalogue.imdb import import_imdb
from bot.catalogue.normalise import normalise
from bot.catalogue.providers import TmdbProvider, WikidataProvider
from bot.config_providers import ProvidersConfig
from bot.store import Store
from bot.store.models import FilmDraft
from tests.catalogue.providers.loopback import Loopback, Reply, Timed, fixture, serve_tmdb, serve_wikidata
from tests.cogs.film_helpers import fields
from tests.conftest import open_club

TOKEN = "eyJhbGciOiJIUzI1NiJ9.kinoclub-test-read-token-7f3a9c"
POSTER = "https://image.tmdb.org/t/p/w342/cranesPoster.jpg"
TMDB_CREDIT = "This product uses the TMDB API but is not endorsed or certified by TMDB."
CRANES_TT = "tt0050634"
NOWHERE = "http://127.0.0.1:9"  # nothing listens on the discard port: a provider that is down


@pytest.fixture
def config(config):
    """No bundled films or lists: the catalogue holds only what a test puts there, and nothing is
    looked up ahead of time, so each test's provider traffic is its own."""
    config = dataclasses.replace(config, catalogue=dataclasses.replace(config.catalogue, load_on_start=False))
    return dataclasses.replace(config, providers=ProvidersConfig(wikidata=False, tmdb=False))


@pytest_asyncio.fixture
async def server():
    loopback = Loopback()
    await loopback.start()
    try:
        yield loopback
    finally:
        await loopback.stop()


def club_with(config, providers):
    """The real bot from `create_bot`, with these providers, logged in to SimCord with one server."""
    return open_club(config, providers)


def both(server: Loopback, timeout: float = 1.0) -> list:
    return [
        TmdbProvider(TOKEN, base_url=serve_tmdb(server), timeout=timeout),
        WikidataProvider(None, base_url=serve_wikidata(server), timeout=timeout),
    ]


@pytest_asyncio.fixture
async def online(config, server):
    async with club_with(config, both(server)) as club:
        yield club


async def imported_cranes(store: Store) -> int:
    """The Cranes Are Flying as an IMDb import leaves it: names, year, runtime; no synopsis, no poster."""
    draft = FilmDraft(key=CRANES_TT, title="The Cranes Are Flying", source="imdb", original_title="Летят журавли",
                      year=1957, runtime=97, imdb_id=50634, directors=("Mikhail Kalatozov",))
    async with store.transaction() as tx:
        film_id, _ = await store.films.upsert(tx, draft, normalise)
    return film_id


def timed(club) -> Timed:
    club.env.backend.http_requests = Timed(club.env.backend.http_requests)
    return club.env.backend.http_requests


def card_sends(club) -> list[tuple[str, int, dict]]:
    """(method, index in the request log, embed) of every interaction answer and edit carrying a card."""
    out = []
    for n, request in enumerate(club.env.http_requests):
        body = request.json if isinstance(request.json, dict) else {}
        body = body.get("data", body) if "/callback" in request.path else body
        for embed in (body or {}).get("embeds") or []:
            if embed.get("title", "").startswith(("The Cranes Are Flying", "Летят журавли")):
                out.append((request.method, n, embed))
    return out


async def cached_rows(store: Store) -> int:
    return await store.enrichment.count()


# ------------------------------------------------------------------------------- posters and synopses


async def test_an_english_member_sees_the_poster_and_tmdbs_synopsis(online, server):
    await imported_cranes(online.store)
    result = await online.alice.slash(online.channel, "film show", title=CRANES_TT)
    (card,) = result.response.embeds
    assert card.title == "The Cranes Are Flying (1957)"
    assert card.thumbnail.url == POSTER  # w342 from TMDB's image host, never "original"
    assert card.description.startswith("Moscow, 1941. Veronika and Boris are in love")
    assert "[Trailer](https://www.youtube.com/watch?v=trailerKeyRu)" in fields(card)["Links"]
    assert card.footer.text == "Poster and texts: TMDB. " + TMDB_CREDIT
    assert "Where to watch (US)" not in fields(card)  # no region set: no offers shown
    # The film was matched by its IMDb id through /find, and the token went to TMDB alone.
    assert "/3/find/tt0050634" in server.paths()
    sent = {seen.path: seen.headers.get("Authorization") for seen in server.seen}
    assert sent["/3/find/tt0050634"] == f"Bearer {TOKEN}" and sent["/w/api.php"] is None
    assert all("original" not in e.get("thumbnail", {}).get("url", "") for _m, _n, e in card_sends(online))


async def test_a_russian_server_reads_the_russian_synopsis_tagline_and_where_to_watch(online, server):
    await imported_cranes(online.store)
    assert (await online.mod.slash(online.channel, "club language", language="ru")).ephemeral
    assert (await online.mod.slash(online.channel, "club region", code="RU")).ephemeral
    result = await online.alice.slash(online.channel, "film show", title=CRANES_TT)
    (card,) = result.response.embeds
    assert card.title == "Летят журавли (1957)"
    assert card.thumbnail.url == POSTER
    tagline, synopsis = card.description.split("\n\n")
    assert tagline == "*Фильм о любви и верности*"
    assert synopsis.startswith("Москва, 1941 год. Вероника и Борис любят друг друга")
    shown = fields(card)
    assert shown["Где посмотреть (RU)"].splitlines()[0] == "Подписка: Okko, Kion"  # TMDB's display order
    offers = "https://www.themoviedb.org/movie/38360-the-cranes-are-flying/watch?locale=RU"
    assert f"[Все предложения на TMDB]({offers})" in shown["Где посмотреть (RU)"]
    assert "JustWatch" in card.footer.text and "TMDB" in card.footer.text
    assert "Where" not in card.footer.text  # the credit is in the server's language too


# -------------------------------------------------------------------- the first answer never waits


async def test_the_card_is_sent_plain_at_once_and_edited_when_the_slow_provider_answers(online, server):
    await imported_cranes(online.store)
    server.latency = 0.6  # every provider answer comes 0.6 s after its request
    log = timed(online)
    started = time.perf_counter()
    result = await online.alice.slash(online.channel, "film show", title=CRANES_TT)

    (first, *edits) = card_sends(online)
    method, at, plain = first
    assert method == "POST" and "/callback" in online.env.http_requests[at].path
    assert log.at[at] - started < 0.3, "the first answer waited on the providers"
    assert "thumbnail" not in plain and "footer" not in plain
    assert plain["title"] == "The Cranes Are Flying (1957)" and "description" not in plain  # no synopsis yet
    (edit,) = edits
    assert edit[0] == "PATCH" and "@original" in online.env.http_requests[edit[1]].path
    assert log.at[edit[1]] - started >= 0.6  # after the server's answer, not before
    assert edit[2]["thumbnail"]["url"] == POSTER
    # The member's message is the edited one: one message, now with the poster.
    assert result.response.embeds[0].thumbnail.url == POSTER
    assert await cached_rows(online.store) == 2  # TMDB's and Wikidata's answers, for the next card

    server.latency = 0.0
    before = len(server.seen)
    again = await online.boris.slash(online.channel, "film show", title=CRANES_TT)
    assert again.response.embeds[0].thumbnail.url == POSTER
    (_m, _n, cached_card) = card_sends(online)[-1]
    assert _m == "POST" and cached_card["thumbnail"]["url"] == POSTER  # from the cache, in the first answer
    assert len(server.seen) == before  # and nothing was asked again


# ---------------------------------------------------------------------------- failures say nothing


def refuse_everything(server: Loopback, reply: Reply) -> None:
    for path in ("/3/find/tt0050634", "/3/movie/38360", "/w/api.php"):
        server.route(path, reply)


async def plain_card(config, film_key: str = CRANES_TT) -> dict:
    """The card an offline bot shows, for the same film and server: what a failing provider must leave."""
    async with club_with(config, []) as offline:
        if await offline.store.films.get_by_key(film_key) is None:
            await imported_cranes(offline.store)
        result = await offline.alice.slash(offline.channel, "film show", title=film_key)
        return result.response.embeds[0].to_dict()


@pytest.mark.parametrize(
    "reply",
    [
        Reply(fixture("tmdb_error_25.json"), status=429, headers={"Retry-After": "120"}),
        Reply({"status_code": 11, "status_message": "Internal error."}, status=500),
        Reply(b"<html><body>502 Bad Gateway</body></html>", status=502),
    ],
    ids=["429 Retry-After", "500", "502 html"],
)
async def test_a_provider_that_fails_leaves_todays_card_at_once_and_nothing_cached(config, server, reply):
    async with club_with(config, both(server)) as club:
        await imported_cranes(club.store)
        refuse_everything(server, reply)
        log = timed(club)
        started = time.perf_counter()
        result = await club.alice.slash(club.channel, "film show", title=CRANES_TT)
        sends = card_sends(club)
        assert [method for method, _n, _e in sends] == ["POST"]  # no edit: nothing arrived to add
        assert log.at[sends[0][1]] - started < 0.3
        shown = result.response.embeds[0].to_dict()
        assert await cached_rows(club.store) == 0  # a transient failure is never remembered
        if reply.status == 429:
            asked = len(server.seen)
            await club.boris.slash(club.channel, "film show", title=CRANES_TT)
            # Retry-After honoured: TMDB is not asked again for two minutes (Wikidata, another host
            # in production, shares this test server's address and so its silence too).
            assert len(server.seen) == asked
        club.take_errors()
    assert shown == await plain_card(config)
    text = repr(shown).lower()
    assert not any(word in text for word in ("error", "unavailable", "tmdb", "wikidata", "failed", "timeout"))


async def test_a_provider_that_is_down_leaves_todays_card(config):
    down = [TmdbProvider(TOKEN, base_url=NOWHERE), WikidataProvider(None, base_url=NOWHERE)]
    async with club_with(config, down) as club:
        await imported_cranes(club.store)
        log = timed(club)
        started = time.perf_counter()
        result = await club.alice.slash(club.channel, "film show", title=CRANES_TT)
        ((method, at, _embed),) = card_sends(club)
        assert method == "POST" and log.at[at] - started < 0.3
        shown = result.response.embeds[0].to_dict()
        assert await cached_rows(club.store) == 0
    assert shown == await plain_card(config)


# ------------------------------------------------------------------------------------------ offline


async def test_offline_the_card_is_the_catalogues_alone_and_no_online_search_is_offered(config, server):
    async with club_with(config, []) as club:
        await imported_cranes(club.store)
        result = await club.alice.slash(club.channel, "film show", title=CRANES_TT)
        (card,) = result.response.embeds
        assert [method for method, _n, _e in card_sends(club)] == ["POST"]
        assert card.thumbnail.url is None and card.footer.text is None and card.description is None
        assert list(fields(card)) == ["Original title", "Director", "Runtime", "Club rating", "Links"]
        assert fields(card)["Links"].startswith("[IMDb](https://www.imdb.com/title/tt0050634/)")
        choices = await club.alice.autocomplete(club.channel, "film show", "title", "Ivan's Childhood")
        assert choices == []
        assert await cached_rows(club.store) == 0
    assert server.seen == []


# --------------------------------------------------------------------------------- any film on demand


def write_tsv_gz(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """One of IMDb's dataset files as published: gzip, tab-separated, a header row, \\N for null."""
    lines = ["\t".join(header), *("\t".join(row) for row in rows)]
    with gzip.open(path, "wt", encoding="utf-8", newline="\n") as stream:
        stream.write("\n".join(lines) + "\n")


async def test_an_online_search_adds_the_film_found_locally_then_merged_with_an_imdb_import(online, server, tmp_path):
    club = online
    choices = await club.alice.autocomplete(club.channel, "film show", "title", "Летят журавли")
    assert choices[-1] == {"name": "Search online for “Летят журавли”", "value": "online:Летят журавли"}
    assert len(choices) == 1  # the catalogue has nothing like it

    asked = len(club.env.http_requests)
    found = await club.alice.slash(club.channel, "film show", title=choices[-1]["value"])
    callbacks = [r.json for r in club.env.http_requests[asked:] if "/callback" in r.path]
    assert callbacks[0]["type"] == 5  # deferred ("thinking…") at once: the providers may take seconds
    results = found.response
    (listing,) = results.embeds
    assert listing.title == "Found online: 1 film"
    assert listing.description == "1. The Cranes Are Flying (1957) — Mikhail Kalatozov"
    assert await club.store.films.by_imdb(50634) is None  # nothing is added before the member picks

    picked = await club.alice.select(results.message, ["0"])
    film = await club.store.films.by_imdb(50634)
    assert film is not None and film.key == CRANES_TT and film.source == "imdb"
    assert (film.title, film.year) == ("The Cranes Are Flying", 1957)
    assert "Mikhail Kalatozov" in film.directors
    origin = await club.store.enrichment.origin(film.id)
    assert (origin.provider, origin.provider_id, origin.added_by, origin.guild_id) == (
        "wikidata", "Q1146291", club.alice.id, club.guild.id)
    (row,) = await club.store.fetchall("SELECT provider, added_by FROM film_origins")
    assert tuple(row) == ("wikidata", club.alice.id)
    # The search's message becomes the added film's card, its menu gone.
    assert picked.response.id == results.id and picked.response.components == []
    assert picked.response.embeds[0].title == "The Cranes Are Flying (1957)"

    # Found locally from now on, in either language, without going online.
    asked = len(server.seen)
    again = await club.boris.autocomplete(club.channel, "film show", "title", "Летят журав")
    assert again[0]["value"] == CRANES_TT
    shown = await club.boris.slash(club.channel, "film show", title=CRANES_TT)
    assert shown.response.embeds[0].title == "The Cranes Are Flying (1957)"
    assert not [seen for seen in server.seen[asked:] if "search" in seen.path or "wbsearch" in str(seen.query)]
    await club.alice.slash(club.channel, "rate", film=CRANES_TT, score=9)
    assert (await club.store.ratings.get(club.guild.id, club.alice.id, film.id)).score == 9

    # A later IMDb import of the same tconst updates that film in place: one film, its rating kept.
    folder = tmp_path / "imdb"
    folder.mkdir()
    write_tsv_gz(folder / "title.basics.tsv.gz",
                 ("tconst", "titleType", "primaryTitle", "originalTitle", "isAdult", "startYear", "endYear",
                  "runtimeMinutes", "genres"),
                 [("tt0050634", "movie", "The Cranes Are Flying", "Letyat zhuravli", "0", "1957", "\\N", "97",
                   "Drama,Romance,War")])
    write_tsv_gz(folder / "title.ratings.tsv.gz", ("tconst", "averageRating", "numVotes"),
                 [("tt0050634", "8.2", "23456")])
    report = await import_imdb(club.store, folder)
    assert report.merge.films_added == 0
    (count,) = await club.store.fetchone("SELECT count(*) FROM films WHERE imdb_id = 50634")
    assert count == 1
    merged = await club.store.films.by_imdb(50634)
    assert merged.id == film.id and merged.runtime == 97
    assert merged.imdb_votes == 23456
    assert (await club.store.ratings.get(club.guild.id, club.alice.id, film.id)).score == 9
    assert (await club.store.enrichment.origin(film.id)).provider == "wikidata"


@pytest.mark.parametrize("typed", ["@everyone `x`", "\x1b[31mzz\u202e", "y" * 150])
async def test_an_online_search_that_finds_nothing_says_so_without_echoing_controls_or_pinging(online, server, typed):
    """Both providers answer "no match" in their documented empty shapes (TMDB's empty page, Wikidata's
    empty `search` list); the reply quotes what was typed, cleaned and clipped, and pings no one."""
    server.route("/3/search/movie", Reply({"page": 1, "results": [], "total_pages": 0, "total_results": 0}))
    server.route("/w/api.php", lambda request: Reply(
        {"searchinfo": {"search": request.query.get("search", "")}, "search": [], "success": 1}
    ))
    result = await online.alice.slash(online.channel, "film show", title=f"online:{typed}")
    said = result.response.content  # the deferred reply, completed by the followup
    assert said.startswith("Nothing online matches “") and "or the film sources are not answering" in said
    assert "\x1b" not in said and "\u202e" not in said and "`" not in said
    assert len(said) < 200  # 150 typed characters are clipped to 80
    online.assert_pings_no_one()
    assert tuple(await online.store.fetchone("SELECT count(*) FROM film_origins")) == (0,)  # nothing was added


# ------------------------------------------------------------------------------------ the TMDB token


async def test_the_token_is_never_in_logs_messages_or_errors(config, server, caplog):
    caplog.set_level(logging.DEBUG)
    async with club_with(config, both(server)) as club:
        film_id = await imported_cranes(club.store)
        await club.alice.slash(club.channel, "film show", title=CRANES_TT)
        await club.alice.autocomplete(club.channel, "film show", "title", "Иваново детство")
        await club.alice.slash(club.channel, "film show", title="online:Иваново детство")
        server.route("/3/find/tt0050634", Reply({"status_code": 7, "status_message": "Invalid API key: You must be "
                                                 "granted a valid key.", "success": False}, status=401))
        await club.store.enrichment.purge("9999-01-01T00:00:00+00:00")  # everything expired: asked again
        refused = await club.boris.slash(club.channel, "film show", title=CRANES_TT)
        assert refused.response.embeds[0].thumbnail.url is None  # TMDB refused the token: no poster, no error
        assert await club.store.enrichment.get(film_id, "tmdb") is None  # nor is the refusal kept
        await club.mod.slash(club.channel, "about")
        errors = club.take_errors()
        sent = repr([(r.method, r.path, r.params, r.json) for r in club.env.http_requests])
        transcript = club.env.transcript()
    assert any(seen.headers.get("Authorization") == f"Bearer {TOKEN}" for seen in server.seen)  # it was used
    secret = TOKEN.split(".")[-1]
    for where, text in (("log", caplog.text), ("messages", sent), ("errors", repr(errors)),
                        ("transcript", transcript), ("provider", repr(both(server)))):
        assert secret not in text, where


# ------------------------------------------------------------------------------------------ attribution


async def test_an_enriched_card_credits_tmdb_and_justwatch_and_about_lists_the_notices(online, server):
    await imported_cranes(online.store)
    await online.mod.slash(online.channel, "club region", code="US")
    result = await online.alice.slash(online.channel, "film show", title=CRANES_TT)
    (card,) = result.response.embeds
    assert card.footer.text == "Poster and texts: TMDB. " + TMDB_CREDIT + " Where to watch: JustWatch."
    assert "Where to watch (US)" in fields(card)
    about = (await online.alice.slash(online.channel, "about")).response.embeds[0]
    notices = {field.name: field.value for field in about.fields}
    assert set(notices) == {"TMDB", "JustWatch", "Wikidata", "IMDb"}  # the film came from IMDb's datasets
    assert notices["TMDB"].startswith(TMDB_CREDIT)
