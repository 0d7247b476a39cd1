"""Lists, moderation, the moderator log and a member's own data in Russian: public posts in the
server's language, ephemeral replies in the member's, Russian plural forms."""

from __future__ import annotations

from tests.cogs.film_helpers import CRANES
from tests.locales import speaks

PARENTHOOD = "soviet-films-about-parenthood"
FILMS = ["the-commissar-1967", "father-of-a-soldier-1964", "the-childhood-of-maxim-gorky-1938", CRANES,
         "ballad-of-a-soldier-1959"]


async def _server_speaks_russian(club) -> None:
    async with club.store.transaction() as tx:
        await club.store.settings.put(tx, club.guild.id, "language", "ru")


async def _list_keys(club) -> list[str]:
    return [curated.key for curated in await club.store.lists.visible_to(club.guild.id)]


async def test_list_show_is_posted_in_the_servers_language_whoever_asks(club):
    await _server_speaks_russian(club)
    shown = await club.alice.slash(club.channel, "list show", name=PARENTHOOD)  # alice's client is English
    assert not shown.ephemeral
    page = shown.response.embeds[0]
    assert page.title.endswith(" · 10 фильмов")
    assert page.footer.text == "📚 встроенный в kinoclub · /список копировать создаст редактируемую копию"


async def test_a_russian_member_is_told_in_russian_that_a_list_does_not_exist(club):
    speaks(club.alice, "ru")
    missing = await club.alice.slash(club.channel, "list show", name="no-such-list")
    assert missing.ephemeral
    assert missing.response.content == "На этом сервере нет списка «no-such-list». Все списки показывает /список все."


async def test_list_all_in_russian_counts_films_in_the_three_russian_forms(club):
    for name, size in (("Один", 1), ("Два", 2), ("Пять", 5)):
        before = set(await _list_keys(club))
        await club.mod.slash(club.channel, "list create", name=name)
        (key,) = set(await _list_keys(club)) - before
        for film in FILMS[:size]:
            await club.mod.slash(club.channel, "list add", list=key, film=film)
    await _server_speaks_russian(club)
    overview = await club.boris.slash(club.channel, "list all")
    assert not overview.ephemeral
    page = overview.response.embeds[0]
    assert page.title == "Списки клуба"
    for line in ("**Один** · 1 фильм", "**Два** · 2 фильма", "**Пять** · 5 фильмов",
                 "**Soviet films about parenthood** · 10 фильмов · 📚 встроенный"):
        assert line in page.description, line
    assert page.footer.text == "/список показать название: — открыть список"


async def test_a_plain_russian_member_is_refused_in_russian_and_nothing_is_written(club):
    speaks(club.alice, "ru")
    before = await _list_keys(club)
    refusal = "Это могут только модераторы клуба (роль модератора или право «Управлять сервером»)."
    created = await club.alice.slash(club.channel, "list create", name="Мой список")
    added = await club.alice.slash(club.channel, "film add", title="Сталкер", year=1979)
    for result in (created, added):
        assert result.ephemeral and result.response.content == refusal
    assert await _list_keys(club) == before
    assert await club.store.films.get_by_key("m-stalker-1979") is None


async def test_a_russian_moderator_reads_the_log_in_russian(club):
    speaks(club.mod, "ru")
    made = await club.mod.slash(club.channel, "list create", name="Зимние показы")
    assert made.response.content == (
        "Список «Зимние показы» создан (ключ zimnie-pokazy). Добавляйте фильмы командой /список добавить."
    )
    added = await club.mod.slash(club.channel, "list add", list="zimnie-pokazy", film=CRANES)
    assert added.response.content.startswith("Фильм «")
    assert added.response.content.endswith("» добавлен в список «Зимние показы» под номером 1.")
    logged = await club.mod.slash(club.channel, "club log", kind="lists")
    assert logged.ephemeral
    (page,) = logged.response.embeds
    assert page.title == "Журнал модераторов · списки"
    first, second = page.description.split("\n")
    by = f"<@{club.mod.id}>"
    assert " добавил(а) «" in first and "в список «Зимние показы» под № 1" in first and by in first
    assert second.endswith(f"{by} создал(а) список «Зимние показы»")


async def test_a_malformed_letterboxd_file_is_refused_in_russian(club):
    speaks(club.alice, "ru")
    result = await club.alice.slash(
        club.channel, "import letterboxd", file=("ratings.csv", b"Date,Name,Year,Rating\n2024-01-01,X,1999,4\n")
    )
    assert result.ephemeral
    assert result.response.content == (
        "ratings.csv:1: нет столбца Letterboxd URI; "
        "ожидался файл оценок Letterboxd (Date,Name,Year,Letterboxd URI,Rating)."
    )
    assert await club.store.ratings.of_member(club.guild.id, club.alice.id) == []


async def test_forget_me_asks_and_answers_in_russian(club):
    await club.alice.slash(club.channel, "rate", film=CRANES, score=9)
    speaks(club.alice, "ru")
    asked = await club.alice.slash(club.channel, "forget me")
    assert asked.ephemeral
    assert asked.response.content.startswith("Будут удалены ваши оценки, рецензии, история оценок, голоса")
    done = await club.alice.click(asked.response.message, label="Удалить мои данные")
    assert done.response.message.content == (
        "Готово, удалено: 1 оценка (с рецензией), 1 запись истории оценок, 0 голосов и 0 выдвижений."
    )
    assert await club.store.ratings.of_member(club.guild.id, club.alice.id) == []
