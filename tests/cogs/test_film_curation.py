"""/film add, edit, merge and remove as a moderator uses them, and what the store holds afterwards."""

from __future__ import annotations

import pytest

from tests.cogs.film_helpers import CRANES, fields, rate

OLD = "2026-01-01T00:00:00+00:00"
NEW = "2026-02-01T00:00:00+00:00"


async def add(club, **options):
    options = {"title": "Stalker", "year": 1979} | options
    return await club.mod.slash(club.channel, "film add", **options)


async def test_add_writes_a_moderator_film_with_its_facts_and_an_audit_entry(club):
    result = await add(
        club, original_title="Сталкер", directors="Andrei Tarkovsky", cast="Aleksandr Kaidanovsky, Anatoli Solonitsyn",
        runtime=161, countries="Soviet Union", genres="Drama, Science fiction", synopsis="A guide leads two men.",
        imdb_id="tt0079944",
    )
    assert result.ephemeral and result.response.content.startswith("Added “Stalker” (1979) [m-stalker-1979]")
    film = await club.store.films.get_by_key("m-stalker-1979")
    assert film.source == "moderator" and film.added_by == club.mod.id and film.imdb_id == 79944
    assert film.cast == ("Aleksandr Kaidanovsky", "Anatoli Solonitsyn") and film.runtime == 161
    (entry,) = await club.store.audit.latest(club.guild.id, 5)
    assert (entry.action, entry.target, entry.before) == ("film.add", "m-stalker-1979", None)
    assert entry.after["genres"] == ["Drama", "Science fiction"]
    shown = fields((await club.alice.slash(club.channel, "film show", title="stalker")).response.embeds[0])
    assert shown["Club rating"] == "No ratings yet" and "On the club's lists" not in shown
    found = await club.alice.slash(club.channel, "film search", director="andrei tarkovsky")
    assert "Stalker (1979) — Andrei Tarkovsky" in found.response.embeds[0].description


@pytest.mark.parametrize(
    ("options", "said"),
    [
        ({"title": "The Cranes Are Flying", "year": 1957}, "already in the catalogue"),
        ({"title": "Летят журавли", "year": 1957}, "[the-cranes-are-flying-1957]"),
        ({"imdb_id": "tt0050634"}, "already has IMDb id tt0050634"),
        ({"year": 1869}, "between 1870 and"),
        ({"year": 99999}, "between 1870 and"),
        ({"title": ""}, "`title` is empty"),
        ({"title": "   "}, "`title` is empty"),
        ({"title": "x" * 5000}, "at most 200"),
        ({"synopsis": "y" * 2001}, "at most 2,000"),
        ({"directors": "n" * 101}, "at most 100"),
        ({"cast": ", ".join(f"Actor {n}" for n in range(31))}, "at most 30"),
        ({"cast": "z" * 5000}, "too long"),
        ({"imdb_id": "tt123"}, "tt followed by 7 to 9 digits"),
        ({"imdb_id": "0050634"}, "tt followed by 7 to 9 digits"),
        ({"title": "1234 !!!"}, "no letters"),
        ({"title": "Bad\x00title"}, "control characters"),
        ({"directors": "@everyone"}, "mention"),
        ({"cast": "<@&123>"}, "mention"),
        ({"title": "Hi <@123>"}, "mention"),
        ({"runtime": 0}, "minutes"),
        ({"runtime": -5}, "minutes"),
    ],
)
async def test_add_refuses_bad_input_shortly_and_writes_nothing(club, options, said):
    before = await club.store.films.count()
    result = await add(club, **options)
    assert result.ephemeral and said in result.response.content, result.response.content
    assert len(result.response.content) < 400
    assert await club.store.films.count() == before
    assert await club.store.audit.count(club.guild.id) == 0
    club.assert_pings_no_one()


async def test_two_films_with_one_title_in_different_years_get_different_keys(club):
    await add(club)
    await add(club, year=1980)
    assert await club.store.films.get_by_key("m-stalker-1980") is not None


async def test_edit_changes_the_given_fields_and_records_before_and_after(club):
    await add(club, runtime=100)
    result = await club.mod.slash(club.channel, "film edit", film="m-stalker-1979", runtime=161, genres="Drama")
    assert result.ephemeral and result.response.content.startswith("Changed")
    film = await club.store.films.get_by_key("m-stalker-1979")
    assert (film.runtime, film.genres, film.title) == (161, ("Drama",), "Stalker")
    entry = (await club.store.audit.latest(club.guild.id, 1))[0]
    assert entry.action == "film.edit"
    assert entry.before == {"genres": None, "runtime": 100} and entry.after == {"genres": ["Drama"], "runtime": 161}
    await club.mod.slash(club.channel, "film edit", film="m-stalker-1979", runtime=0, genres="-")
    film = await club.store.films.get_by_key("m-stalker-1979")
    assert film.runtime is None and film.genres == ()


async def test_edit_by_exact_title_works_but_a_near_miss_is_refused(club):
    await add(club)
    ok = await club.mod.slash(club.channel, "film edit", film="Stalker", synopsis="Into the Zone.")
    assert ok.response.content.startswith("Changed")
    near = await club.mod.slash(club.channel, "film edit", film="Stalkr", synopsis="x y")
    assert near.ephemeral and "Pick the film from the suggestions" in near.response.content


@pytest.mark.parametrize(
    ("options", "said"),
    [
        ({}, "at least one field"),
        ({"year": 3000}, "between 1870"),
        ({"title": "The Cranes Are Flying", "year": 1957}, "already in the catalogue"),
        ({"title": "Stalker"}, "nothing changed"),
    ],
)
async def test_edit_refusals(club, options, said):
    await add(club)
    result = await club.mod.slash(club.channel, "film edit", film="m-stalker-1979", **options)
    assert result.ephemeral and said in result.response.content


async def test_bundled_films_cannot_be_edited_removed_or_merged_away(club):
    for command, options in [
        ("film edit", {"film": CRANES, "runtime": 90}),
        ("film remove", {"film": CRANES}),
        ("film merge", {"keep": "the-mexican-1955", "duplicate": CRANES}),
    ]:
        result = await club.mod.slash(club.channel, command, **options)
        assert result.ephemeral and "not this server's to change" in result.response.content
    assert (await club.store.films.get_by_key(CRANES)).runtime == 97


async def test_a_film_added_on_another_server_is_not_ours(club):
    from bot.catalogue import film_curation
    from bot.errors import UserError

    await add(club)
    film = await club.store.films.get_by_key("m-stalker-1979")
    with pytest.raises(UserError, match="only films a moderator added here"):
        await film_curation.references(club.store, 777, film)
    assert await film_curation.references(club.store, club.guild.id, film) is not None


async def test_remove_without_references_deletes_at_once(club):
    await add(club)
    result = await club.mod.slash(club.channel, "film remove", film="m-stalker-1979")
    assert result.ephemeral and result.response.content.startswith("Removed")
    assert await club.store.films.get_by_key("m-stalker-1979") is None
    entry = (await club.store.audit.latest(club.guild.id, 1))[0]
    assert entry.action == "film.remove" and entry.after["ratings"] == 0


async def test_remove_with_ratings_asks_first_and_confirm_deletes_them(club):
    await add(club)
    await rate(club.store, club.guild.id, club.alice.id, "m-stalker-1979", 8, OLD)
    result = await club.mod.slash(club.channel, "film remove", film="m-stalker-1979")
    assert result.ephemeral and "1 rating, 0 list entries, 0 weekly picks" in result.response.content
    assert await club.store.films.get_by_key("m-stalker-1979") is not None
    done = await club.mod.click(result.response.message, label="Remove")
    assert "Removed" in done.response.message.content
    assert await club.store.films.get_by_key("m-stalker-1979") is None
    assert (await club.store.counts())["ratings"] == 0
    entry = (await club.store.audit.latest(club.guild.id, 1))[0]
    assert entry.action == "film.remove" and entry.after["ratings"] == 1


async def test_remove_cancelled_changes_nothing(club):
    await add(club)
    await rate(club.store, club.guild.id, club.alice.id, "m-stalker-1979", 8, OLD)
    result = await club.mod.slash(club.channel, "film remove", film="m-stalker-1979")
    await club.mod.click(result.response.message, label="Cancel")
    assert await club.store.films.get_by_key("m-stalker-1979") is not None
    assert (await club.store.counts())["ratings"] == 1


async def test_merge_moves_ratings_keeping_the_newer_and_deletes_the_duplicate(club):
    await add(club, title="Cranes Are Flying", year=1958)
    dup = "m-cranes-are-flying-1958"
    await rate(club.store, club.guild.id, club.alice.id, CRANES, 5, OLD)
    await rate(club.store, club.guild.id, club.alice.id, dup, 9, NEW)  # newer: wins
    await rate(club.store, club.guild.id, club.boris.id, CRANES, 7, NEW)
    await rate(club.store, club.guild.id, club.boris.id, dup, 2, OLD)  # older: dropped
    await rate(club.store, club.guild.id, club.mod.id, dup, 4, OLD)  # only on the duplicate: moved
    result = await club.mod.slash(club.channel, "film merge", keep=CRANES, duplicate=dup)
    assert result.ephemeral and result.response.content.startswith("Merged")
    assert await club.store.films.get_by_key(dup) is None
    cranes = await club.store.films.get_by_key(CRANES)
    rows = await club.store.fetchall("SELECT user_id, score FROM ratings WHERE film_id = ?", (cranes.id,))
    assert dict(tuple(row) for row in rows) == {club.alice.id: 9, club.boris.id: 7, club.mod.id: 4}
    entry = (await club.store.audit.latest(club.guild.id, 1))[0]
    assert entry.action == "film.merge" and entry.after["kept"] == CRANES
    assert entry.after["ratings_moved"] == 2 and entry.after["ratings_older_dropped"] == 2


async def test_merge_into_itself_is_refused(club):
    await add(club)
    result = await club.mod.slash(club.channel, "film merge", keep="m-stalker-1979", duplicate="m-stalker-1979")
    assert result.ephemeral and "two different films" in result.response.content
