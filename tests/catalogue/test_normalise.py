"""The one normalisation used at index and query time (a pure function: plain unit tests)."""

from __future__ import annotations

import pytest

from bot.catalogue.normalise import normalise


@pytest.mark.parametrize(
    "spellings",
    [
        ("Летят журавли", "Letyat zhuravli", "letiat zhuravli", "LETYAT  ZHURAVLI!"),
        ("Ирония судьбы", "Ironiya sudby", "Ironiia sud'by"),
        ("Восхождение", "Voskhozhdeniye", "Voskhozhdenie"),
        ("Андрей Тарковский", "Andrei Tarkovsky", "Andrey Tarkovskiy"),
        ("Ёжик в тумане", "Ежик в тумане", "Yozhik v tumane".replace("Yo", "E")),
        ("Amélie", "amelie", "AMÉLIE"),
        ("The Cranes Are Flying", "cranes are flying", "Cranes, Are Flying"),
    ],
)
def test_spellings_of_one_title_meet(spellings):
    keys = {normalise(text) for text in spellings}
    assert len(keys) == 1, keys


def test_a_leading_article_is_dropped_but_a_lone_article_is_kept():
    assert normalise("The Mirror") == normalise("Mirror")
    assert normalise("A Man Escaped") == normalise("man escaped")
    assert normalise("The") == "the"


@pytest.mark.parametrize("text", ["", "   ", "!!!", "\x00\x07\x1b", "«»—"])
def test_text_without_letters_or_digits_has_an_empty_key(text):
    assert normalise(text) == ""


def test_other_scripts_are_transliterated():
    assert normalise("ჯარისკაცის მამა") == "jariskatsis mama"
    assert normalise("Я — Куба") == "ia kuba"
