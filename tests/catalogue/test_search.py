"""Search ranking against the bundled catalogue in a real SQLite file."""

from __future__ import annotations

import pytest

from bot.catalogue.normalise import normalise
from bot.catalogue.query import Match, classify
from bot.catalogue.search import Catalogue
from bot.errors import NotFound, UserError
from bot.store.models import FilmDraft


@pytest.fixture
def catalogue(catalogue_store):
    return Catalogue(catalogue_store)


@pytest.mark.parametrize(
    ("query", "title", "match"),
    [
        ("the cranes are flying", "The Cranes Are Flying", Match.EXACT),
        ("cranes", "The Cranes Are Flying", Match.PREFIX),
        ("журавли", "The Cranes Are Flying", Match.WORD_PREFIX),
        ("Летят журавли", "The Cranes Are Flying", Match.EXACT),
        ("letiat zhuravli", "The Cranes Are Flying", Match.EXACT),
        ("are fly", "The Cranes Are Flying", Match.WORD_PREFIX),
        ("ranes are", "The Cranes Are Flying", Match.SUBSTRING),
        ("crnaes", "The Cranes Are Flying", Match.TYPO),
        ("ballad of a soldeir", "Ballad of a Soldier", Match.TYPO),
        ("Зеркало", "The Mirror", Match.EXACT),
        ("zerkalo", "The Mirror", Match.EXACT),
        ("soy cuba", "I Am Cuba", Match.EXACT),
        ("ирония судьбы", "The Irony of Fate", Match.PREFIX),
        ("potemkin", "Battleship Potemkin", Match.EXACT),
    ],
)
async def test_the_intended_film_comes_first(catalogue, query, title, match):
    hits = await catalogue.search(query)
    assert hits[0].film.title == title
    assert hits[0].match is match


async def test_ranking_puts_exact_before_prefix_before_word_prefix_before_substring(catalogue_store):
    catalogue = Catalogue(catalogue_store)
    async with catalogue_store.transaction() as tx:
        for key, title in [("a-1", "Mother"), ("a-2", "Mothers Day"), ("a-3", "A Good Mother"), ("a-4", "Stepmothers")]:
            await catalogue_store.films.upsert(tx, FilmDraft(key=key, title=title, source="moderator"), normalise)
    hits = [hit for hit in await catalogue.search("mother") if hit.film.key.startswith("a-")]
    assert [(hit.film.title, hit.match) for hit in hits] == [
        ("Mother", Match.EXACT),
        ("Mothers Day", Match.PREFIX),
        ("A Good Mother", Match.WORD_PREFIX),
        ("Stepmothers", Match.SUBSTRING),
    ]


async def test_popularity_breaks_ties_within_a_tier(catalogue_store):
    catalogue = Catalogue(catalogue_store)
    async with catalogue_store.transaction() as tx:
        for key, popularity in [("obscure", 1), ("famous", 900)]:
            draft = FilmDraft(key=key, title="Solaris", year=1972, source="moderator", popularity=popularity)
            await catalogue_store.films.upsert(tx, draft, normalise)
    assert [hit.film.key for hit in await catalogue.search("solaris")] == ["famous", "obscure"]


async def test_at_most_25_films_come_back(catalogue_store):
    catalogue = Catalogue(catalogue_store)
    async with catalogue_store.transaction() as tx:
        for n in range(40):
            draft = FilmDraft(key=f"night-{n}", title=f"Night {n}", source="moderator")
            await catalogue_store.films.upsert(tx, draft, normalise)
    hits = await catalogue.search("night")
    assert len(hits) == 25
    assert len({hit.film.id for hit in hits}) == 25


@pytest.mark.parametrize("query", ["", "   ", "!!!", "\x00", "@everyone", "<@123>", "q" * 5000])
async def test_queries_with_nothing_to_find_return_nothing(catalogue, query):
    assert await catalogue.search(query) == []


def test_classify_is_none_when_the_name_does_not_answer():
    assert classify("solaris", "stalker") is None
    assert classify(normalise("cranes fly"), normalise("The Cranes Are Flying")) is Match.WORD_PREFIX


async def test_resolve_takes_a_key_or_typed_text_and_refuses_the_unknown(catalogue):
    assert (await catalogue.resolve("the-mirror-1975")).title == "The Mirror"
    assert (await catalogue.resolve("  Mirror ")).title == "The Mirror"
    with pytest.raises(NotFound, match="No film matching “qqqzzz”"):
        await catalogue.resolve("qqqzzz")
    with pytest.raises(UserError, match="Give a film title"):
        await catalogue.resolve("  ")


async def test_typo_correction_sees_films_added_after_it_first_ran(catalogue_store):
    catalogue = Catalogue(catalogue_store)
    assert await catalogue.search("stalkre") == []
    async with catalogue_store.transaction() as tx:
        await catalogue_store.films.upsert(tx, FilmDraft(key="stalker", title="Stalker", source="moderator"), normalise)
    assert [hit.film.title for hit in await catalogue.search("stalkre")] == ["Stalker"]


async def test_a_corrected_query_ranks_the_title_it_spells_above_more_popular_longer_ones(catalogue_store):
    async with catalogue_store.transaction() as tx:
        for i, title in enumerate(["Plaubust Flea", "Plaubust of the Night", "The Plaubust Slang"]):
            draft = FilmDraft(key=f"long-{i}", title=title, source="moderator", popularity=900 + i)
            await catalogue_store.films.upsert(tx, draft, normalise)
        await catalogue_store.films.upsert(
            tx, FilmDraft(key="plaubust", title="Plaubust", source="moderator", popularity=3), normalise)
    hits = await Catalogue(catalogue_store).search("plaubsut")
    assert [hit.film.title for hit in hits][:2] == ["Plaubust", "The Plaubust Slang"]
    assert {hit.match for hit in hits} == {Match.TYPO}


@pytest.mark.parametrize("query", ["журавли", "ballad", "crnaes", "a", "ranes are"])
async def test_suggestions_are_the_search_results_as_labels(catalogue, query):
    films = [hit.film for hit in await catalogue.search(query)]
    labels = await catalogue.suggest(query)
    assert films
    assert [(label.id, label.key, label.title, label.year, label.directors) for label in labels] == [
        (film.id, film.key, film.title, film.year, film.directors[:1]) for film in films
    ]


async def test_a_last_word_still_being_typed_is_not_corrected_as_a_typo(catalogue_store):
    async with catalogue_store.transaction() as tx:
        for key, title in (("soldier-blue", "Soldier Blue"), ("gold-rush", "The Gold Rush")):
            await catalogue_store.films.upsert(tx, FilmDraft(key=key, title=title, source="moderator"), normalise)
    catalogue = Catalogue(catalogue_store)
    found = await catalogue.search("sold")
    assert found[0].film.title == "Soldier Blue"
    assert "The Gold Rush" not in [hit.film.title for hit in found]
    assert {hit.match for hit in found} == {Match.PREFIX, Match.WORD_PREFIX}
    # Not the beginning of any word: corrected as before ("gold" is one edit away).
    assert "The Gold Rush" in [hit.film.title for hit in await catalogue.search("gokd")]
