"""One error path for components: a real failure inside a button's callback reaches `answer_error`."""

from __future__ import annotations

import logging
import sqlite3

from discord.app_commands import Choice

from bot.errors import UserError
from bot.ui.replies import APOLOGY, suggestions
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


async def test_failing_suggestions_are_logged_on_the_one_path_and_leave_an_empty_list(club, caplog):
    assert await club.alice.autocomplete(club.channel, "film show", "title", "cranes")
    with sqlite3.connect(club.store.path) as other:
        other.execute("ALTER TABLE film_titles RENAME TO film_titles_moved")
    try:
        with caplog.at_level(logging.ERROR):
            choices = await club.alice.autocomplete(club.channel, "film show", "title", "cranes kalatozov")
    finally:
        with sqlite3.connect(club.store.path) as other:
            other.execute("ALTER TABLE film_titles_moved RENAME TO film_titles")
    assert choices == []
    (failed,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert failed.name == "kinoclub"  # ours, not discord.py's "Ignoring exception in autocomplete"
    assert "suggestions for /film show failed" in failed.getMessage() and str(club.alice.id) in failed.getMessage()
    assert "film_titles" in str(failed.exc_info[1])
    assert await club.alice.autocomplete(club.channel, "film show", "title", "cranes")  # and it recovers


def test_every_autocomplete_callback_takes_the_one_error_path(club):
    wrapped = {}
    for command in club.bot.tree.walk_commands():
        for parameter in getattr(command, "_params", {}).values():  # discord.py keeps the callbacks here
            if parameter.autocomplete is not None:
                wrapped[f"{command.qualified_name} {parameter.name}"] = getattr(
                    parameter.autocomplete, "guarded_suggestions", False
                )
    assert len(wrapped) >= 17
    assert [name for name, guarded in wrapped.items() if not guarded] == []


async def test_a_user_error_in_suggestions_becomes_the_one_suggestion_saying_what_is_wrong():
    @suggestions
    async def refuse(interaction, current):
        raise UserError("Lists can be chosen in a server only.")

    assert await refuse(None, "soviet") == [Choice(name="Lists can be chosen in a server only.", value="soviet")]
    assert await refuse(None, "   ") == []  # a choice's value may not be empty
