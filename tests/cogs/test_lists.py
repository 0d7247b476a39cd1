"""/list as members and moderators use it: browsing, and curating the server's own lists."""

from __future__ import annotations

from bot.store.lists import BUNDLED
from bot.ui.lists import BUNDLED_MARK

PARENTHOOD = "soviet-films-about-parenthood"
CRANES = "the-cranes-are-flying-1957"
MIRROR = "the-mirror-1975"
CUBA = "i-am-cuba-1964"


async def keys_on(club, key: str) -> list[str]:
    curated = await club.store.lists.find(club.guild.id, key)
    return [entry.film.key for entry in await club.store.lists.entries(curated.id)]


async def make_list(club, name: str = "Winter screenings", *films: str) -> str:
    result = await club.mod.slash(club.channel, "list create", name=name)
    assert result.ephemeral and result.response.content.startswith("Created"), result.response.content
    curated = (await club.store.lists.visible_to(club.guild.id))[-1]
    for film in films:
        added = await club.mod.slash(club.channel, "list add", list=curated.key, film=film)
        assert added.response.content.startswith("Added"), added.response.content
    return curated.key


# ------------------------------------------------------------------ members


async def test_show_a_bundled_list_in_order_with_notes_and_pages(club):
    result = await club.alice.slash(club.channel, "list show", name=PARENTHOOD)
    assert not result.ephemeral
    (page,) = result.response.embeds
    assert page.title == "Soviet films about parenthood · 10 films"
    assert "parents and children" in page.description
    assert len(page.fields) == 10
    first = page.fields[0]
    assert first.name == "1. The Commissar (1967) — Aleksandr Askoldov"
    assert "censors" in first.value
    assert page.fields[3].name.startswith("4. The Cranes Are Flying (1957)")
    assert "Palme d'Or" in page.fields[3].value
    assert BUNDLED_MARK in page.footer.text
    assert len(page) <= 6000
    club.assert_pings_no_one()


async def test_a_long_list_pages_ten_at_a_time(club):
    films = [film.key for film in await club.store.films.get_many(list(range(1, 17)))]
    key = await make_list(club, "Everything", *films)
    result = await club.alice.slash(club.channel, "list show", name=key)
    page = result.response.embeds[0]
    assert [field.name.split(".")[0] for field in page.fields] == [str(n) for n in range(1, 11)]
    assert page.footer.text == "Page 1 of 2"
    stranger = await club.boris.click(result.response.message, label="▶")
    assert stranger.ephemeral  # only alice flips her pages
    turned = await club.alice.click(result.response.message, label="▶")
    second = turned.response.embeds[0]
    assert [field.name.split(".")[0] for field in second.fields] == [str(n) for n in range(11, 17)]
    assert second.footer.text == "Page 2 of 2"


async def test_show_an_unknown_list_is_a_short_refusal(club):
    result = await club.alice.slash(club.channel, "list show", name="no-such-list")
    assert result.ephemeral and result.response.content.startswith("This server has no list")


async def test_all_lists_bundled_and_own_with_sizes(club):
    await make_list(club, "Winter screenings", CRANES)
    result = await club.alice.slash(club.channel, "list all")
    text = result.response.embeds[0].description
    assert "**Winter screenings** · 1 film" in text
    assert f"**Soviet films about parenthood** · 10 films · {BUNDLED_MARK}" in text
    assert text.index("Winter") < text.index("Soviet")  # the server's own first


async def test_show_autocomplete_offers_own_and_bundled_lists(club):
    key = await make_list(club, "Winter screenings")
    choices = await club.alice.autocomplete(club.channel, "list show", "name", "")
    values = [choice["value"] for choice in choices]
    assert values[0] == key and PARENTHOOD in values
    bundled = next(choice for choice in choices if choice["value"] == PARENTHOOD)
    assert bundled["name"] == f"Soviet films about parenthood · {BUNDLED_MARK} · 10 films"
    typed = await club.alice.autocomplete(club.channel, "list show", "name", "parent")
    assert [choice["value"] for choice in typed] == [PARENTHOOD]


async def test_autocomplete_stays_within_25_choices(club):
    async with club.store.transaction() as tx:
        for number in range(40):
            await club.store.lists.create(tx, club.guild.id, f"list-{number}", f"List {number} " + "x" * 120, None, 1)
    for command, option in (("list show", "name"), ("list add", "list"), ("list export", "list")):
        choices = await club.mod.autocomplete(club.channel, command, option, "list")
        assert len(choices) == 25
        assert all(len(choice["name"]) <= 100 and len(choice["value"]) <= 100 for choice in choices)


async def test_another_servers_lists_are_never_visible(club):
    other = club.env.create_guild("Other club")
    async with club.store.transaction() as tx:
        await club.store.lists.create(tx, other.id, "secret", "Secret list", None, 1)
    assert "secret" not in [c["value"] for c in await club.alice.autocomplete(club.channel, "list show", "name", "")]
    assert (await club.alice.slash(club.channel, "list show", name="secret")).ephemeral
    assert "Secret" not in (await club.alice.slash(club.channel, "list all")).response.embeds[0].description
    assert (await club.mod.slash(club.channel, "list add", list="secret", film=CRANES)).ephemeral
    assert (await club.mod.slash(club.channel, "list copy", list="secret")).ephemeral


# -------------------------------------------------------------- moderators


async def test_create_makes_a_keyed_empty_list_and_logs_it(club):
    result = await club.mod.slash(
        club.channel, "list create", name="Летят! Winter   screenings", description="For the cold months"
    )
    assert result.response.content == (
        "Created the list “Летят! Winter screenings” (key letyat-winter-screenings). Add films with /list add."
    )
    curated = await club.store.lists.get(club.guild.id, "letyat-winter-screenings")
    assert (curated.name, curated.description, curated.size) == ("Летят! Winter screenings", "For the cold months", 0)
    shown = await club.alice.slash(club.channel, "list show", name=curated.key)
    assert "No films on this list yet" in shown.response.embeds[0].description
    (entry,) = await club.store.audit.latest(club.guild.id, 5)
    assert (entry.action, entry.target, entry.user_id) == ("list.create", curated.key, club.mod.id)


async def test_create_refuses_a_key_in_use(club):
    await make_list(club, "Winter screenings")
    again = await club.mod.slash(club.channel, "list create", name="winter SCREENINGS!")
    assert again.ephemeral and "already used by this server's list" in again.response.content
    bundled = await club.mod.slash(club.channel, "list create", name="Soviet films about parenthood")
    assert "already used by a bundled list" in bundled.response.content
    assert len(await club.store.lists.visible_to(club.guild.id)) == 3


async def test_add_at_the_end_or_a_position_with_a_note(club):
    key = await make_list(club, "Winter screenings", CRANES, MIRROR)
    result = await club.mod.slash(
        club.channel, "list add", list=key, film=CUBA, note="Watch it  on a big screen", position=1
    )
    assert result.ephemeral
    assert result.response.content == "Added “I Am Cuba (1964) — Mikhail Kalatozov” to “Winter screenings” at number 1."
    assert await keys_on(club, key) == [CUBA, CRANES, MIRROR]
    entries = await club.store.lists.entries((await club.store.lists.find(club.guild.id, key)).id)
    assert [entry.position for entry in entries] == [1, 2, 3]
    assert entries[0].note == "Watch it on a big screen"
    typed = await club.mod.slash(club.channel, "list add", list=key, film="баллада о солдате")
    assert "Ballad of a Soldier" in typed.response.content and "at number 4" in typed.response.content
    log = await club.store.audit.latest(club.guild.id, 1)
    assert log[0].action == "list.add"
    assert log[0].after == {"film": "ballad-of-a-soldier-1959", "position": 4, "note": None}


async def test_add_refuses_a_film_already_there_and_bad_positions(club):
    key = await make_list(club, "Winter screenings", CRANES)
    twice = await club.mod.slash(club.channel, "list add", list=key, film=CRANES)
    assert twice.ephemeral and twice.response.content == "“The Cranes Are Flying” is already number 1 on this list."
    for position in (0, -1, 3, 10**12):
        result = await club.mod.slash(club.channel, "list add", list=key, film=MIRROR, position=position)
        assert result.ephemeral and result.response.content == "Position must be from 1 to 2 for this list."
    assert await keys_on(club, key) == [CRANES]


async def test_move_and_remove_keep_positions_contiguous(club):
    key = await make_list(club, "Winter screenings", CRANES, MIRROR, CUBA)
    moved = await club.mod.slash(club.channel, "list move", list=key, film=CUBA, position=1)
    assert "from number 3 to 1" in moved.response.content
    assert await keys_on(club, key) == [CUBA, CRANES, MIRROR]
    await club.mod.slash(club.channel, "list move", list=key, film=CUBA, position=3)
    assert await keys_on(club, key) == [CRANES, MIRROR, CUBA]
    out = await club.mod.slash(club.channel, "list move", list=key, film=CUBA, position=4)
    assert out.response.content == "Position must be from 1 to 3 for this list."
    removed = await club.mod.slash(club.channel, "list remove", list=key, film=CRANES)
    assert removed.response.content.startswith("Removed “The Cranes Are Flying (1957)")
    assert await keys_on(club, key) == [MIRROR, CUBA]
    entries = await club.store.lists.entries((await club.store.lists.find(club.guild.id, key)).id)
    assert [entry.position for entry in entries] == [1, 2]
    absent = await club.mod.slash(club.channel, "list remove", list=key, film=CRANES)
    assert absent.ephemeral and absent.response.content == "“The Cranes Are Flying” is not on “Winter screenings”."
    actions = [entry.action for entry in await club.store.audit.latest(club.guild.id, 10)]
    assert actions[:3] == ["list.remove", "list.move", "list.move"]


async def test_film_autocomplete_for_move_offers_only_the_lists_films(club):
    key = await make_list(club, "Winter screenings", CRANES, MIRROR)
    choices = await club.mod.autocomplete(club.channel, "list move", "film", "", list=key)
    assert [choice["value"] for choice in choices] == [CRANES, MIRROR]
    typed = await club.mod.autocomplete(club.channel, "list remove", "film", "zerkalo", list=key)
    assert [choice["value"] for choice in typed] == [MIRROR]
    add = await club.mod.autocomplete(club.channel, "list add", "film", "cuba", list=key)
    assert add[0]["value"] == CUBA


async def test_rename_keeps_the_key(club):
    key = await make_list(club, "Winter screenings", CRANES)
    result = await club.mod.slash(club.channel, "list rename", list=key, name="Cold nights")
    assert result.response.content == "Renamed “Winter screenings” to “Cold nights”."
    curated = await club.store.lists.get(club.guild.id, key)
    assert curated.name == "Cold nights" and curated.size == 1
    (entry,) = await club.store.audit.latest(club.guild.id, 1)
    assert (entry.before, entry.after) == ({"name": "Winter screenings"}, {"name": "Cold nights"})


async def test_delete_asks_first_and_the_button_deletes(club):
    key = await make_list(club, "Winter screenings", CRANES, MIRROR)
    asked = await club.mod.slash(club.channel, "list delete", list=key)
    assert asked.ephemeral and "Delete the list “Winter screenings” with its 2 films?" in asked.response.content
    assert await club.store.lists.get(club.guild.id, key) is not None
    done = await club.mod.click(asked.response.message, label="Delete")
    assert "Deleted the list" in done.response.content
    assert await club.store.lists.get(club.guild.id, key) is None
    counts = await club.store.counts()
    assert counts["list_entries"] == 16  # the bundled lists' entries only
    assert (await club.store.audit.latest(club.guild.id, 1))[0].action == "list.delete"


async def test_delete_cancelled_changes_nothing(club):
    key = await make_list(club, "Winter screenings", CRANES)
    asked = await club.mod.slash(club.channel, "list delete", list=key)
    cancelled = await club.mod.click(asked.response.message, label="Cancel")
    assert "nothing was changed" in cancelled.response.content
    assert (await club.store.lists.get(club.guild.id, key)).size == 1


async def test_bundled_lists_are_read_only_and_point_to_copy(club):
    before = await club.store.counts()
    for command, options in (
        ("list add", {"film": MIRROR}),
        ("list move", {"film": CRANES, "position": 1}),
        ("list remove", {"film": CRANES}),
        ("list rename", {"name": "Mine now"}),
        ("list delete", {}),
    ):
        result = await club.mod.slash(club.channel, command, list=PARENTHOOD, **options)
        assert result.ephemeral and "/list copy" in result.response.content, command
    assert await club.store.counts() == before
    assert (await club.store.lists.get(BUNDLED, PARENTHOOD)).size == 10


async def test_a_page_of_long_notes_keeps_all_ten_entries_within_discords_limits(club):
    async with club.store.transaction() as tx:
        list_id = await club.store.lists.create(tx, club.guild.id, "long", "L" * 100, "D" * 1000, 1)
        for position in range(1, 11):
            await club.store.lists.add_entry(tx, list_id, position, position, "n" * 1000, 1)
    result = await club.alice.slash(club.channel, "list show", name="long")
    (page,) = result.response.embeds
    assert len(page.fields) == 10 and len(page) <= 6000
    assert page.fields[0].value.endswith("…")
