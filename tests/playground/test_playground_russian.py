"""`kinoclub playground --locale ru`: the tour on a Russian server with Russian members."""

from __future__ import annotations

import re
import sqlite3

from tests.playground.test_playground import after, play


def test_the_russian_tour_speaks_russian_with_russian_titles_plurals_and_dates(capsys, settings, tmp_path):
    database = tmp_path / "tour.db"
    from bot.cli import TOUR

    transcript = play(capsys, settings, TOUR, "--locale", "ru", "--db", str(database))

    card = after(transcript, "/film show title:журавли")
    assert "Летят журавли (1957)" in card and "Английское название: The Cranes Are Flying" in card
    assert "Москва, 1941 год." in card  # the bundled Russian synopsis
    assert "Летят журавли / The Cranes Are Flying (1957) — Mikhail Kalatozov" in after(
        transcript, "complete /film show title:летят"
    )
    rated = after(transcript, '/rate film:"Летят журавли" score:9')
    assert "Вы оценили Летят журавли (1957): 9/10" in rated and "[Поделиться]" in rated
    seen = after(transcript, "/seen film:журавли")
    assert "2 оценки · в среднем 8,00/10" in seen  # CLDR plural and the Russian decimal comma
    assert "10 фильмов" in after(transcript, "pick 1")

    ballot = " ".join(after(transcript, "/week open").split())
    assert "Фильм недели — голосование за 2026-W01" in ballot
    assert "Голосование закроется: пятница, 2 января 2026 20:00 UTC (через 2 дня)." in ballot
    assert "Вы проголосовали за" in after(transcript, "click 1")
    closing = " ".join(after(transcript, "advance 2d").split())
    assert "3 участника проголосовали." in closing and "🏆 Фильм недели (2026-W01):" in closing
    assert not re.search(r"\b(You voted|Film of the week|members voted|ratings ·)\b", transcript)

    with sqlite3.connect(database) as db:
        assert db.execute("SELECT value FROM guild_settings WHERE key = 'language'").fetchall() == []
        assert db.execute("SELECT count(*) FROM ratings").fetchone()[0] == 2
