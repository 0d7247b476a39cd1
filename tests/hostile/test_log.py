"""`logging: level: DEBUG` as `kinoclub run` sets it up: members' text and SQL parameters stay out of the log."""

from __future__ import annotations

import dataclasses
import io
import logging

import pytest

from bot import cli
from bot.config import LoggingConfig
from bot.logsafe import WithoutPayloads
from tests.cogs.film_helpers import CRANES

REVIEW = "Zorblax-7731: tender, fierce, and private"


@pytest.fixture
def debug_log(config):
    """The run command's own logging at DEBUG, its handler writing into a buffer the test reads."""
    root = logging.getLogger()
    before = list(root.handlers), root.level
    cli._setup_logging(dataclasses.replace(config, logging=LoggingConfig(level="DEBUG")))
    buffer = io.StringIO()
    added = [handler for handler in root.handlers if handler not in before[0]]
    assert added, "the run command's logging set up no handler"
    for handler in added:
        handler.setStream(buffer)
    try:
        yield buffer
    finally:
        for handler in added:
            root.removeHandler(handler)
        root.setLevel(before[1])
        logging.getLogger("aiosqlite").setLevel(logging.NOTSET)
        for name in ("discord.http", "discord.gateway", "discord.webhook.async_", "discord.client"):
            logger = logging.getLogger(name)
            for existing in list(logger.filters):
                logger.removeFilter(existing)


async def test_a_review_rated_under_debug_logging_never_reaches_the_log(club, debug_log):
    result = await club.alice.slash(club.channel, "rate", film=CRANES, score=8, review=REVIEW)
    assert result.response.content == "Rated The Cranes Are Flying (1957): 8/10"
    film = await club.store.films.get_by_key(CRANES)
    assert (await club.store.ratings.get(club.guild.id, club.alice.id, film.id)).review == REVIEW

    text = debug_log.getvalue()
    assert "DEBUG" in text  # the log really was at DEBUG while the member rated
    assert "Zorblax" not in text
    assert "INSERT" not in text and "SELECT" not in text
    assert "executing" not in text  # aiosqlite's line for each call, its parameters included


def test_discord_payload_lines_keep_what_happened_without_the_body():
    def record(msg: str, args: tuple) -> logging.LogRecord:
        return logging.LogRecord("discord.http", logging.DEBUG, __file__, 1, msg, args, None)

    sent = record("%s %s with %s has returned %s", ("POST", "/channels/1/messages", {"content": REVIEW}, 200))
    received = record("%s %s has received %s", ("GET", "/channels/1/messages", [{"content": REVIEW}]))
    event = record("For Shard ID %s: WebSocket Event: %s", (None, {"t": "MESSAGE_CREATE", "op": 0, "d": REVIEW}))
    for item in (sent, received, event):
        assert WithoutPayloads().filter(item)
        assert "Zorblax" not in item.getMessage()
    assert sent.getMessage() == "POST /channels/1/messages has returned 200"
    assert event.getMessage() == "For Shard ID None: WebSocket event MESSAGE_CREATE (op 0)"


def test_an_interactions_token_is_cut_out_of_the_reply_urls_logged():
    url = "https://discord.com/api/v10/interactions/1234/aW50ZXJhY3Rpb246MTIzNDpzZWNyZXQ/callback"
    item = logging.LogRecord(
        "discord.webhook.async_", logging.DEBUG, __file__, 1,
        "Webhook ID %s with %s %s has returned status code %s", (1234, "POST", url, 204), None,
    )  # fmt: skip
    assert WithoutPayloads().filter(item)
    assert item.getMessage() == (
        "Webhook ID 1234 with POST https://discord.com/api/v10/interactions/1234/[token]/callback "
        "has returned status code 204"
    )
