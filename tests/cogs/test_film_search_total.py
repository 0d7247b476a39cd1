"""/film search in the simulated Discord: the reply's title gives every film that matches, and every
page of them can be shown, each fetched from the store when first flipped to, most popular first."""

from __future__ import annotations

from bot.catalogue.normalise import normalise
from bot.store.models import FilmDraft

MANY = 263


async def add_films(store, count: int) -> None:
    """`count` moderator films of the genre Zeitgeist, each more popular than the one before."""
    async with store.transaction() as tx:
        for n in range(count):
            draft = FilmDraft(key=f"m-zeit-{n}", title=f"Zeitgeist Number {n}", source="moderator",
                              year=1960 + n % 40, genres=("Zeitgeist",), popularity=n)
            await store.films.upsert(tx, draft, normalise)


def lines(message) -> list[str]:
    return message.embeds[0].description.splitlines()


def menu_labels(message) -> list[str]:
    menu = next(child for row in message.components for child in row.children if hasattr(child, "options"))
    return [option.label for option in menu.options]


async def test_the_title_gives_the_whole_total_and_every_page_can_be_shown(club):
    await add_films(club.store, MANY)
    result = await club.alice.slash(club.channel, "film search", genre="zeitgeist")
    message = result.response.message
    assert message.embeds[0].title == f"Search: {MANY} films"
    assert message.embeds[0].footer.text == "genre: “zeitgeist” · Page 1 of 27"
    assert lines(message)[0].startswith(f"1. Zeitgeist Number {MANY - 1} (")
    await club.alice.click(message, label="▶")
    message = club.channel.last_message
    second = lines(message)
    assert second[0].startswith(f"11. Zeitgeist Number {MANY - 11} (")
    assert menu_labels(message) == [line.split(". ", 1)[1] for line in second]
    for _ in range(25):
        await club.alice.click(message, label="▶")
        message = club.channel.last_message
    assert message.embeds[0].footer.text.endswith("Page 27 of 27")
    buttons = {child.label: child.disabled for row in message.components for child in row.children
               if getattr(child, "label", None) in ("◀", "▶")}
    assert buttons == {"◀": False, "▶": True}  # the last page: nothing past it
    assert [line.split(" (")[0] for line in lines(message)] == [
        "261. Zeitgeist Number 2", "262. Zeitgeist Number 1", "263. Zeitgeist Number 0"
    ]
    await club.alice.click(message, label="◀")
    assert lines(club.channel.last_message)[0].startswith("251. Zeitgeist Number 12 (")
    club.assert_pings_no_one()


async def test_a_page_whose_films_were_removed_since_says_so(club):
    await add_films(club.store, 12)
    result = await club.alice.slash(club.channel, "film search", genre="zeitgeist")
    async with club.store.transaction() as tx:
        for n in range(3):
            await club.store.films.delete(tx, (await club.store.films.get_by_key(f"m-zeit-{n}")).id)
    await club.alice.click(result.response.message, label="▶")
    assert "catalogue has changed" in club.channel.last_message.embeds[0].description


async def test_a_total_within_the_pages_is_the_count_in_the_database(club):
    (row,) = await club.store.fetchall(
        "SELECT count(DISTINCT film_id) FROM film_tags WHERE kind = 'country' AND value = 'Soviet Union'"
    )
    result = await club.alice.slash(club.channel, "film search", country="soviet union")
    assert result.response.embeds[0].title == f"Search: {row[0]} films"
    assert 10 < row[0] <= 250
