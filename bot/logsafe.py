"""What the log must never carry, even at DEBUG: SQL parameters and Discord payloads.

Both hold members' text (reviews, list names, what they typed into a command), and a log file is
read by whoever looks after the machine, kept for months and pasted into bug reports. Nor should an
outage the bot rides out fill it with tracebacks.
"""

from __future__ import annotations

import logging
import re

# aiosqlite logs every call it runs, the SQL and its parameters included, at DEBUG.
QUIET_AT_INFO = ("aiosqlite",)
# An interaction's token is in the URL of every reply to it, and lets anyone post as the bot for 15 minutes.
_URL_TOKEN = re.compile(r"(/(?:interactions|webhooks)/\d+/)[^/?]+")


class WithoutPayloads(logging.Filter):
    """discord.py's DEBUG lines, kept for what happened and when, without the bodies they print."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if record.msg == "%s %s with %s has returned %s" and len(args) == 4:
            record.msg, record.args = "%s %s has returned %s", (args[0], args[1], args[3])
        elif record.msg == "%s %s has received %s" and len(args) == 3:
            record.msg, record.args = "%s %s has received a response", (args[0], args[1])
        elif record.msg == "Webhook ID %s with %s %s has returned status code %s" and len(args) == 4:
            record.args = (args[0], args[1], _URL_TOKEN.sub(r"\1[token]", str(args[2])), args[3])
        elif record.msg == "For Shard ID %s: WebSocket Event: %s" and len(args) == 2:
            event = args[1] if isinstance(args[1], dict) else {}
            record.msg, record.args = (
                "For Shard ID %s: WebSocket event %s (op %s)",
                (
                    args[0],
                    event.get("t"),
                    event.get("op"),
                ),
            )
        return True


class ReconnectInOneLine(logging.Filter):
    """discord.py retries a lost gateway for ever and logs each try with a traceback: one line will do."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        error = record.exc_info[1] if record.exc_info else None
        if record.msg == "Attempting a reconnect in %.2fs" and len(args) == 1 and error is not None:
            record.msg = "lost the connection to Discord (%s); trying again in %.1f s"
            record.args = (str(error) or type(error).__name__, args[0])
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def install() -> None:
    """Called once the handlers are set up, whatever level the config asks for."""
    for name in QUIET_AT_INFO:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLogger(name).level))
    for name, kind in (
        ("discord.http", WithoutPayloads),
        ("discord.gateway", WithoutPayloads),
        ("discord.webhook.async_", WithoutPayloads),
        ("discord.client", ReconnectInOneLine),
    ):
        logger = logging.getLogger(name)
        if not any(isinstance(existing, kind) for existing in logger.filters):
            logger.addFilter(kind())
