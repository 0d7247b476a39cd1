"""/top, /match and /recommend as members use them, over ratings written straight to the store."""

from __future__ import annotations

from bot.club import taste
from bot.ui.films import film_label

PARENTHOOD = "soviet-films-about-parenthood"
LONG_AGO = "2020-01-01T00:00:00+00:00"


async def rate(club, user_id: int, film_id: int, score: int, at: str | None = None) -> None:
    async with club.store.transaction() as tx:
        await club.store.ratings.put(tx, club.guild.id, user_id, film_id, score, at=at)


async def films(club, count: int):
    found = await club.store.films.get_many(list(range(1, 100)))
    assert len(found) >= count
    return sorted(found, key=lambda film: film.id)[:count]


def lines(result) -> list[str]:
    return result.response.embeds[0].description.splitlines()


# ------------------------------------------------------------------------ /top


async def test_top_ranks_ten_a_page_and_skips_films_with_too_few_ratings(club):
    catalogue = await films(club, 13)
    for rank, film in enumerate(catalogue[:12]):
        for user in (1001, 1002, 1003):
            await rate(club, user, film.id, 10 - rank // 2)  # 10 10 9 9 8 8 …
    await rate(club, 1001, catalogue[12].id, 10)  # one rating: not enough for the top
    await rate(club, 1002, catalogue[12].id, 10)

    result = await club.alice.slash(club.channel, "top")
    assert not result.ephemeral
    page = lines(result)
    assert len(page) == 10
    mean = taste.club_mean(await club.store.ratings.matrix(club.guild.id))
    bayes = (3 * mean + 30) / 6
    assert page[0] == f"1. {film_label(catalogue[0])} · {bayes:.2f} (3 ratings)"
    assert page[1].startswith(f"2. {film_label(catalogue[1])} · ")  # same score and count: by film id
    assert film_label(catalogue[12]) not in "\n".join(page)
    assert result.response.embeds[0].footer.text.endswith("Page 1 of 2")
    assert "At least 3 ratings" in result.response.embeds[0].footer.text

    turned = await club.alice.click(result.response.message, label="▶")
    second = lines(turned)
    assert [line.split(".")[0] for line in second] == ["11", "12"]
    assert film_label(catalogue[12]) not in "\n".join(second)
    club.assert_pings_no_one()


async def test_top_follows_the_min_ratings_setting_and_says_when_nothing_qualifies(club):
    (film,) = await films(club, 1)
    for user in (1, 2, 3):
        await rate(club, user, film.id, 8)
    async with club.store.transaction() as tx:
        await club.store.settings.put(tx, club.guild.id, taste.TOP_MIN_RATINGS, 4)
    empty = await club.alice.slash(club.channel, "top")
    assert empty.ephemeral and "4 or more ratings" in empty.response.content
    async with club.store.transaction() as tx:
        await club.store.settings.put(tx, club.guild.id, taste.TOP_MIN_RATINGS, 2)
    shown = await club.alice.slash(club.channel, "top")
    assert lines(shown) == [f"1. {film_label(film)} · 8.00 (3 ratings)"]


async def test_top_for_a_period_counts_only_recent_ratings(club):
    old, new = await films(club, 2)
    for user in (1, 2, 3):
        await rate(club, user, old.id, 10, at=LONG_AGO)
        await rate(club, user, new.id, 6)
    every = await club.alice.slash(club.channel, "top", period="all")
    assert [line.split(" · ")[0] for line in lines(every)] == [f"1. {film_label(old)}", f"2. {film_label(new)}"]
    week = await club.alice.slash(club.channel, "top", period="week")
    assert lines(week) == [f"1. {film_label(new)} · 6.00 (3 ratings)"]
    assert "this week" in week.response.embeds[0].title


async def test_top_on_a_list_and_the_list_autocomplete(club):
    curated = await club.store.lists.find(club.guild.id, PARENTHOOD)
    on_list = (await club.store.lists.entries(curated.id))[0].film
    listed = {entry.film.id for entry in await club.store.lists.entries(curated.id)}
    off_list = next(film for film in await films(club, 16) if film.id not in listed)
    for user in (1, 2, 3):
        await rate(club, user, on_list.id, 7)
        await rate(club, user, off_list.id, 9)
    result = await club.alice.slash(club.channel, "top", list=PARENTHOOD)
    assert [line.split(" · ")[0] for line in lines(result)] == [f"1. {film_label(on_list)}"]
    assert curated.name in result.response.embeds[0].title

    choices = await club.alice.autocomplete(club.channel, "top", "list", "parent")
    assert [choice["value"] for choice in choices] == [PARENTHOOD]

    unknown = await club.alice.slash(club.channel, "top", list="no-such-list")
    assert unknown.ephemeral and unknown.response.content.startswith("This server has no list")
    club.assert_pings_no_one()


# ---------------------------------------------------------------------- /match


async def test_match_compares_two_members_without_pinging(club):
    a, b, c, d = await films(club, 4)
    for film, mine, theirs in ((a, 9, 10), (b, 8, 7), (c, 3, 2), (d, 7, 2)):
        await rate(club, club.alice.id, film.id, mine)
        await rate(club, club.boris.id, film.id, theirs)
    result = await club.alice.slash(club.channel, "match", member=club.boris)
    assert not result.ephemeral
    embed = result.response.embeds[0]
    assert f"<@{club.alice.id}> and <@{club.boris.id}> have both rated 4 films." in embed.description
    r = taste.match(await club.store.ratings.matrix(club.guild.id), club.alice.id, club.boris.id).correlation
    assert f"Taste match: **{r:+.2f}**" in embed.description
    (field,) = embed.fields
    assert field.value.splitlines()[0] == f"{film_label(d)}: you 7/10, them 2/10"
    club.assert_pings_no_one()


async def test_match_refuses_yourself_bots_and_members_with_nothing_in_common(club):
    itself = await club.alice.slash(club.channel, "match", member=club.alice)
    assert itself.ephemeral and itself.response.content.startswith("That is you")
    robot = club.guild.add_member(club.env.create_user("projector", bot=True))
    bot = await club.alice.slash(club.channel, "match", member=robot)
    assert bot.ephemeral and bot.response.content.startswith("Bots do not rate films")
    nothing = await club.alice.slash(club.channel, "match", member=club.boris)
    assert nothing.ephemeral and nothing.response.content == (
        f"You and <@{club.boris.id}> have not rated any film in common yet."
    )
    club.assert_pings_no_one()


# ------------------------------------------------------------------ /recommend


async def test_recommend_lists_picks_with_reasons(club):
    a, b, c, d, liked, loved, disliked = await films(club, 7)
    mine = {a: 9, b: 8, c: 3, d: 7}
    for film, score in mine.items():
        await rate(club, club.alice.id, film.id, score)
    for user, offset in ((2001, 0), (2002, 1)):  # same shape as alice's scores: correlation 1
        for film, score in mine.items():
            await rate(club, user, film.id, min(score + offset, 10))
        await rate(club, user, liked.id, 8)
        await rate(club, user, loved.id, 9 + offset)
        await rate(club, user, disliked.id, 4)
    result = await club.alice.slash(club.channel, "recommend")
    text = lines(result)
    assert text[0].startswith(f"1. {film_label(loved)} · ")
    assert text[1].strip() == "rated 9+ by 2 members who share your taste"
    assert text[2].startswith(f"2. {film_label(liked)} · 8.00")
    assert text[3].strip() == "rated 8 on average by 2 members who share your taste"
    assert film_label(disliked) not in result.response.embeds[0].description
    club.assert_pings_no_one()


async def test_recommend_without_neighbours_asks_for_more_ratings(club):
    (film,) = await films(club, 1)
    await rate(club, club.boris.id, film.id, 8)
    result = await club.alice.slash(club.channel, "recommend")
    assert result.ephemeral and "Rate more films" in result.response.content
