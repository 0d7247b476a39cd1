"""One query language: title words plus, in any order and script, a year or decade and a person's name."""

from __future__ import annotations

import pytest

from bot.catalogue.query import Match, parse
from bot.catalogue.search import Catalogue


@pytest.fixture
def catalogue(catalogue_store):
    return Catalogue(catalogue_store)


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("mother 1955", "Mother"),  # title words narrowed by the year
        ("1955 mother", "Mother"),  # the year first
        ("mother 1950s", "Mother"),  # a decade
        ("мать 1955", "Mother"),  # another script
        ("zerkalo 1975", "The Mirror"),  # an alias with the year
        ("cranes kalatozov", "The Cranes Are Flying"),  # title words and a director's surname
        ("kalatozov cranes", "The Cranes Are Flying"),  # the person first
        ("калатозов", "The Cranes Are Flying"),  # a person alone, Cyrillic: their films by popularity
        ("tarkovsky", "The Mirror"),  # a person alone
        ("andrei tarkovsky 1975", "The Mirror"),  # full name and year
        ("samoilova", "The Cranes Are Flying"),  # an actor
        ("cranes are flying", "The Cranes Are Flying"),  # the leading article left out
        ("the cranes", "The Cranes Are Flying"),  # the leading article typed
        ("the cr", "The Cranes Are Flying"),  # article and a short prefix
    ],
)
async def test_each_query_form_finds_the_intended_film_first(catalogue, query, title):
    hits = await catalogue.search(query)
    assert hits, query
    assert hits[0].film.title == title


async def test_a_year_narrows_the_title_hits(catalogue):
    assert [hit.film.year for hit in await catalogue.search("mother 1955")] == [1955]
    kalatozov = [hit.film.title for hit in await catalogue.search("kalatozov")]
    assert set(kalatozov) == {"The Cranes Are Flying", "I Am Cuba"}
    assert [hit.film.title for hit in await catalogue.search("kalatozov 1964")] == ["I Am Cuba"]
    assert {hit.match for hit in await catalogue.search("tarkovsky")} == {Match.CREDIT}


async def test_a_year_alone_lists_that_years_films(catalogue):
    hits = await catalogue.search("1955")
    assert {hit.film.title for hit in hits} == {"Mother", "The Mexican"}
    assert {hit.match for hit in hits} == {Match.YEAR}


@pytest.mark.parametrize("query", ["th", "the", "the c"])
async def test_a_typed_article_ranks_titles_starting_with_it_first(catalogue, query):
    titles = [hit.film.title for hit in await catalogue.search(query)]
    assert titles
    starting = [title.startswith("The ") for title in titles]
    assert starting[0]
    assert starting == sorted(starting, reverse=True)  # no "The …" title below another one


async def test_the_c_puts_the_cranes_above_circus(catalogue):
    # "c" also begins Circus (and its alias "The Circus"); the typed article prefers the display title.
    titles = [hit.film.title for hit in await catalogue.search("the c")]
    assert titles.index("The Cranes Are Flying") < titles.index("Circus")
    assert all(title.startswith("The ") for title in titles[: titles.index("Circus")])


def test_parse_reads_years_decades_and_articles():
    assert parse("1955 Mother") == parse("mother 1955")
    assert parse("mother 1955").years == (1955, 1955)
    assert parse("1950s").years == (1950, 1959)
    assert parse("The C").article == "the"
    assert parse("3000").years is None and parse("3000").words == "3000"
    assert parse("0999").years is None


@pytest.mark.parametrize(
    "query",
    ["3000", "0999", "nobodyovich", "the", "a", "1955", "<@123> 1955", "@everyone", "mother 3000",
     "mother 1990", "1955s", "kalatozov 1990", "ж" * 300, "mother 1955 " * 20],
)
async def test_odd_queries_raise_nothing_and_stay_sensible(catalogue, query):
    hits = await catalogue.search(query)
    assert len(hits) <= 25
    labels = await catalogue.suggest(query)
    assert [label.id for label in labels] == [hit.film.id for hit in hits]


async def test_odd_queries_find_what_they_should(catalogue):
    assert await catalogue.search("nobodyovich") == []
    assert await catalogue.search("kalatozov 1990") == []
    # A wrong year still offers the title rather than nothing.
    assert (await catalogue.search("mother 1990"))[0].film.title == "Mother"
    assert (await catalogue.search("mother 1955 " * 20))[0].film.title == "Mother"
    assert (await catalogue.resolve("mother 1955")).key == "mother-1955"


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("cra fly", "The Cranes Are Flying"),  # each word begins a title word
        ("ranes", "The Cranes Are Flying"),  # inside a word
        ("crnaes are flying", "The Cranes Are Flying"),  # a swap of neighbours
        ("mother 3000", "Mother"),  # no year and no title word: dropped
        ("Ja — Kuba", "I Am Cuba"),
        ("letiat zhuravli", "The Cranes Are Flying"),
    ],
)
async def test_the_readmes_examples_find_what_it_says(catalogue, query, title):
    assert (await catalogue.search(query))[0].film.title == title


def test_a_last_letter_that_begins_a_two_letter_spelling_is_read_both_ways():
    assert (parse("the c").words, parse("the c").open_end) == ("ts", "ch")  # Circus (ts…) and Childhood (ch…)
    assert parse("k").open_end == "h"  # Khrustalyov folds to hrustaliov
    assert parse("y").open_end == "e"  # Yolki folds to elki
    assert parse("ch").open_end is None and parse("Ц").open_end is None and parse("mother 1955").open_end is None


async def test_a_lone_c_finds_titles_beginning_with_ch_and_with_c(catalogue):
    titles = {hit.film.title for hit in await catalogue.search("c")}
    assert {"The Childhood of Maxim Gorky", "Circus", "The Cranes Are Flying"} <= titles


async def test_a_short_surname_beside_title_words_finds_the_film_among_namesakes(catalogue_store):
    from bot.catalogue.normalise import normalise
    from bot.store.models import FilmDraft

    async with catalogue_store.transaction() as tx:
        for n in range(30):  # more popular namesakes by other directors
            draft = FilmDraft(key=f"mood-{n}", title="In the Mood for Love", source="moderator",
                              directors=(f"Director Number{n}",), popularity=1000 + n)
            await catalogue_store.films.upsert(tx, draft, normalise)
        draft = FilmDraft(key="wkw", title="In the Mood for Love", source="moderator", year=2000,
                          directors=("Wong Kar Wai",), popularity=1)
        await catalogue_store.films.upsert(tx, draft, normalise)
    catalogue = Catalogue(catalogue_store)
    for query in ("in the mood for love wai", "mood for love wong", "wai mood", "mood for love wong kar wai"):
        assert (await catalogue.search(query))[0].film.key == "wkw", query
