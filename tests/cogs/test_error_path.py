"""One error path for components: a real failure inside a button's callback reaches `answer_error`."""

from __future__ import annotations

import logging
import sqlite3

from bot.ui.replies import APOLOGY
from tests.cogs.film_helpers import CRANES


async def test_a_failing_share_button_apologises_privately_and_logs_the_traceback(club, caplog):
    rated = await club.alice.slash(club.channel, "rate", film=CRANES, score=8)
    # The table the button reads is gone, as after a botched manual edit of the database.
    with sqlite3.connect(club.store.path) as other:
        other.execute("PRAGMA foreign_keys = OFF")
        other.execute("DROP TABLE ratings")
    with caplog.at_level(logging.ERROR, logger="kinoclub"):
        shared = await club.alice.click(rated.response, label="Share")
    assert shared.ephemeral and shared.response.content == APOLOGY
    assert not shared.followups
    (failed,) = [r for r in caplog.records if r.name == "kinoclub" and r.levelno == logging.ERROR]
    assert "ShareButton" in failed.getMessage() and str(club.alice.id) in failed.getMessage()
    assert failed.exc_info and "no such table: ratings" in str(failed.exc_info[1])
    assert "ratings" not in shared.response.content  # the cause is logged, not shown


async def test_a_failing_search_menu_apologises_privately_and_logs_the_traceback(club, caplog):
    result = await club.alice.slash(club.channel, "film search", title="cranes")
    with sqlite3.connect(club.store.path) as other:
        other.execute("PRAGMA foreign_keys = OFF")
        other.execute("DROP TABLE ratings")  # the film card reads the club's ratings
    with caplog.at_level(logging.ERROR, logger="kinoclub"):
        chosen = await club.alice.select(result.response.message, [CRANES])
    assert chosen.ephemeral and chosen.response.content == APOLOGY
    (failed,) = [r for r in caplog.records if r.name == "kinoclub" and r.levelno == logging.ERROR]
    assert "Show a film's card" in failed.getMessage() and failed.exc_info
    assert "no such table: ratings" in str(failed.exc_info[1])
    # discord.py's own handler ("Ignoring exception in view") never saw it.
    assert not [r for r in caplog.records if r.name.startswith("discord") and r.levelno >= logging.ERROR]
    # SimCord saw the view's error too; here it is the one this test provoked.
    assert [type(error).__name__ for error in club.take_errors()] == ["OperationalError"]


async def test_a_user_error_in_a_button_is_its_own_private_message(club):
    rated = await club.alice.slash(club.channel, "rate", film=CRANES, score=8)
    await club.alice.slash(club.channel, "unrate", film=CRANES)
    shared = await club.alice.click(rated.response, label="Share")
    assert shared.ephemeral and shared.response.content == "That rating has been removed, so there is nothing to share."
    assert not shared.followups
