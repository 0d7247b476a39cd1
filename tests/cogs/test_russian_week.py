"""The film of the week on a Russian server: public posts in the server's language, private replies in
each member's, plurals and dates the Russian way; an English server keeps its English posts."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.club.weekly.calendar import parse_iso
from tests.cogs.weekly_helpers import advance_to, buttons, follow_simulated_clock, message, text_of, turn_on, vote
from tests.locales import speaks

# Berlin moves its clocks forward at 02:00 on Sunday 29 March 2026, inside this week.
MONDAY_BEFORE = datetime(2026, 3, 23, 10, 0, tzinfo=UTC)
OPENS = datetime(2026, 3, 23, 17, 0, 1, tzinfo=UTC)  # mon 18:00 CET
CLOSE_REMINDER = datetime(2026, 3, 28, 19, 0, 1, tzinfo=UTC)  # sat 20:00 CET, 24 h before the close
CLOSES = datetime(2026, 3, 29, 18, 0, 1, tzinfo=UTC)  # sun 20:00 CEST
SCREENING_REMINDER = datetime(2026, 3, 29, 19, 0, 1, tzinfo=UTC)  # 1 h before sun 22:00 CEST
SCREENING_STARTS = datetime(2026, 3, 29, 20, 0, 1, tzinfo=UTC)


def stamp(instant: str, style: str = "F") -> str:
    return f"<t:{int(parse_iso(instant).timestamp())}:{style}>"


def posted(channel, mark: str) -> list:
    return [m for m in channel.history() if mark in m.content]


async def test_a_whole_week_on_a_russian_server(club):
    follow_simulated_clock(club, MONDAY_BEFORE)
    chosen = await club.mod.slash(club.channel, "club language", language="ru")
    assert chosen.response.content.startswith("The bot's public posts here are now in")  # the moderator's en-US
    speaks(club.alice, "ru")  # boris keeps his client in en-US
    dasha = speaks(club.guild.add_member(club.env.create_user("dasha")), "ru")
    egor = speaks(club.guild.add_member(club.env.create_user("egor")), "ru-RU")
    fyodor = speaks(club.guild.add_member(club.env.create_user("fyodor")), "ru")
    await turn_on(club, timezone="Europe/Berlin", opens="mon 18:00", closes="sun 20:00", screening="sun 22:00")

    # The ballot opens on schedule, in Russian; the closing time is Discord's markup, shown in each reader's zone.
    await advance_to(club, OPENS)
    ballot = await club.store.weekly.open_ballot(club.guild.id)
    ballot_message = message(club.channel, ballot.message_id)
    assert ballot_message.content.startswith("🎬 **Фильм недели — голосование за 2026-W13**")
    assert (
        f"Голосование закроется: {stamp(ballot.closes_at)} ({stamp(ballot.closes_at, 'R')})." in ballot_message.content
    )
    assert "Vote for every film" not in ballot_message.content
    assert all(embed.footer.text.endswith("· 0 голосов") for embed in ballot_message.embeds)

    # Votes: five members, approvals of several films; each hears back in their own client's language.
    first = await vote(club.alice, club, ballot, 1)
    assert first.ephemeral and first.response.content.startswith("Вы проголосовали за **")
    english = await vote(club.boris, club, ballot, 1)
    assert english.ephemeral and english.response.content.startswith("You voted for **")
    for member in (dasha, egor, fyodor):
        await vote(member, club, ballot, 1)
    second = await vote(club.alice, club, ballot, 2)
    assert "Ваши голоса: " in text_of(second)
    await vote(club.boris, club, ballot, 2)
    await vote(dasha, club, ballot, 3)
    await vote(egor, club, ballot, 4)
    withdrawn = await vote(egor, club, ballot, 4)
    assert text_of(withdrawn).startswith("Вы забрали свой голос за **")
    assert len(await club.store.weekly.votes(ballot.id)) == 8
    await club.env.advance_time(6)
    counts = [e.footer.text.rsplit(" · ", 1)[1] for e in message(club.channel, ballot.message_id).embeds]
    assert counts == ["5 голосов", "2 голоса", "1 голос", "0 голосов"]

    # 24 h before the close: the reminder counts the voters the Russian way, times as markup.
    await advance_to(club, CLOSE_REMINDER)
    (reminder,) = posted(club.channel, "⏰")
    assert (
        f"⏰ **Голосование за 2026-W13 закроется {stamp(ballot.closes_at, 'R')}** ({stamp(ballot.closes_at)}). "
        "Пока проголосовали 5 участников." in reminder.content
    )
    assert [b.label for b in buttons(reminder)] == ["Упоминать меня в напоминаниях / хватит"]
    no_role = await dasha.click(reminder, custom_id="kino:remind")
    assert no_role.ephemeral and text_of(no_role).startswith("Напоминания здесь никого не упоминают")
    no_role_en = await club.boris.click(reminder, custom_id="kino:remind")
    assert text_of(no_role_en).startswith("Reminders ping nobody here")

    # Private copies of the ballot (/week show), pressed after the close.
    stale = (await dasha.slash(club.channel, "week show")).response.message
    stale_en = (await club.boris.slash(club.channel, "week show")).response.message
    assert stale.content.startswith("🎬 **Фильм недели — голосование за 2026-W13**")  # her copy, in her language

    # The close: the ballot says who voted; the announcement has the final votes with Russian plurals.
    await advance_to(club, CLOSES)
    pick = await club.store.weekly.pick_of_week(club.guild.id, "2026-W13")
    films = [c.film_id for c in await club.store.weekly.candidates(ballot.id)]
    assert pick.film_id == films[0] and pick.how == "vote"
    winner = await club.store.films.get(films[0])
    ru_title = winner.original_title  # a Russian server shows the film under its Cyrillic title
    assert ru_title and "а" <= ru_title.lower()[0] <= "я", ru_title
    closed = message(club.channel, ballot.message_id)
    assert f"Голосование завершено ({stamp((await club.store.weekly.ballot(ballot.id)).closed_at)})" in closed.content
    assert "; 5 участников проголосовали." in closed.content
    assert f"Фильм недели: **{ru_title}**." in closed.content
    assert closed.embeds[0].footer.text.startswith("Фильм недели · ")
    late = await dasha.click(stale, custom_id=buttons(stale)[1].custom_id)
    assert text_of(late) == "Это голосование закрыто; голоса больше нельзя изменить."
    late_en = await club.boris.click(stale_en, custom_id=buttons(stale_en)[1].custom_id)
    assert text_of(late_en) == "This ballot has closed; votes can no longer change."

    announcement = message(club.channel, pick.message_id)
    assert announcement.content == f"🏆 **Фильм недели (2026-W13): {ru_title}**"
    card = announcement.embeds[0]
    tally = next(field for field in card.fields if field.name.startswith("Итоги голосования"))
    assert tally.name == "Итоги голосования (больше всего голосов)"
    assert [line.rsplit(" — ", 1)[1] for line in tally.value.split("\n")[:-1]] == [
        "5 голосов", "2 голоса", "1 голос", "0 голосов",
    ]
    assert tally.value.split("\n")[-1] == "5 участников проголосовали."
    screening = next(field for field in card.fields if field.name == "Показ")
    assert screening.value == f"{stamp(pick.screening_at)} ({stamp(pick.screening_at, 'R')})"
    assert any(field.name == "После просмотра" for field in card.fields)

    # The thread: its name carries the week label and the title, its first message the etiquette in Russian.
    (thread,) = [t for t in club.channel.threads if t.id == pick.thread_id]
    assert thread.name == f"2026-W13 · {ru_title}"[:100]
    etiquette = thread.history()[0].content
    assert etiquette.startswith(f"Обсуждаем **{ru_title}** — фильм недели 2026-W13.")
    assert f"Правило спойлеров: до показа {stamp(pick.screening_at)} прячьте" in etiquette

    # The event: no markup there, so its description carries Babel's Russian date on the club's clock.
    event = club.env.backend.get_guild(club.guild.id).scheduled_events[pick.event_id]
    assert event.name == f"Фильм недели: {ru_title}"[:100]
    assert event.description == (
        f"Смотрим «{ru_title}» всем клубом (воскресенье, 29 марта 2026 22:00), а потом обсуждаем."
    )

    # A Russian member's private /week show is in Russian; one RSVP is "1 участник".
    await club.alice.subscribe_event(pick.event_id)
    await club.env.advance_time(6)
    shown = await club.alice.slash(club.channel, "week show")
    assert text_of(shown) == f"Фильм недели (2026-W13): **{ru_title}**"
    assert any(f.value.endswith("· 1 участник отметил «Интересно»") for f in shown.response.embeds[0].fields)

    # 1 h before the screening, then the rating window in the thread.
    await advance_to(club, SCREENING_REMINDER)
    (before,) = posted(club.channel, "🍿")
    assert before.content.startswith(
        f"🍿 **{ru_title}**, фильм недели 2026-W13: показ начнётся {stamp(pick.screening_at, 'R')} "
        f"({stamp(pick.screening_at)})."
    )
    assert "[Событие](" in before.content and f"Обсуждаем в <#{pick.thread_id}>." in before.content
    await advance_to(club, SCREENING_STARTS)
    (rate,) = [m for m in thread.history() if "⭐" in m.content]
    assert rate.content.startswith(f"⭐ Как вам **{ru_title}**? Оцените фильм недели 2026-W13 кнопкой ниже")
    assert [b.label for b in buttons(rate)] == ["Оценить фильм"]
    club.assert_pings_no_one()


async def test_an_english_server_keeps_english_posts_for_a_russian_member(club):
    follow_simulated_clock(club, MONDAY_BEFORE)
    speaks(club.alice, "ru")
    await turn_on(club, timezone="Europe/Berlin", screening="sun 22:00")
    opened = await club.mod.slash(club.channel, "week open")
    assert "is open in" in text_of(opened)
    ballot = await club.store.weekly.open_ballot(club.guild.id)
    assert message(club.channel, ballot.message_id).content.startswith("🎬 **Film of the week — ballot for 2026-W13**")

    mine = await vote(club.alice, club, ballot, 1)
    assert mine.response.content.startswith("Вы проголосовали за **")  # her reply, in her language
    on_ballot = await club.store.films.get((await club.store.weekly.candidates(ballot.id))[1].film_id)
    refused = await club.alice.slash(club.channel, "week nominate", film=on_ballot.key)
    # Her reply is in Russian, and so is the film's title in it.
    assert text_of(refused) == f"{on_ballot.original_title} уже есть в открытом голосовании: голосуйте за него там."

    await club.mod.slash(club.channel, "week close")
    pick = await club.store.weekly.pick_of_week(club.guild.id, "2026-W13")
    announcement = message(club.channel, pick.message_id)
    assert announcement.content.startswith("🏆 **Film of the week (2026-W13): ")
    tally = next(field for field in announcement.embeds[0].fields if field.name.startswith("Final votes"))
    assert tally.value.split("\n")[-1] == "1 member voted."
    (thread,) = [t for t in club.channel.threads if t.id == pick.thread_id]
    assert thread.history()[0].content.startswith("Discussion of **")
    event = club.env.backend.get_guild(club.guild.id).scheduled_events[pick.event_id]
    assert event.name.startswith("Film of the week: ") and "Sunday, 29 March 2026 22:00" in event.description
