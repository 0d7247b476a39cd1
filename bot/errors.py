"""Errors the core raises for people to read.

`UserError` carries a message meant for the member who caused it; the command tree turns it into a
short ephemeral reply. The core raises it without knowing about Discord, its message already in the
language of the one who will read it (`bot.i18n` follows the interaction).
"""

from bot.i18n import _


class UserError(Exception):
    """Something the member asked for cannot be done; the message says why, in their words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(UserError):
    """The member named something (a film, a list) that does not exist."""


_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10)) | {0x7F: None, ord("`"): None}


def quote(text: str, limit: int = 60) -> str:
    """Echo what a member typed back to them: control, invisible and bidi characters and backticks gone,
    clipped, quoted the reader's way (“…” in English, «…» in Russian)."""
    from bot.text import visible  # here: bot.text raises UserError, so it imports this module

    cleaned = " ".join(visible(text).translate(_CONTROL).split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1] + "…"
    return _("“{text}”").format(text=cleaned)
