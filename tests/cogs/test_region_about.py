"""/club region (whose streaming offers cards show) and /about (the version, licence and the notices of
the film sources in use), as members see them in the simulated Discord."""

from __future__ import annotations

import dataclasses

import pytest
import pytest_asyncio

from bot.catalogue.providers import TmdbProvider, WikidataProvider
from bot.club.region import server_region
from bot.config_providers import ProvidersConfig
from bot.store.models import FilmDraft
from cogs._checks import REFUSAL
from tests.conftest import open_club
from tests.locales import speaks

TMDB_NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB."
# Nothing listens here: a provider that is asked anything is refused at once, never reaching the network.
NOWHERE = "http://127.0.0.1:9"


@pytest.fixture
def config(config):
    """No provider from the settings: these tests choose their own, pointed at the loopback address."""
    return dataclasses.replace(config, providers=ProvidersConfig(wikidata=False, tmdb=False))


@pytest_asyncio.fixture
async def online_club(config):
    """The club fixture's bot, with both providers switched on (and nowhere to reach). No bundled lists,
    so nothing is looked up ahead of time: /about asks no provider anything."""
    providers = [TmdbProvider("test-token", base_url=NOWHERE), WikidataProvider(None, base_url=NOWHERE)]
    config = dataclasses.replace(config, catalogue=dataclasses.replace(config.catalogue, load_on_start=False))
    async with open_club(config, providers) as club:
        yield club


# ------------------------------------------------------------------------------------------ /club region


async def test_a_moderator_sets_the_region_and_it_is_recorded(club):
    assert await server_region(club.store, club.guild.id) is None
    shown = await club.mod.slash(club.channel, "club region")
    assert shown.ephemeral and shown.response.content.startswith("No region is set")

    reply = await club.mod.slash(club.channel, "club region", code="ru")
    assert reply.ephemeral
    assert reply.response.content == "Cards now show streaming offers for Russia (RU)."
    assert await server_region(club.store, club.guild.id) == "RU"
    (entry,) = [e for e in await club.store.audit.latest(club.guild.id, 10) if e.action == "club.region"]
    assert (entry.user_id, entry.before, entry.after) == (club.mod.id, None, "RU")

    shown = await club.mod.slash(club.channel, "club region")
    assert shown.response.content == "Cards show streaming offers for Russia (RU)."

    cleared = await club.mod.slash(club.channel, "club region", reset=True)
    assert cleared.response.content == "No region is set now: cards show no streaming offers."
    assert await server_region(club.store, club.guild.id) is None


@pytest.mark.parametrize("code", ["RUS", "Russia", "EU", "ZZ", "r1", "XK"])
async def test_a_code_that_is_no_country_is_refused_and_nothing_changes(club, code):
    await club.mod.slash(club.channel, "club region", code="de")
    reply = await club.mod.slash(club.channel, "club region", code=code)
    assert reply.ephemeral
    assert reply.response.content.startswith(f"“{code}” is not a country code. Use the two letters of ISO 3166-1")
    assert await server_region(club.store, club.guild.id) == "DE"
    club.take_errors()


@pytest.mark.parametrize(
    ("typed", "echoed"),
    [
        ("@everyone", "“@everyone”"),
        ("<@123456789012345678>", "“<@12345678901234567…”"),  # clipped at 20
        ("   ", "“”"),
        ("\x1b[31mRU\u202e", "“[31mRU”"),  # control and bidi characters are not echoed
        ("`RU`", "“RU”"),
        ("x" * 100, "“" + "x" * 19 + "…”"),
    ],
)
async def test_hostile_codes_are_refused_without_echoing_controls_or_pinging_anyone(club, typed, echoed):
    await club.mod.slash(club.channel, "club region", code="de")
    reply = await club.mod.slash(club.channel, "club region", code=typed)
    assert reply.ephemeral
    assert reply.response.content.startswith(f"{echoed} is not a country code.")
    assert await server_region(club.store, club.guild.id) == "DE"
    club.assert_pings_no_one()
    club.take_errors()


async def test_a_russian_moderator_is_answered_in_russian_with_the_countrys_russian_name(club):
    speaks(club.mod, "ru")
    reply = await club.mod.slash(club.channel, "club region", code="de")
    assert reply.response.content == "Теперь карточки показывают, где посмотреть фильм в стране Германия (DE)."
    refused = await club.mod.slash(club.channel, "club region", code="Германия")
    assert refused.ephemeral and refused.response.content.startswith("«Германия» — не код страны.")
    club.take_errors()


async def test_a_plain_member_cannot_change_the_region(club):
    reply = await club.alice.slash(club.channel, "club region", code="us")
    assert reply.ephemeral and reply.response.content == REFUSAL
    assert await server_region(club.store, club.guild.id) is None
    club.take_errors()


@pytest.mark.parametrize(
    ("typed", "language", "first"), [("ru", "en", "RU"), ("germ", "en", "DE"), ("Герм", "ru", "DE"), ("", "en", None)]
)
async def test_the_code_is_suggested_by_code_or_name_in_the_members_language(club, typed, language, first):
    speaks(club.mod, language)
    choices = await club.mod.autocomplete(club.channel, "club region", "code", typed)
    assert 0 < len(choices) <= 25 and all(len(c["name"]) <= 100 for c in choices)
    if first is not None:
        assert choices[0]["value"] == first
    if typed == "Герм":
        assert choices[0]["name"] == "Германия (DE)"


# ------------------------------------------------------------------------------------------------ /about


async def test_about_offline_names_the_version_and_licence_and_credits_no_provider(club):
    reply = await club.alice.slash(club.channel, "about")
    assert reply.ephemeral
    (embed,) = reply.response.embeds
    assert embed.title == "About kinoclub"
    assert "kinoclub 0." in embed.description and "MIT licence" in embed.description
    assert [field.name for field in embed.fields] == []
    assert "No online film source is in use" in embed.footer.text


async def test_about_lists_the_notices_of_the_providers_in_use(online_club):
    club = online_club
    reply = await club.alice.slash(club.channel, "about")
    (embed,) = reply.response.embeds
    fields = {field.name: field.value for field in embed.fields}
    assert list(fields) == ["TMDB", "JustWatch", "Wikidata"]
    assert fields["TMDB"].startswith(TMDB_NOTICE)
    assert "[TMDB logo](https://www.themoviedb.org/assets/" in fields["TMDB"]
    assert "JustWatch" in fields["JustWatch"] and "CC0 1.0" in fields["Wikidata"]
    assert embed.footer.text is None
    assert "IMDb" not in fields  # nothing was imported from IMDb's datasets


async def test_about_shows_imdbs_notice_once_a_film_came_from_its_datasets(club):
    draft = FilmDraft(key="imdb-tt0050634", title="The Cranes Are Flying", source="imdb", imdb_id=50634)
    async with club.store.transaction() as tx:
        await club.store.films.upsert(tx, draft, str.lower)
    reply = await club.alice.slash(club.channel, "about")
    (field,) = reply.response.embeds[0].fields
    assert field.name == "IMDb"
    assert field.value.startswith("Information courtesy of IMDb (https://www.imdb.com). Used with permission.")
    assert "non-commercial" in field.value


async def test_a_russian_member_reads_about_in_russian(online_club):
    club = online_club
    speaks(club.alice, "ru")
    reply = await club.alice.slash(club.channel, "about")
    (embed,) = reply.response.embeds
    assert embed.title == "О kinoclub"
    assert "Свободная программа под лицензией MIT" in embed.description
    fields = {field.name: field.value for field in embed.fields}
    assert fields["TMDB"].startswith("Этот продукт использует API TMDB, но не одобрен и не сертифицирован TMDB.")
    assert fields["JustWatch"].startswith("Где посмотреть: данные [JustWatch]")
    assert "общественном достоянии" in fields["Wikidata"]
