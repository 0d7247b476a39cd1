"""Finding the club's film among imported namesakes, through the real autocomplete and /film show.

The catalogue holds the bundled films plus an IMDb import (real file shapes, see
tests/catalogue/test_imdb_real_files.py) of 60 other films that normalise to "mother": Bong Joon-ho's
Madeo ("Mother", 2009), Aronofsky's "mother!" (2017), Pudovkin's Mat (1926), five more of 1955, and
dozens more popular on IMDb than the club's Mother (1955), which is on a bundled list.
"""

from __future__ import annotations

import discord
import pytest

from bot.catalogue.imdb import import_imdb
from bot.catalogue.imdb.files import AKAS, BASICS, CREW, NAMES, RATINGS
from tests.catalogue.test_imdb_real_files import N, aka, basics, name, write
from tests.cogs.film_helpers import rate

OURS = "mother-1955"


def namesakes(folder) -> None:
    rows, votes, crew, people, akas = [], [], [], [], []
    films = [
        ("tt1216496", "Madeo", "2009", "Bong Joon Ho", 110_000),
        ("tt5109784", "mother!", "2017", "Darren Aronofsky", 250_000),
        ("tt0017224", "Mat", "1926", "Vsevolod Pudovkin", 6_000),
    ]
    films += [(f"tt90000{n:02d}", "Mother", "1955", f"Director Fiftyfive {n}", 40_000 + n) for n in range(5)]
    films += [(f"tt91000{n:02d}", "Mother", str(1870 + n), f"Director Number {n}", 20_000 + n * 100)
              for n in range(52)]
    for n, (tconst, original, year, director, count) in enumerate(films):
        title = "Mother" if original in ("Madeo", "Mat") else original
        rows.append(basics(tconst, title, year, "Drama", original=original))
        votes.append([tconst, "7.0", str(count)])
        nconst = f"nm80000{n:02d}"
        crew.append([tconst, nconst, N])
        people.append(name(nconst, director))
        akas.append(aka(tconst, 1, "Мать", "RU", N))
    write(folder, BASICS, rows)
    write(folder, RATINGS, votes)
    write(folder, CREW, crew)
    write(folder, NAMES, people)
    write(folder, AKAS, akas)


@pytest.fixture
async def crowded(club, tmp_path):
    namesakes(tmp_path / "imdb")
    await import_imdb(club.store, tmp_path / "imdb")
    (count,) = await club.store.fetchone("SELECT count(*) FROM film_titles WHERE norm = 'mother'")
    assert count > 50  # the catalogue really is crowded
    return club


async def first_choice(club, typed: str) -> dict:
    choices = await club.alice.autocomplete(club.channel, "film show", "title", typed)
    assert 1 <= len(choices) <= 25, typed
    assert len({choice["name"] for choice in choices}) == len(choices), "namesakes must be told apart"
    return choices[0]


@pytest.mark.parametrize(
    "typed", ["mother", "Mother", "mother 1955", "1955 mother", "мать", "мать 1955", "mat 1955", "mother donskoy",
              "donskoy mother", "mother 1950s"],
)
async def test_the_clubs_mother_is_the_first_suggestion(crowded, typed):
    choice = await first_choice(crowded, typed)
    assert choice == {"name": "Mother (1955) — Mark Donskoy", "value": OURS}, typed


@pytest.mark.parametrize("typed", ["mother 1955", "мать 1955", "1955 mother"])
async def test_film_show_with_typed_text_shows_the_clubs_film(crowded, typed):
    result = await crowded.alice.slash(crowded.channel, "film show", title=typed)
    embed = result.response.embeds[0]
    assert embed.title.startswith("Mother")
    assert "Mark Donskoy" in str(embed.to_dict())


async def test_a_namesake_rated_here_comes_before_the_other_namesakes_of_its_year(crowded):
    # Director Fiftyfive 0's Mother has the fewest votes of the five imported 1955 Mothers.
    film = await crowded.store.films.get_by_key("tt9000000")
    await rate(crowded.store, crowded.guild.id, crowded.boris.id, film.key, 8, "2026-01-01T00:00:00+00:00")
    choices = await crowded.alice.autocomplete(crowded.channel, "film show", "title", "mother 1955")
    values = [choice["value"] for choice in choices]
    # Both are the club's now; between them IMDb's popularity (40,000 votes against the bundle's few).
    assert values[:2] == ["tt9000000", OURS]
    assert set(values[2:]) == {f"tt90000{n:02d}" for n in range(1, 5)}  # the rest of 1955, no other year


async def test_another_server_sees_namesakes_by_popularity(crowded):
    other = crowded.env.create_guild("Other Club")
    channel = other.create_text_channel("films")
    member = other.add_member(crowded.env.create_user("oleg"))
    # The bot syncs its commands to the dev server only; here they are synced to this one as well.
    crowded.bot.tree.copy_global_to(guild=discord.Object(other.id))
    await crowded.bot.tree.sync(guild=discord.Object(other.id))
    await crowded.env.settle()
    film = await crowded.store.films.get_by_key("tt9000000")
    await rate(crowded.store, crowded.guild.id, crowded.boris.id, film.key, 8, "2026-01-01T00:00:00+00:00")
    choices = await member.autocomplete(channel, "film show", "title", "mother 1955")
    values = [choice["value"] for choice in choices]
    # Bundled films are every server's, a rating is only its own server's.
    assert values[0] == OURS
    assert values[1:] == [f"tt90000{n:02d}" for n in (4, 3, 2, 1, 0)]


async def test_the_popular_namesakes_follow_and_a_year_finds_each(crowded):
    choices = await crowded.alice.autocomplete(crowded.channel, "film show", "title", "mother")
    values = [choice["value"] for choice in choices]
    assert values[1:3] == ["tt5109784", "tt1216496"]  # mother! then Madeo: IMDb's popularity after ours
    assert (await first_choice(crowded, "mother 2017"))["value"] == "tt5109784"
    assert (await first_choice(crowded, "mother 2009 bong"))["value"] == "tt1216496"
    assert (await first_choice(crowded, "mother 1926"))["value"] == "tt0017224"
    assert (await first_choice(crowded, "mother 1871"))["value"] == "tt9100001"  # among the least popular


@pytest.mark.parametrize(
    ("typed", "expect"),
    [
        ("mother 3000", "Mother"),  # no year: 3000 is a title word, and the title still offered
        ("1955", "Mother"),  # a year alone: that year's films, the club's first
        ("the", "The"),  # only an article: titles that begin with it
        ("mother " + "x" * 193, None),  # 200 characters of which most match nothing
        ("nobodyovich", None),  # a person who is in no film
        ("@everyone 1955", None),  # a mention string is only a word, which no title has
    ],
)
async def test_odd_input_through_autocomplete_and_film_show(crowded, typed, expect):
    choices = await crowded.alice.autocomplete(crowded.channel, "film show", "title", typed)
    assert len(choices) <= 25 and all(len(choice["name"]) <= 100 for choice in choices)
    result = await crowded.alice.slash(crowded.channel, "film show", title=typed)
    if expect is None:
        assert choices == []
        assert result.ephemeral and result.response.content.startswith("No film matching")
        crowded.take_errors()
    else:
        assert choices and choices[0]["name"].startswith(expect), choices[:3]
        assert result.response.embeds[0].title.startswith(expect)
    crowded.assert_pings_no_one()


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("cranes kalatozov", "the-cranes-are-flying-1957"),
        ("kalatozov cranes", "the-cranes-are-flying-1957"),
        ("калатозов", "the-cranes-are-flying-1957"),
        ("tarkovsky", "the-mirror-1975"),
        ("zerkalo 1975", "the-mirror-1975"),
        ("cranes are flying", "the-cranes-are-flying-1957"),
        ("the cranes", "the-cranes-are-flying-1957"),
        ("Tsirk", "circus-1936"),
        ("Cirk", "circus-1936"),
        ("Ja — Kuba", "i-am-cuba-1964"),
        ("Otec soldata", "father-of-a-soldier-1964"),
        ("dom v kotorom ja zhivu", "the-house-i-live-in-1957"),
    ],
)
async def test_each_query_form_through_autocomplete_and_film_show(crowded, typed, key):
    assert (await first_choice(crowded, typed))["value"] == key
    result = await crowded.alice.slash(crowded.channel, "film show", title=typed)
    film = await crowded.store.films.get_by_key(key)
    assert result.response.embeds[0].title.startswith(film.title)


async def test_the_c_ranks_the_titles_beginning_with_the_above_circus(crowded):
    names = [choice["name"] for choice in
             await crowded.alice.autocomplete(crowded.channel, "film show", "title", "the c")]
    circus = next(i for i, name in enumerate(names) if name.startswith("Circus"))
    assert {"The Cranes Are Flying", "The Commissar", "The Childhood of Maxim Gorky"} <= {
        name.split(" (")[0] for name in names[:circus]}
