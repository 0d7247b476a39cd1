"""Every moderator /film command refuses plain members; every film option autocompletes within limits."""

from __future__ import annotations

import pytest

from bot.app import APOLOGY
from bot.catalogue.normalise import normalise
from bot.store.models import FilmDraft
from cogs._checks import REFUSAL
from tests.cogs.film_helpers import CRANES, dump

MODERATOR_COMMANDS = [
    ("film add", {"title": "Stalker", "year": 1979}),
    ("film edit", {"film": "m-stalker-1979", "runtime": 10}),
    ("film merge", {"keep": CRANES, "duplicate": "m-stalker-1979"}),
    ("film remove", {"film": "m-stalker-1979"}),
    ("film remove", {"film": CRANES}),
]


async def test_plain_members_are_refused_every_moderator_command_and_nothing_changes(club):
    await club.mod.slash(club.channel, "film add", title="Stalker", year=1979)
    before = await dump(club.store)
    for member in (club.alice, club.boris):
        for command, options in MODERATOR_COMMANDS:
            result = await member.slash(club.channel, command, **options)
            assert result.ephemeral and result.response.content == REFUSAL, command
    assert await dump(club.store) == before
    assert club.channel.last_message is None
    club.assert_pings_no_one()


async def test_a_moderator_can_use_every_one_of_them(club):
    for command, options in MODERATOR_COMMANDS[:4]:
        result = await club.mod.slash(club.channel, command, **options)
        assert result.response.content not in (REFUSAL, APOLOGY), command


FILM_OPTIONS = [
    ("film show", "title"),
    ("film edit", "film"),
    ("film remove", "film"),
    ("film merge", "keep"),
    ("film merge", "duplicate"),
    ("list add", "film"),
]


async def _many_films(store, count=40):
    async with store.transaction() as tx:
        for n in range(count):
            draft = FilmDraft(key=f"m-samefilm-{n}", title=f"Samefilm {'Q' * 150} {n}", source="moderator",
                              year=2000, directors=("D" * 200,))
            await store.films.upsert(tx, draft, normalise)


@pytest.mark.parametrize(("command", "option"), FILM_OPTIONS)
@pytest.mark.parametrize("typed", ["samefilm", "", "@everyone", "x" * 100, "\x00\x1b"])
async def test_film_options_autocomplete_within_discords_limits(club, command, option, typed):
    await _many_films(club.store)
    choices = await club.mod.autocomplete(club.channel, command, option, typed)
    assert len(choices) <= 25
    assert all(len(choice["name"]) <= 100 and len(choice["value"]) <= 100 for choice in choices)
    if typed == "samefilm":
        assert len(choices) == 25


@pytest.mark.parametrize("command", ["film edit", "film remove"])
@pytest.mark.parametrize(
    "typed", ["", "   ", "qqqzzz nothing", "@everyone", "<@&123>", "<@123>", "\x00\x07", "x" * 5000]
)
async def test_an_unknown_film_is_a_short_ephemeral_refusal(club, command, typed):
    options = {"film": typed} | ({"runtime": 5} if command == "film edit" else {})
    before = await dump(club.store)
    result = await club.mod.slash(club.channel, command, **options)
    assert result.ephemeral and len(result.response.content) < 400
    assert "\x00" not in result.response.content
    assert await dump(club.store) == before
    sent = result.response.message
    assert not sent.mention_everyone and not sent.role_mentions and not sent.mentions
    club.assert_pings_no_one()
