"""Rules for text members type, shared by every command that stores it (films, lists, reviews)."""

from __future__ import annotations

import re
import unicodedata

_KEPT_CONTROLS = frozenset("\t\n\r")
# Text that renders as a ping in someone's client: refused where it would be stored and shown again,
# because a later render without allowed_mentions none would turn it into a real ping.
MENTION = re.compile(r"@(everyone|here)\b|<(@[!&]?|#)\d+>", re.IGNORECASE)


def has_control(text: str) -> bool:
    """Any control character (C0 or C1) other than tab and line breaks."""
    return any(unicodedata.category(ch) == "Cc" and ch not in _KEPT_CONTROLS for ch in text)


def has_mention(text: str) -> bool:
    return MENTION.search(text) is not None
