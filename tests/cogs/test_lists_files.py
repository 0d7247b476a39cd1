"""/list export, import and copy: lists as YAML files, checked whole before anything is written."""

from __future__ import annotations

import yaml

from bot.catalogue.list_files import MAX_FILE_BYTES

PARENTHOOD = "soviet-films-about-parenthood"
CRANES = "the-cranes-are-flying-1957"
MIRROR = "the-mirror-1975"

GOOD = """\
key: winter-screenings
name: Winter screenings
description: For the cold months
films:
  - film: the-cranes-are-flying-1957
    note: Start here.
  - film: the-mirror-1975
"""


async def test_export_is_a_yaml_file_in_the_bundled_format(club):
    result = await club.mod.slash(club.channel, "list export", list=PARENTHOOD)
    assert result.ephemeral
    (attachment,) = result.response.attachments
    assert attachment.filename == f"{PARENTHOOD}.yaml"
    document = yaml.safe_load(await attachment.read())
    assert list(document) == ["key", "name", "description", "films"]
    assert document["key"] == PARENTHOOD and len(document["films"]) == 10
    assert document["films"][3]["film"] == CRANES and "Palme d'Or" in document["films"][3]["note"]


async def test_import_creates_a_list_then_replaces_its_entries(club):
    result = await club.mod.slash(club.channel, "list import", file=("winter.yaml", GOOD.encode()))
    assert result.ephemeral
    # The reply after a deferral fills in the deferred response, as in Discord.
    assert result.response.content == "Created the list “Winter screenings” (key winter-screenings, 2 films)."
    curated = await club.store.lists.get(club.guild.id, "winter-screenings")
    entries = await club.store.lists.entries(curated.id)
    assert [(e.film.key, e.position, e.note) for e in entries] == [(CRANES, 1, "Start here."), (MIRROR, 2, None)]

    shorter = GOOD.replace("name: Winter screenings", "name: Cold nights").split("  - film: the-cranes")[0]
    shorter += "  - film: i-am-cuba-1964\n"
    again = await club.mod.slash(club.channel, "list import", file=("winter.yaml", shorter.encode()))
    assert again.response.content.startswith("Replaced the entries of the list “Cold nights”")
    curated = await club.store.lists.get(club.guild.id, "winter-screenings")
    assert curated.name == "Cold nights"
    assert [e.film.key for e in await club.store.lists.entries(curated.id)] == ["i-am-cuba-1964"]
    actions = [entry.action for entry in await club.store.audit.latest(club.guild.id, 5)]
    assert actions == ["list.import", "list.import"]


async def test_export_then_import_round_trips(club):
    await club.mod.slash(club.channel, "list import", file=("winter.yaml", GOOD.encode()))
    exported = await club.mod.slash(club.channel, "list export", list="winter-screenings")
    data = await exported.response.attachments[0].read()
    assert yaml.safe_load(data) == yaml.safe_load(GOOD)
    before = await club.store.counts()
    await club.mod.slash(club.channel, "list import", file=("winter-screenings.yaml", data))
    after = await club.store.counts()
    assert after["list_entries"] == before["list_entries"] and after["lists"] == before["lists"]


async def test_importing_a_bundled_key_is_refused_with_the_way_out(club):
    exported = await club.mod.slash(club.channel, "list export", list=PARENTHOOD)
    data = await exported.response.attachments[0].read()
    refused = await club.mod.slash(club.channel, "list import", file=("p.yaml", data))
    assert "belongs to a bundled list" in refused.response.content
    renamed = data.replace(f"key: {PARENTHOOD}".encode(), f"key: {PARENTHOOD}-ours".encode())
    taken = await club.mod.slash(club.channel, "list import", file=("p.yaml", renamed))
    assert taken.response.content.startswith("Created the list “Soviet films about parenthood”")
    assert (await club.store.lists.get(club.guild.id, f"{PARENTHOOD}-ours")).size == 10


async def test_copy_a_bundled_list_into_an_editable_one(club):
    result = await club.mod.slash(club.channel, "list copy", list=PARENTHOOD)
    assert result.response.content.startswith(
        f"Copied into “Soviet films about parenthood (copy)” (key {PARENTHOOD}-copy, 10 films)"
    )
    copied = await club.store.lists.get(club.guild.id, f"{PARENTHOOD}-copy")
    assert copied.description and copied.size == 10
    notes = [entry.note for entry in await club.store.lists.entries(copied.id)]
    assert "Palme d'Or" in notes[3]
    removed = await club.mod.slash(club.channel, "list remove", list=copied.key, film=CRANES)
    assert removed.response.content.startswith("Removed")
    named = await club.mod.slash(club.channel, "list copy", list=PARENTHOOD, name="Parents, our cut")
    assert "key parents-our-cut" in named.response.content
    twice = await club.mod.slash(club.channel, "list copy", list=PARENTHOOD)
    assert twice.ephemeral and "already used" in twice.response.content
    assert (await club.store.audit.latest(club.guild.id, 1))[0].action == "list.copy"


# ----------------------------------------------------------- bad files


async def import_refused(club, data: bytes, filename: str = "list.yaml") -> str:
    before = await club.store.counts()
    result = await club.mod.slash(club.channel, "list import", file=(filename, data))
    message = result.response.content
    assert result.ephemeral
    assert len(message) < 2000
    assert await club.store.counts() == before, message
    assert not result.response.message.mention_everyone
    return message


async def test_a_file_too_big_is_refused_before_reading(club):
    message = await import_refused(club, b"#" * (MAX_FILE_BYTES + 1))
    assert message == "list.yaml is 256 KB; a list file can be at most 256 KB."


async def test_a_file_that_is_not_utf8(club):
    message = await import_refused(club, "key: x\nname: Ёлки\n".encode("cp1251"))
    assert message.startswith("list.yaml:1: not UTF-8 text")


async def test_a_file_that_is_not_yaml(club):
    message = await import_refused(club, b"key: x\nname: [unclosed\nfilms: {\n")
    assert message.startswith("list.yaml:") and "not valid YAML" in message


async def test_files_of_the_wrong_shape(club):
    cases = {
        b"- just\n- a list\n": "list.yaml:1: expected a mapping",
        b"name: No key\nfilms: []\n": "list.yaml:1: key: missing",
        b"key: Bad Key\nname: x\n": "list.yaml:1: key: 'Bad Key' must be lower-case",
        b"key: k\nname: '12'\n": "list.yaml:1: name: needs at least one letter",
        b"key: k\nname: K\nfilms: the-mirror-1975\n": "list.yaml:1: films: expected a list",
        b"key: k\nname: K\nfilms:\n  - the-mirror-1975\n": "list.yaml:1: each list entry must be a mapping",
        b"key: k\nname: K\nfilms:\n  - film: the-mirror-1975\n    rating: 5\n": "list.yaml:4: unknown field 'rating'",
        b"key: k\nname: K\nfilms:\n  - film: the-mirror-1975\n  - film: the-mirror-1975\n": (
            "list.yaml:5: film: 'the-mirror-1975' is on the list twice"
        ),
        b"key: k\nname: K\nextra: 1\n": "list.yaml:1: unknown field 'extra'",
        ("key: k\nname: " + "x" * 5000 + "\n").encode(): "list.yaml:1: name: longer than 100 characters",
        b"key: k\nname: K\nfilms:\n  - film: the-mirror-1975\n    note: \"bell\\x07\"\n": (
            "list.yaml:4: note: contains control characters"
        ),
        b"": "list.yaml:1: expected a mapping",
    }
    for data, expected in cases.items():
        message = await import_refused(club, data)
        assert message.startswith(expected), (data[:60], message)


async def test_every_unknown_film_is_named_by_its_line(club):
    lines = ["key: k", "name: K", "films:", "  - film: the-mirror-1975"]
    lines += [f"  - film: no-such-film-{n}" for n in range(12)]
    message = await import_refused(club, "\n".join(lines).encode())
    assert message.startswith("Nothing was imported: 12 films are not in the catalogue")
    assert "list.yaml:5: “no-such-film-0”" in message and "list.yaml:14: “no-such-film-9”" in message
    assert "no-such-film-10" not in message and "and 2 more" in message


async def test_mentions_in_a_file_are_refused_and_ping_no_one(club):
    # An unknown film key that is a mention is named back (quoted, pinging no one)...
    data = b"key: pings\nname: Pings\nfilms:\n  - film: '@everyone'\n"
    message = await import_refused(club, data, filename="@everyone.yaml")
    assert "“@everyone”" in message
    # ...and a list name that would render as one is refused like any stored text.
    bad = b"key: pings\nname: '@everyone <@&123> <@123>'\nfilms: []\n"
    message = await import_refused(club, bad, filename="x.yaml")
    assert message == "The list name in x.yaml cannot mention people, roles, channels, @everyone or @here."
    assert await club.store.lists.get(club.guild.id, "pings") is None
    club.assert_pings_no_one()
