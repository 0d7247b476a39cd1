"""Members whose Discord client speaks another language: the playground's shim over SimCord, which
always sends "en-US" (see bot/playground/locales.py). The autouse fixture in conftest installs it and
starts every test with everyone on English."""

from bot.playground.locales import LOCALES, speaks, with_locales

__all__ = ["LOCALES", "speaks", "with_locales"]
