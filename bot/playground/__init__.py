"""`kinoclub playground`: try the real bot without Discord, in a terminal, a script or a browser.

The bot is the one `kinoclub run` starts (`create_bot`, the same SQLite store and bundled data), run
inside SimCord's simulated Discord with a ready-made server (see `world`). Three ways in (`modes`):

- the terminal (default): type slash commands and a few directives at a prompt (`lines.HELP`);
- `--script FILE`: run a file of those lines and print the transcript. The exit code is 0 even when
  a line fails: a failing line prints its reason, as it would at the prompt, and the script goes on;
- `--web`: SimCord's channel preview in a browser, served on 127.0.0.1 until Ctrl-C or `quit`. The
  page opens on a film's card and this week's ballot; the terminal still takes the prompt's lines.

Files the bot sends (charts) go to a temporary folder removed at exit, unless `--out DIR` keeps them.

This module imports nothing heavy: `kinoclub` loads it only for the playground, and SimCord's import
logs discord.py warnings (voice, intents) that mean nothing here, so they are silenced.
"""

from __future__ import annotations

import argparse
import contextlib
import logging

from bot.config import Config


async def run(config: Config, args: argparse.Namespace) -> None:
    """The `kinoclub playground` command."""
    with quiet_discord():
        from bot.playground import modes

        await modes.run(config, args)


@contextlib.contextmanager
def quiet_discord():
    """discord.py's warnings about voice and intents mean nothing here; kinoclub's own log still shows."""
    logger = logging.getLogger("discord")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
