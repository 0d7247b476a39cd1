"""/film search: filters, pages of ten, the menu that shows a card, and suggestions when nothing matches."""

from __future__ import annotations

import pytest

from tests.cogs.film_helpers import CRANES, fields


def lines(result_or_message) -> list[str]:
    embeds = getattr(result_or_message, "embeds", None) or result_or_message.response.embeds
    return embeds[0].description.splitlines()


async def test_by_cast_lists_title_year_and_director(club):
    result = await club.alice.slash(club.channel, "film search", cast="Tatiana Samoilova")
    assert not result.ephemeral
    found = lines(result)
    assert "1. The Mexican (1955) — Vladimir Kaplunovsky" in found
    assert "2. The Cranes Are Flying (1957) — Mikhail Kalatozov" in found
    assert len(found) == 3


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"director": "andrei tarkovsky"}, ["The Mirror (1975)"]),
        ({"director": "Андрей Тарковский"}, ["The Mirror (1975)"]),
        ({"director": "tarkovsky"}, ["The Mirror (1975)"]),
        ({"director": "тарковский"}, ["The Mirror (1975)"]),
        ({"director": "kalatoz"}, ["The Cranes Are Flying (1957)", "I Am Cuba (1964)"]),
        ({"cast": "samoilova"}, ["The Cranes Are Flying (1957)", "The Mexican (1955)", "Anna Karenina (1967)"]),
        ({"title": "soldier", "year": "1959"}, ["Ballad of a Soldier (1959)"]),
        ({"title": "журавли"}, ["The Cranes Are Flying (1957)"]),
        ({"year": "1950s", "genre": "world war"}, ["The Cranes Are Flying (1957)", "The House I Live In (1957)",
                                                    "Ballad of a Soldier (1959)"]),
        ({"country": "cuba"}, ["I Am Cuba (1964)"]),
        ({"year": "1936"}, ["Circus (1936)"]),
    ],
)
async def test_filters_combine(club, options, expected):
    result = await club.alice.slash(club.channel, "film search", **options)
    found = lines(result)
    assert sorted(line.split(". ", 1)[1].split(" — ")[0] for line in found) == sorted(expected)


async def test_many_results_come_ten_a_page_with_a_menu_of_that_pages_films(club):
    result = await club.alice.slash(club.channel, "film search", country="Soviet Union")
    message = result.response.message
    first = lines(result)
    assert len(first) == 10
    assert result.response.embeds[0].footer.text.endswith("Page 1 of 2")
    await club.alice.click(message, label="▶")
    message = club.channel.last_message
    second = message.embeds[0].description.splitlines()
    assert second[0].startswith("11. ") and not set(second) & set(first)
    assert message.embeds[0].footer.text.endswith("Page 2 of 2")
    menu = next(child for row in message.components for child in row.children if hasattr(child, "options"))
    assert [option.label for option in menu.options] == [line.split(". ", 1)[1] for line in second]
    club.assert_pings_no_one()


async def test_choosing_from_the_menu_shows_the_card_to_that_member_only(club):
    result = await club.alice.slash(club.channel, "film search", title="cranes")
    chosen = await club.alice.select(result.response.message, [CRANES])
    assert chosen.ephemeral
    card = chosen.response.embeds[0]
    assert card.title == "The Cranes Are Flying (1957)"
    assert fields(card)["Club rating"] == "No ratings yet"


async def test_someone_elses_results_are_not_theirs_to_flip(club):
    result = await club.alice.slash(club.channel, "film search", genre="Drama")
    other = await club.boris.click(result.response.message, label="▶")
    assert other.ephemeral and "belong to whoever asked" in other.response.content


async def test_no_match_suggests_the_closest_titles(club):
    result = await club.alice.slash(club.channel, "film search", title="cranse flying", year="1990")
    assert result.ephemeral
    assert result.response.content.startswith("No film matches")
    assert "The Cranes Are Flying (1957)" in result.response.content
    assert club.channel.last_message is None


async def test_no_filter_is_refused(club):
    result = await club.alice.slash(club.channel, "film search")
    assert result.ephemeral and "at least one" in result.response.content


@pytest.mark.parametrize(
    ("options", "said"),
    [
        ({"year": "1955s"}, "decade"),
        ({"year": "nineteen"}, "`year` takes"),
        ({"year": "2500"}, "must fall between"),
        ({"year": "0000s"}, "must fall between"),
        ({"title": "x" * 5000}, "at most 100"),
        ({"director": "   "}, "no letters"),
        ({"cast": "\x00\x1b"}, "no letters"),
        ({"genre": "!!!"}, "no letters"),
        ({"country": "y" * 5000}, "at most 100"),
    ],
)
async def test_bad_filters_get_a_short_ephemeral_answer(club, options, said):
    result = await club.alice.slash(club.channel, "film search", **options)
    assert result.ephemeral and said in result.response.content
    assert len(result.response.content) < 300
    club.assert_pings_no_one()


@pytest.mark.parametrize("typed", ["@everyone", "<@&123>", "<@123>"])
async def test_mention_text_matches_nothing_and_pings_no_one(club, typed):
    result = await club.alice.slash(club.channel, "film search", title=typed + " zzqq")
    assert result.ephemeral
    sent = result.response.message
    assert not sent.mention_everyone and not sent.role_mentions and not sent.mentions
    club.assert_pings_no_one()
