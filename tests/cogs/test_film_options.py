"""Every member command that takes a film, fed what members really type when it goes wrong.

Each must answer with a short ephemeral message, post nothing publicly, ping no one and change
nothing; where Discord's own option limits refuse a value first, SimCord refuses it the same way.
"""

from __future__ import annotations

import pytest
from simcord import OptionError

from tests.cogs.film_helpers import dump

FILM_COMMANDS = [
    ("film show", "title", {}),
    ("film ratings", "film", {}),
    ("seen", "film", {}),
    ("unrate", "film", {}),
    ("rate", "film", {"score": 7}),
]
BAD = ["", "   ", "x" * 5000, "\x00\x07\x1b[31m", "@everyone", "<@&123456789012345678>", "<@123456789012345678>",
       "zzqx no such film qqq"]


@pytest.mark.parametrize(("command", "option", "extra"), FILM_COMMANDS)
async def test_bad_film_values_get_a_short_private_answer_and_change_nothing(club, command, option, extra):
    before = await dump(club.store)
    answered = 0
    for typed in BAD:
        try:
            result = await club.alice.slash(club.channel, command, **{option: typed}, **extra)
        except OptionError:
            continue  # Discord's client refuses it before the bot sees it (e.g. over the option's max length)
        assert result.ephemeral, (command, typed)
        message = result.response.content
        assert message and len(message) < 400, (command, typed, message)
        assert "Traceback" not in message and "\x00" not in message and "\x1b" not in message
        answered += 1
    assert answered >= 5  # the mention strings, control characters and the unknown film reach the bot
    assert club.channel.last_message is None
    assert await dump(club.store) == before
    club.assert_pings_no_one()


@pytest.mark.parametrize(("command", "option", "extra"), FILM_COMMANDS)
async def test_film_autocomplete_keeps_discords_limits_for_every_command(club, command, option, extra):
    for typed in ["", "a", "the", "@everyone", "x" * 100]:
        choices = await club.alice.autocomplete(club.channel, command, option, typed)
        assert len(choices) <= 25
        assert all(len(choice["name"]) <= 100 and len(choice["value"]) <= 100 for choice in choices)
