"""Looking films up and rating them in Russian: a public reply in the server's language, a private one in
the member's, film titles as a Russian reader knows them, and Russian plural forms."""

from __future__ import annotations

import re

import pytest

from bot import i18n
from bot.club.scales import Scale
from bot.i18n import counted, speaking
from bot.store.models import Film, Title
from bot.ui import charts, limits
from bot.ui.films import film_label, film_title
from tests.locales import speaks

CRANES = "the-cranes-are-flying-1957"
BALLAD = "ballad-of-a-soldier-1959"
PNG = b"\x89PNG\r\n\x1a\n"


async def russian_server(club) -> None:
    reply = await club.mod.slash(club.channel, "club language", language="ru")
    assert reply.ephemeral


def fields(embed) -> dict[str, str]:
    return {field.name: field.value for field in embed.fields}


async def test_the_card_in_a_russian_server_titles_the_film_in_russian_with_the_english_beside(club):
    await russian_server(club)
    result = await club.alice.slash(club.channel, "film show", title=CRANES)
    assert not result.ephemeral
    (card,) = result.response.embeds
    assert card.title == "Летят журавли (1957)"
    shown = fields(card)
    assert shown["Английское название"] == "The Cranes Are Flying"
    assert "Оригинальное название" not in shown  # the Russian title is the original: not said twice
    assert shown["Режиссёр"] == "Mikhail Kalatozov"
    assert shown["Продолжительность"] == "97 мин"
    assert shown["Оценка клуба"] == "Оценок пока нет"
    assert {"В ролях", "Страна", "Жанры и темы", "Ссылки"} <= set(shown)
    assert not any(name in shown for name in ("Director", "Runtime", "Cast", "Links"))
    # The stored English country and genres, named in Russian: CLDR has no code for the USSR.
    assert shown["Страна"] == "СССР"
    assert shown["Жанры и темы"] == "драма, военный, мелодрама, Вторая мировая война"


async def test_the_same_card_in_an_english_server_is_english_with_the_original_beside(club):
    result = await club.alice.slash(club.channel, "film show", title=CRANES)
    (card,) = result.response.embeds
    assert card.title == "The Cranes Are Flying (1957)"
    shown = fields(card)
    assert shown["Original title"] == "Летят журавли" and "English title" not in shown
    assert shown["Runtime"] == "97 min"
    assert shown["Country"] == "Soviet Union" and shown["Genres and themes"] == "Drama, War, Romance, World War II"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("ru", "В каталоге нет фильма, похожего на «qqqzzz nothing like it»"),
        ("en-US", "No film matching “qqqzzz nothing like it” is in the catalogue"),
    ],
)
async def test_an_unknown_film_is_refused_privately_in_the_members_own_language(club, locale, expected):
    await russian_server(club)  # the server's language is for public posts, not this refusal
    speaks(club.alice, locale)
    result = await club.alice.slash(club.channel, "film show", title="qqqzzz nothing like it")
    assert result.ephemeral and result.response.content.startswith(expected)


async def test_a_russian_member_on_an_english_server_reads_russian_privately_and_the_card_stays_english(club):
    speaks(club.alice, "ru")
    card = await club.alice.slash(club.channel, "film show", title=CRANES)
    assert not card.ephemeral and card.response.embeds[0].title == "The Cranes Are Flying (1957)"
    assert "Runtime" in fields(card.response.embeds[0])
    refused = await club.alice.slash(club.channel, "film show", title="   ")
    assert refused.ephemeral
    assert refused.response.content == "Укажите название фильма: начните вводить его и выберите вариант из списка."
    rated = await club.alice.slash(club.channel, "rate", film=CRANES, score=8)
    assert rated.ephemeral and rated.response.content == "Вы оценили Летят журавли (1957): 8/10"
    again = await club.alice.slash(club.channel, "rate", film=CRANES, score=6)
    assert again.response.content == "Вы оценили Летят журавли (1957): 6/10 (было 8/10)"
    # The public card shows the rating in English, however the member's client speaks.
    card = await club.boris.slash(club.channel, "film show", title=CRANES)
    assert fields(card.response.embeds[0])["Club rating"] == "6.00/10 from 1 member"


@pytest.mark.parametrize(
    ("locale", "typed", "expected"),
    [
        ("ru", "журавли", "Летят журавли / The Cranes Are Flying (1957) — Mikhail Kalatozov"),
        ("ru", "cranes", "Летят журавли / The Cranes Are Flying (1957) — Mikhail Kalatozov"),
        ("ru", "ballad", "Баллада о солдате / Ballad of a Soldier (1959) — Grigori Chukhrai"),
        ("en-US", "журавли", "The Cranes Are Flying (1957) — Mikhail Kalatozov"),
    ],
)
async def test_autocomplete_labels_name_the_film_in_the_members_language(club, locale, typed, expected):
    speaks(club.alice, locale)
    choices = await club.alice.autocomplete(club.channel, "film show", "title", typed)
    assert choices[0]["name"] == expected
    assert choices[0]["value"] in (CRANES, BALLAD)  # a key, whatever the label's language
    assert all(len(choice["name"]) <= limits.CHOICE_NAME for choice in choices)


async def test_a_russian_members_suggestions_stay_within_discords_limits_before_typing_too(club):
    speaks(club.alice, "ru")
    for typed in ("", "а", "the"):
        choices = await club.alice.autocomplete(club.channel, "rate", "film", typed)
        assert 1 <= len(choices) <= 25, typed
        assert all(len(choice["name"]) <= 100 and len(choice["value"]) <= 100 for choice in choices)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"score": 0}, "По шкале этого сервера оценка — целое число от 1 до 10."),
        ({"score": 11}, "По шкале этого сервера оценка — целое число от 1 до 10."),
        ({"film": "zzqx no such film qqq"}, "В каталоге нет фильма, похожего на «zzqx no such film qqq»."),
        ({"film": "   "}, "Укажите название фильма"),
        ({"review": "  "}, "Отзыв пуст: напишите что-нибудь или не заполняйте поле отзыва."),
        ({"review": "x" * 1500}, "Отзыв может быть не длиннее 1 000 символов, а в вашем 1 500."),
    ],
)
async def test_bad_rate_input_is_refused_in_russian_and_writes_nothing(club, options, message):
    await russian_server(club)
    speaks(club.alice, "ru")
    result = await club.alice.slash(club.channel, "rate", **({"film": CRANES, "score": 7} | options))
    assert result.ephemeral
    # Russian groups thousands with a no-break space: 1 000.
    assert result.response.content.replace("\u00a0", " ").startswith(message)
    cranes = await club.store.films.get_by_key(CRANES)
    assert await club.store.ratings.get(club.guild.id, club.alice.id, cranes.id) is None
    assert await club.store.ratings.of_member(club.guild.id, club.alice.id) == []


async def test_the_same_bad_input_is_refused_in_english_to_an_english_member_on_a_russian_server(club):
    await russian_server(club)
    result = await club.alice.slash(club.channel, "rate", film=CRANES, score=0)
    assert result.ephemeral
    assert result.response.content == "On this server's scale a score is a whole number from 1 to 10."


def test_russian_plural_forms_of_what_the_films_area_counts():
    with speaking("ru"):
        assert [counted(n, "{n} rating", "{n} ratings") for n in (1, 2, 5, 11, 21, 22, 25)] == [
            "1 оценка", "2 оценки", "5 оценок", "11 оценок", "21 оценка", "22 оценки", "25 оценок",
        ]
        assert [counted(n, "{n} film", "{n} films") for n in (1, 3, 5, 12)] == [
            "1 фильм", "3 фильма", "5 фильмов", "12 фильмов",
        ]
        assert counted(1, "from {n} member", "from {n} members") == "от 1 участника"
        assert counted(2, "from {n} member", "from {n} members") == "от 2 участников"
    assert counted(1, "{n} rating", "{n} ratings") == "1 rating"
    assert counted(2, "{n} rating", "{n} ratings") == "2 ratings"


@pytest.mark.parametrize(("rated", "header"), [(1, "1 оценка"), (2, "2 оценки"), (5, "5 оценок")])
async def test_ratings_header_counts_in_russian_plural_forms(club, rated, header):
    await russian_server(club)
    keys = [film.key for film in await club.store.films.get_many(list(range(1, 40)))][:rated]
    assert len(keys) == rated
    for key in keys:
        await club.alice.slash(club.channel, "rate", film=key, score=7)
    result = await club.alice.slash(club.channel, "ratings")
    assert not result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "Оценки участника alice"
    assert embed.description.startswith(f"{header} · в среднем ")


def test_the_charts_axis_labels_are_in_the_readers_language():
    assert charts.axis_labels(Scale.TEN) == ("score", "ratings")
    assert charts.axis_labels(Scale.STARS) == ("stars", "ratings")
    with speaking("ru"):
        assert charts.axis_labels(Scale.TEN) == ("оценка", "число оценок")
        assert charts.axis_labels(Scale.STARS) == ("звёзды", "число оценок")


async def test_ratings_chart_is_drawn_in_the_servers_language(club):
    await club.alice.slash(club.channel, "rate", film=CRANES, score=8)
    await club.alice.slash(club.channel, "rate", film=BALLAD, score=6)
    english = await club.boris.slash(club.channel, "ratings", member=club.alice)
    english_png = await english.response.attachments[0].read()
    await russian_server(club)
    russian = await club.boris.slash(club.channel, "ratings", member=club.alice)
    russian_png = await russian.response.attachments[0].read()
    assert english_png.startswith(PNG) and russian_png.startswith(PNG)
    # Same counts and title (the member's name): only the axis labels differ, and the cache tells them apart.
    assert russian_png != english_png
    counts = (0, 0, 0, 0, 0, 1, 0, 1, 0, 0)
    name = "alice"  # the chart's title: the member's display name
    assert english_png == charts.render_distribution(counts, Scale.TEN, name)
    with speaking("ru"):
        assert russian_png == charts.render_distribution(counts, Scale.TEN, name)
    assert russian.response.embeds[0].description.startswith("2 оценки · в среднем ")


async def test_seen_in_a_russian_server_titles_the_film_in_russian(club):
    await club.alice.slash(club.channel, "rate", film=CRANES, score=9)
    await russian_server(club)
    result = await club.boris.slash(club.channel, "seen", film=CRANES)
    embed = result.response.embeds[0]
    assert embed.title == "Кто смотрел: Летят журавли (1957)"
    assert embed.description.startswith("1 оценка · в среднем ")


def test_a_russian_reader_sees_a_russian_alternative_title_when_the_original_is_not_cyrillic():
    film = Film(
        key="les-quatre-cents-coups-1959", title="The 400 Blows", source="moderator",
        original_title="Les Quatre Cents Coups", year=1959, directors=("François Truffaut",),
        aliases=(Title("Chetyresta udarov", "ru-Latn"), Title("Четыреста ударов", "ru")),
    )
    plain = Film(key="x-1959", title="The 400 Blows", source="moderator", original_title="Les Quatre Cents Coups")
    with speaking("ru"):
        assert film_title(film) == "Четыреста ударов (1959)"
        label = "Четыреста ударов / Les Quatre Cents Coups / The 400 Blows (1959) — François Truffaut"
        assert film_label(film) == label
        assert film_label(plain) == "The 400 Blows / Les Quatre Cents Coups"
        long = Film(key="l", title="T" * 90, source="moderator", original_title="Ж" * 90, year=2001, directors=("D",))
        assert len(film_label(long)) == limits.CHOICE_NAME and film_label(long).endswith("(2001) — D")
    assert i18n.current() == i18n.ENGLISH
    assert film_label(film) == "The 400 Blows (1959) — François Truffaut"


def test_taste_words_and_reasons_in_russian():
    from bot.club.taste import _reason
    from bot.ui.taste import likeness

    with speaking("ru"):
        assert likeness(0.9) == "очень похожий вкус"
        assert _reason([9, 10], Scale.TEN) == "оценка 9+ у 2 участников с похожим вкусом"
        assert _reason([9], Scale.TEN) == "оценка 9+ у 1 участника с похожим вкусом"
        assert _reason([7, 8], Scale.STARS) == "оценка в среднем 3,8★ у 2 участников с похожим вкусом"
    assert _reason([9, 10], Scale.TEN) == "rated 9+ by 2 members who share your taste"


async def test_a_russian_member_searches_by_country_and_genre_in_russian(club):
    """The catalogue stores "Soviet Union" and "World War II"; a Russian member types them in Russian
    and finds what an English member finds with the English words."""
    speaks(club.alice, "ru")
    russian = await club.alice.slash(club.channel, "film search", country="СССР", genre="Вторая мировая война")
    english = await club.boris.slash(club.channel, "film search", country="Soviet Union", genre="World War II")
    found = [re.findall(r"^\d+\. .+$", str(r.response.embeds[0].description), re.M) for r in (russian, english)]
    assert found[0] == found[1]
    assert any("The Cranes Are Flying (1957)" in line for line in found[0])  # the page is public: English here
