"""The shared rules for typed text (a pure module: plain unit tests)."""

from __future__ import annotations

import pytest

from bot.text import has_control, has_mention


@pytest.mark.parametrize("text", ["\x00", "a\x07b", "\x1b[31m", "\x7f", "\x85", "tab\x9b"])
def test_control_characters_are_found(text):
    assert has_control(text)


@pytest.mark.parametrize("text", ["Летят журавли", "two\nlines\tand tabs\r\n", "", "½ ★"])
def test_plain_text_has_none(text):
    assert not has_control(text)


@pytest.mark.parametrize("text", ["@everyone", "hi @here", "<@123>", "<@!123>", "<@&123>", "<#123>"])
def test_mentions_are_found(text):
    assert has_mention(text)


@pytest.mark.parametrize("text", ["@ everyone", "<@abc>", "email me @ home", "everyone here"])
def test_lookalikes_are_not_mentions(text):
    assert not has_mention(text)


def test_counted_nouns_take_the_form_their_count_needs():
    from bot.text import counted

    assert counted(1, "film") == "1 film"
    assert counted(0, "film") == "0 films"
    assert counted(2, "entry", "entries") == "2 entries"
    assert counted(1204, "rating") == "1,204 ratings"
