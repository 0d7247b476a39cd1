"""/list refuses what it cannot use: members who are not moderators, and bad input in every option."""

from __future__ import annotations

import pytest

from cogs._checks import REFUSAL

PARENTHOOD = "soviet-films-about-parenthood"
CRANES = "the-cranes-are-flying-1957"
MIRROR = "the-mirror-1975"
MENTIONS = ["@everyone", "<@&123456789012345678>", "<@123456789012345678>"]


async def dump(club) -> dict[str, list[tuple]]:
    tables = ("lists", "list_entries", "audit_log")
    return {table: [tuple(row) for row in await club.store.fetchall(f"SELECT * FROM {table}")] for table in tables}


@pytest.fixture
async def own(club) -> str:
    result = await club.mod.slash(club.channel, "list create", name="Winter screenings")
    assert result.response.content.startswith("Created")
    await club.mod.slash(club.channel, "list add", list="winter-screenings", film=CRANES)
    return "winter-screenings"


async def test_every_moderator_command_refuses_a_plain_member(club, own):
    before = await dump(club)
    commands = {
        "list create": {"name": "Mine"},
        "list add": {"list": own, "film": MIRROR},
        "list move": {"list": own, "film": CRANES, "position": 1},
        "list remove": {"list": own, "film": CRANES},
        "list rename": {"list": own, "name": "Mine"},
        "list delete": {"list": own},
        "list export": {"list": own},
        "list import": {"file": ("x.yaml", b"key: x\nname: X\nfilms: []\n")},
        "list copy": {"list": PARENTHOOD},
    }
    for command, options in commands.items():
        result = await club.alice.slash(club.channel, command, **options)
        assert result.ephemeral and result.response.content == REFUSAL, command
        assert not result.response.attachments
    assert await dump(club) == before


async def assert_refused(club, command: str, starts: str | tuple[str, ...], **options) -> str:
    before = await dump(club)
    result = await club.mod.slash(club.channel, command, **options)
    message = result.response.content
    assert result.ephemeral, (command, options, message)
    assert message.startswith(starts), (command, message)
    assert len(message) < 400
    assert not any(ord(ch) < 32 for ch in message) and "`" not in message
    sent = result.response.message
    assert not sent.mention_everyone and not sent.role_mentions and not sent.mentions
    assert await dump(club) == before
    return message


BAD_TEXT = [
    ("   ", "Give the list name"),
    ("x" * 5000, "The list name can be at most 100 characters (this one has 5000)."),
    ("Winter\x00\x1b[31m", "The list name cannot contain control characters."),
    ("!!! ???", "A list name needs at least one letter."),
]


@pytest.mark.parametrize(("name", "expected"), BAD_TEXT)
async def test_bad_list_names(club, own, name, expected):
    await assert_refused(club, "list create", expected, name=name)
    await assert_refused(club, "list rename", expected, list=own, name=name)
    await assert_refused(club, "list copy", expected, list=PARENTHOOD, name=name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("x" * 5000, "The description can be at most 1000"), ("a\x07b", "The description cannot contain control")],
)
async def test_bad_descriptions(club, text, expected):
    await assert_refused(club, "list create", expected, name="Fine", description=text)


@pytest.mark.parametrize(
    ("text", "expected"), [("x" * 5000, "The note can be at most 1000"), ("a\x00b", "The note cannot contain control")]
)
async def test_bad_notes(club, own, text, expected):
    await assert_refused(club, "list add", expected, list=own, film=MIRROR, note=text)


@pytest.mark.parametrize("typed", ["   ", "qqqzzz nothing like it", "\x00\x07\x1b", "x" * 5000, *MENTIONS])
async def test_unknown_films(club, own, typed):
    for command, extra in (("list add", {}), ("list move", {"position": 1}), ("list remove", {})):
        await assert_refused(club, command, ("No film matching", "Give a film title"), list=own, film=typed, **extra)


@pytest.mark.parametrize("typed", ["   ", "no-such-list", "x" * 5000, "\x00\x1b", *MENTIONS])
async def test_unknown_lists(club, typed):
    starts = "This server has no list"
    await assert_refused(club, "list add", starts, list=typed, film=CRANES)
    await assert_refused(club, "list move", starts, list=typed, film=CRANES, position=1)
    await assert_refused(club, "list remove", starts, list=typed, film=CRANES)
    await assert_refused(club, "list rename", starts, list=typed, name="Fine")
    await assert_refused(club, "list delete", starts, list=typed)
    await assert_refused(club, "list export", starts, list=typed)
    await assert_refused(club, "list copy", starts, list=typed)
    result = await club.alice.slash(club.channel, "list show", name=typed)
    assert result.ephemeral and result.response.content.startswith(starts)


async def test_mentions_in_names_are_refused_like_any_stored_text(club):
    # A name stored and shown again to everyone follows the rule of reviews and film facts.
    before = await club.store.counts()
    for number, text in enumerate(MENTIONS):
        result = await club.mod.slash(club.channel, "list create", name=f"{text} list {number}")
        assert result.ephemeral
        assert result.response.content == (
            "The list name cannot mention people, roles, channels, @everyone or @here."
        ), text
        assert not result.response.message.mention_everyone and not result.response.message.role_mentions
    assert await club.store.counts() == before
    club.assert_pings_no_one()


@pytest.mark.parametrize("typed", ["", "@everyone", "x" * 100, "\x00\x1b[31m", "zzqqxx"])
async def test_list_autocomplete_with_nonsense_fails_nothing(club, typed):
    choices = await club.alice.autocomplete(club.channel, "list show", "name", typed)
    assert (1 <= len(choices) <= 25) if typed == "" else choices == []
    film_choices = await club.mod.autocomplete(club.channel, "list move", "film", typed, list=typed)
    assert film_choices == []
