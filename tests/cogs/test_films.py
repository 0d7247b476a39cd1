"""/film show as a member uses it, in the simulated Discord."""

from __future__ import annotations

import pytest

CRANES = "The Cranes Are Flying (1957) — Mikhail Kalatozov"


@pytest.mark.parametrize("typed", ["cranes", "журавли", "Летят журавли", "letyat zhuravli", "letiat", "crnaes"])
async def test_autocomplete_finds_the_cranes_are_flying(club, typed):
    choices = await club.alice.autocomplete(club.channel, "film show", "title", typed)
    assert choices[0] == {"name": CRANES, "value": "the-cranes-are-flying-1957"}


async def test_autocomplete_before_typing_offers_films_within_discords_limits(club):
    choices = await club.alice.autocomplete(club.channel, "film show", "title", "")
    assert 1 <= len(choices) <= 25
    assert all(len(choice["name"]) <= 100 and len(choice["value"]) <= 100 for choice in choices)


@pytest.mark.parametrize("typed", ["a", "o", "the", "so"])
async def test_short_queries_stay_within_discords_limits(club, typed):
    choices = await club.alice.autocomplete(club.channel, "film show", "title", typed)
    assert choices, typed
    assert len(choices) <= 25
    assert all(len(choice["name"]) <= 100 for choice in choices)


@pytest.mark.parametrize("typed", ["@everyone", "x" * 100, "\x00\x1b[31m", "zzqqxx", "   "])
async def test_autocomplete_with_nonsense_offers_nothing_and_fails_nothing(club, typed):
    choices = await club.alice.autocomplete(club.channel, "film show", "title", typed)
    if typed.strip():
        assert choices == []
    else:
        assert 1 <= len(choices) <= 25


async def test_show_picked_from_autocomplete_posts_the_card(club):
    result = await club.alice.slash(club.channel, "film show", title="the-cranes-are-flying-1957")
    assert not result.ephemeral
    (card,) = result.response.embeds
    assert card.title == "The Cranes Are Flying (1957)"
    assert card.url == "https://www.imdb.com/title/tt0050634/"
    fields = {field.name: field.value for field in card.fields}
    assert fields["Original title"] == "Летят журавли"
    assert fields["Director"] == "Mikhail Kalatozov"
    assert "Aleksey Batalov" in fields["Cast"]
    assert fields["Runtime"] == "97 min"
    assert "Soviet Union" in fields["Country"]
    assert "imdb.com/title/tt0050634" in fields["Links"]
    assert card.description and "Veronika" in card.description
    assert len(card) <= 6000


async def test_show_with_typed_text_shows_the_best_match(club):
    result = await club.alice.slash(club.channel, "film show", title="Баллада о солдате")
    assert result.response.embeds[0].title == "Ballad of a Soldier (1959)"


async def test_show_a_film_without_imdb_id_links_to_searches(club):
    result = await club.alice.slash(club.channel, "film show", title="the-mexican-1955")
    fields = {field.name: field.value for field in result.response.embeds[0].fields}
    assert "imdb.com/find" in fields["Links"] and "letterboxd.com/search" in fields["Links"]


@pytest.mark.parametrize(
    "typed",
    ["@everyone", "<@&123456789012345678> what", "qqqzzz nothing like it", "\x00\x07\x1b", "`" * 50 + "x" * 150],
)
async def test_show_an_unknown_film_is_a_short_ephemeral_refusal_pinging_no_one(club, typed):
    result = await club.alice.slash(club.channel, "film show", title=typed)
    assert result.ephemeral
    message = result.response.content
    assert message.startswith("No film matching") or message.startswith("Give a film title")
    assert len(message) < 400
    assert "\x00" not in message and "\x1b" not in message and "`" not in message
    sent = result.response.message
    assert not sent.mention_everyone and not sent.role_mentions and not sent.mentions
    (reply,) = [request for request in club.env.http_requests if "/callback" in request.path]
    assert reply.json["data"]["allowed_mentions"] == {"parse": []}
    assert club.channel.last_message is None  # nothing public was posted


async def test_show_a_whitespace_title_asks_for_one(club):
    result = await club.alice.slash(club.channel, "film show", title="   ")
    assert result.ephemeral
    assert result.response.content.startswith("Give a film title")


async def test_a_film_with_enormous_fields_still_posts_a_valid_card(club):
    from bot.catalogue.normalise import normalise
    from tests.ui.test_films import HUGE

    async with club.store.transaction() as tx:
        await club.store.films.upsert(tx, HUGE.draft(), normalise)
    choices = await club.alice.autocomplete(club.channel, "film show", "title", "ТТТТТТ")
    assert choices[0]["value"] == "huge" and len(choices[0]["name"]) <= 100
    result = await club.alice.slash(club.channel, "film show", title="huge")
    (card,) = result.response.embeds
    assert len(card) <= 6000
    assert card.description.endswith("…")


@pytest.mark.parametrize(
    ("typed", "key"), [("mother 1955", "mother-1955"), ("cranes kalatozov", "the-cranes-are-flying-1957")]
)
async def test_autocomplete_reads_a_year_or_a_persons_name_with_the_title(club, typed, key):
    choices = await club.alice.autocomplete(club.channel, "film show", "title", typed)
    assert choices[0]["value"] == key


async def test_show_with_typed_title_and_year_posts_that_films_card(club):
    result = await club.alice.slash(club.channel, "film show", title="mother 1955")
    assert result.response.embeds[0].title == "Mother (1955)"
