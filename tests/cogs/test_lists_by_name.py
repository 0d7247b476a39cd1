"""Every list option takes the name /list all shows (any case, any spacing), the key, or a suggestion;
film suggestions for /list move and remove search the list's own films."""

from __future__ import annotations

import pytest

from bot.catalogue.normalise import normalise
from bot.store.models import FilmDraft

ESSENTIALS = "soviet-cinema-essentials"
PARENTHOOD = "soviet-films-about-parenthood"
MIRROR = "the-mirror-1975"
CRANES = "the-cranes-are-flying-1957"
MENTIONS = ["@everyone", "<@&123456789012345678>", "<@123456789012345678>"]
MISSING = "This server has no list"


async def ok(club, command: str, starts: str, **options) -> str:
    result = await club.mod.slash(club.channel, command, **options)
    content = result.response.content or ""
    assert content.startswith(starts), (command, options, content)
    return content


async def keys_on(club, key: str) -> list[str]:
    curated = await club.store.lists.find(club.guild.id, key)
    return [entry.film.key for entry in await club.store.lists.entries(curated.id)]


@pytest.mark.parametrize("typed", ["Soviet cinema essentials", "  soviet   CINEMA essentials ", ESSENTIALS])
async def test_show_takes_the_name_as_list_all_shows_it(club, typed):
    listed = (await club.alice.slash(club.channel, "list all")).response.embeds[0].description
    assert "**Soviet cinema essentials**" in listed
    result = await club.alice.slash(club.channel, "list show", name=typed)
    assert not result.ephemeral
    assert result.response.embeds[0].title.startswith("Soviet cinema essentials · ")


async def test_a_new_list_is_curated_by_its_name_in_any_case_and_spacing(club):
    await ok(club, "list create", "Created", name="Tarkovsky night")
    # The issue's own example: right after /list create, the name works.
    await ok(club, "list add", "Added", list="Tarkovsky night", film="mirror")
    await ok(club, "list add", "Added", list="TARKOVSKY  NIGHT", film=CRANES, position=1)
    assert await keys_on(club, "tarkovsky-night") == [CRANES, MIRROR]
    await ok(club, "list move", "Moved", list="tarkovsky night", film=CRANES, position=2)
    assert await keys_on(club, "tarkovsky-night") == [MIRROR, CRANES]
    await ok(club, "list remove", "Removed", list=" Tarkovsky   Night ", film=CRANES)
    assert await keys_on(club, "tarkovsky-night") == [MIRROR]
    exported = await club.mod.slash(club.channel, "list export", list="tarkovsky NIGHT")
    assert exported.response.attachments[0].filename == "tarkovsky-night.yaml"
    await ok(club, "list rename", "Renamed", list="Tarkovsky night", name="Tarkovsky evening")
    # The old name is gone, the new one works, the key still does.
    await ok(club, "list add", MISSING, list="Tarkovsky night", film=CRANES)
    await ok(club, "list add", "Added", list="tarkovsky evening", film=CRANES)
    await ok(club, "list add", "“The Cranes Are Flying” is already", list="tarkovsky-night", film=CRANES)
    confirm = await club.mod.slash(club.channel, "list delete", list="TARKOVSKY EVENING")
    assert confirm.response.content.startswith("Delete the list “Tarkovsky evening”")


async def test_copy_rotation_and_top_take_names(club):
    await ok(club, "list copy", "Copied into “Soviet cinema essentials (copy)”", list="soviet CINEMA essentials")
    text = await ok(
        club, "club rotation", "Soviet films about parenthood is in rotation",
        list="SOVIET films about parenthood", weight=3,
    )
    assert "(3)" in text
    top = await club.alice.slash(club.channel, "top", list="  soviet films ABOUT parenthood")
    assert "Soviet films about parenthood" in (top.response.content or top.response.embeds[0].title)


async def test_a_name_shared_with_a_bundled_list_means_the_servers_own(club):
    await ok(club, "list create", "Created", name="Soviet cinema essentials 2")
    await ok(club, "list rename", "Renamed", list="soviet cinema essentials 2", name="Soviet cinema essentials")
    await ok(club, "list add", "Added", list="soviet cinema essentials", film=MIRROR)
    assert await keys_on(club, "soviet-cinema-essentials-2") == [MIRROR]
    shown = await club.alice.slash(club.channel, "list show", name="Soviet cinema essentials")
    assert shown.response.embeds[0].title == "Soviet cinema essentials · 1 film"
    # The bundled namesake is still reachable by its key.
    bundled = await club.alice.slash(club.channel, "list show", name=ESSENTIALS)
    assert bundled.response.embeds[0].title != "Soviet cinema essentials · 1 film"


async def test_two_own_lists_with_one_name_ask_for_the_key(club):
    await ok(club, "list create", "Created", name="Friday night")
    await ok(club, "list create", "Created", name="Saturday night")
    await ok(club, "list rename", "Renamed", list="saturday night", name="Friday night")
    result = await club.mod.slash(club.channel, "list add", list="FRIDAY  NIGHT", film=MIRROR)
    assert result.ephemeral
    assert result.response.content == (
        "2 lists are called “Friday night”; give the key of the one you mean: friday-night, saturday-night."
    )
    # A key always names one list, whatever the names.
    await ok(club, "list add", "Added", list="saturday-night", film=MIRROR)


@pytest.mark.parametrize("typed", ["No such list", "x" * 200, *MENTIONS, "Soviet cinema essentials extra"])
async def test_unknown_names_get_a_short_ephemeral_answer(club, typed):
    for command, options in (
        ("list show", {"name": typed}),
        ("list add", {"list": typed, "film": MIRROR}),
        ("list export", {"list": typed}),
        ("club rotation", {"list": typed, "weight": 1}),
        ("top", {"list": typed}),
    ):
        user = club.alice if command in ("list show", "top") else club.mod
        result = await user.slash(club.channel, command, **options)
        message = result.response.content
        assert result.ephemeral and message.startswith(MISSING), (command, message)
        assert len(message) < 200 and "`" not in message
        sent = result.response.message
        assert not sent.mention_everyone and not sent.role_mentions and not sent.mentions
    club.assert_pings_no_one()


# ------------------------------------------------------- list-scoped film suggestions


async def seed_nights(club, count: int, popularity: int, prefix: str = "") -> list[str]:
    """Films titled "Night N": many share the word, as films on a themed list do."""
    keys = []
    async with club.store.transaction() as tx:
        for number in range(1, count + 1):
            key = f"night-{prefix}{number}-{1900 + number}"
            draft = FilmDraft(
                key=key, title=f"Night {prefix}{number}", source="bundled", year=1900 + number, popularity=popularity
            )
            await club.store.films.upsert(tx, draft, normalise)
            keys.append(key)
    return keys


async def test_move_and_remove_suggest_the_lists_films_among_many_namesakes(club):
    # 150 more popular "Night" films off the list, first in name and in index order, fill the
    # catalogue's 100 candidates a query gets.
    await seed_nights(club, 150, popularity=10_000, prefix="0")
    on_list = await seed_nights(club, 22, popularity=1)
    await ok(club, "list create", "Created", name="Night  Films")
    for key in on_list:
        await ok(club, "list add", "Added", list="night films", film=key)
    # The premise: the catalogue's best candidates for the shared word hold none of the list's films.
    candidates = await club.bot.catalogue.search("night", limit=len(on_list) * 4 + 25)
    assert len({hit.film.key for hit in candidates} & set(on_list)) < len(on_list)
    for command in ("list move", "list remove"):
        choices = await club.mod.autocomplete(club.channel, command, "film", "night", list="Night films")
        values = [choice["value"] for choice in choices]
        assert values == on_list[:20] + on_list[20:22], command  # every listed film, in the list's order
        assert all(len(choice["name"]) <= 100 for choice in choices)
    narrowed = await club.mod.autocomplete(club.channel, "list move", "film", "night 2", list="NIGHT FILMS")
    assert [choice["value"] for choice in narrowed][:4] == [on_list[1], on_list[19], on_list[20], on_list[21]]
    # The suggestion that comes back works, and the list named as shown does too.
    await ok(club, "list move", "Moved", list="night films", film=narrowed[0]["value"], position=1)


async def test_list_suggestions_stay_within_25_and_within_the_list(club):
    on_list = await seed_nights(club, 30, popularity=1)
    await ok(club, "list create", "Created", name="Long nights")
    for key in on_list:
        await ok(club, "list add", "Added", list="long-nights", film=key)
    empty = await club.mod.autocomplete(club.channel, "list remove", "film", "", list="long nights")
    assert [choice["value"] for choice in empty] == on_list[:25]
    typed = await club.mod.autocomplete(club.channel, "list remove", "film", "nigth", list="long nights")
    assert 1 <= len(typed) <= 25 and {choice["value"] for choice in typed} <= set(on_list)
    other = await club.mod.autocomplete(club.channel, "list remove", "film", "cranes", list="long nights")
    assert other == []
